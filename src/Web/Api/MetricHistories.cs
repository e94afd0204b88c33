using Qlib.Tracked.Entities;
using Qlib.Tracked.Validation;

namespace Qlib.Tracked.Web.Api;

/// <summary>
/// Metric histories for the API. The store lists a run's metrics from whatever files its metrics folder holds,
/// but reads a history only for a key MLflow accepts (the key becomes a path) that names a file. A run written
/// by other tools can hold a file the first allows and the second refuses: a single-run request then gets a 400
/// naming the run and key; a comparison leaves that series out with a warning, as listings skip what they
/// cannot read, so one odd run does not empty the page.
/// </summary>
internal static class MetricHistories
{
    /// <summary>The history of one run's metric; INVALID_PARAMETER_VALUE naming run and key when it cannot be read.</summary>
    public static IReadOnlyList<Metric> ForRun(StoreContext context, Run run, string key)
    {
        try
        {
            MlflowValidation.ValidateMetricKey(key);
        }
        catch (TrackingException e)
        {
            var found = run.Data.Metrics.ContainsKey(key)
                ? $"Run '{run.Info.RunId}' has a metric file '{key}', but its history cannot be read: "
                : $"Cannot read metric '{key}' of run '{run.Info.RunId}': ";
            throw new TrackingException(e.Code, found + e.Message, e);
        }
        return context.Store.GetMetricHistory(run.Info.RunId, key);
    }

    /// <summary>
    /// The history for a comparison: what <see cref="ForRun"/> returns, or no points and a warning (added to
    /// <paramref name="warnings"/> and the store's recent warnings) when the key names no readable metric file.
    /// </summary>
    public static IReadOnlyList<Metric> ForComparison(StoreContext context, Run run, string key, List<string> warnings)
    {
        try
        {
            return ForRun(context, run, key);
        }
        catch (Exception e) when (e is TrackingException { Code: ErrorCode.InvalidParameterValue } or IOException or UnauthorizedAccessException)
        {
            var path = $"{run.Info.ExperimentId}/{run.Info.RunId}/metrics/{key}";
            warnings.Add(context.Warn(new StoreWarning(path, "Left out of the comparison: " + e.Message, run.Info.RunId)));
            return [];
        }
    }
}
