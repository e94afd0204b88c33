using Qlib.Tracked.Entities;
using Qlib.Tracked.Validation;

namespace Qlib.Tracked.Client;

/// <summary>
/// The client-side checks, all delegated to MLflow's rules in <see cref="MlflowValidation"/>, made once
/// before any store is called so every store sees the same, already-valid data. The per-call logging
/// path takes a <see cref="ValidatedKeyCache"/> so each distinct key is checked once.
/// </summary>
internal static class ClientValidation
{
    public static void RunId(string runId) => MlflowValidation.ValidateRunId(runId);

    public static void ExperimentId(string experimentId) => MlflowValidation.ValidateExperimentId(experimentId);

    public static void ExperimentName(string name) => MlflowValidation.ValidateExperimentName(name);

    public static void Metric(in Metric metric, ValidatedKeyCache? keys = null)
    {
        if (keys is null) MlflowValidation.ValidateMetricKey(metric.Key);
        else keys.ValidateMetricKey(metric.Key);
        MlflowValidation.ValidateMetric(metric);
    }

    /// <summary>
    /// Every point of a batch: each timestamp, and each DISTINCT key once. Batches repeat a few keys as the same
    /// string objects, so a key already seen in this batch (by reference) skips even the cache lookup.
    /// </summary>
    public static void Metrics(ReadOnlySpan<Metric> metrics, ValidatedKeyCache keys)
    {
        const int Remembered = 16;
        var seen = new SeenKeys();
        var seenCount = 0;
        foreach (ref readonly var metric in metrics)
        {
            MlflowValidation.ValidateMetric(metric);
            var key = metric.Key;
            var known = false;
            for (var i = 0; i < seenCount; i++)
            {
                if (ReferenceEquals(seen[i], key))
                {
                    known = true;
                    break;
                }
            }
            if (known) continue;
            keys.ValidateMetricKey(key);
            if (seenCount < Remembered) seen[seenCount++] = key;
        }
    }

    [System.Runtime.CompilerServices.InlineArray(16)]
    private struct SeenKeys
    {
        private string _element;
    }

    public static void Param(string key, string value, ValidatedKeyCache? keys = null)
    {
        if (keys is null) MlflowValidation.ValidateParamKey(key);
        else keys.ValidateParamKey(key);
        MlflowValidation.ValidateParamValue(key, value);
    }

    public static void Tag(string key, string value, ValidatedKeyCache? keys = null)
    {
        if (keys is null) MlflowValidation.ValidateTagKey(key);
        else keys.ValidateTagKey(key);
        MlflowValidation.ValidateTagValue(key, value);
    }

    public static void TagKey(string key) => MlflowValidation.ValidateTagKey(key);

    public static void ExperimentTag(string key, string value) => MlflowValidation.ValidateExperimentTag(key, value);

    public static void BatchLimits(int metrics, int parameters, int tags) =>
        MlflowValidation.ValidateBatchLimits(metrics, parameters, tags);

    public static void ParamKeysUnique(IReadOnlyList<Param> parameters) => MlflowValidation.ValidateParamKeysUnique(parameters);

    public static void MaxResults(int maxResults) => MlflowValidation.ValidateMaxResults(maxResults);
}
