using Qlib.Tracked.Entities;
using Qlib.Tracked.Validation;

namespace Qlib.Tracked.Tracking;

/// <summary>
/// The one place the client checks input against MLflow's rules (<see cref="MlflowValidation"/>) before
/// any store is called, so every store sees the same, already-valid data.
/// </summary>
internal static class ClientValidation
{
    public static void RunId(string runId)
    {
        if (runId is null) throw TrackingException.InvalidParameter("Missing value for required parameter 'run_id'.");
        MlflowValidation.ValidateRunId(runId);
    }

    public static void ExperimentId(string experimentId)
    {
        if (experimentId is null) throw TrackingException.InvalidParameter("Missing value for required parameter 'experiment_id'.");
        MlflowValidation.ValidateExperimentId(experimentId);
    }

    public static void ExperimentName(string name)
    {
        if (name is null) throw TrackingException.InvalidParameter("Missing value for required parameter 'name'.");
        MlflowValidation.ValidateExperimentName(name);
    }

    public static void Metric(in Metric metric)
    {
        if (metric.Key is null) throw TrackingException.InvalidParameter("Missing value for required parameter 'key'.");
        MlflowValidation.ValidateMetric(metric.Key, metric.Value, metric.Timestamp, metric.Step);
    }

    /// <summary>Returns the value to store (MLflow 2.11+ may truncate an over-long value with a warning).</summary>
    public static string Param(string key, string value)
    {
        if (key is null) throw TrackingException.InvalidParameter("Missing value for required parameter 'key'.");
        return MlflowValidation.ValidateParam(key, value ?? "None");
    }

    /// <summary>Returns the value to store (MLflow 2.11+ may truncate an over-long value with a warning).</summary>
    public static string Tag(string key, string value)
    {
        if (key is null) throw TrackingException.InvalidParameter("Missing value for required parameter 'key'.");
        return MlflowValidation.ValidateTag(key, value ?? "None");
    }

    public static void ExperimentTag(string key, string value)
    {
        if (key is null) throw TrackingException.InvalidParameter("Missing value for required parameter 'key'.");
        MlflowValidation.ValidateExperimentTag(key, value ?? "None");
    }

    public static void BatchLimits(int metrics, int parameters, int tags) =>
        MlflowValidation.ValidateBatchLimits(metrics, parameters, tags);

    public static void MaxResults(int maxResults)
    {
        if (maxResults is < 1 or > 50_000)
            throw TrackingException.InvalidParameter(
                $"Invalid value {maxResults} for parameter 'max_results' supplied. It must be at most 50000 and at least 1.");
    }
}
