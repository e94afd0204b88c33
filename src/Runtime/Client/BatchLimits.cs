using Qlib.Tracked.Entities;
using Qlib.Tracked.Validation;

namespace Qlib.Tracked.Client;

/// <summary>MLflow's <c>log_batch</c> limits, and the splitting of a long queue into batches that respect them. Constants only; thread-safe.</summary>
public static class BatchLimits
{
    /// <summary>Most metrics in one <c>log_batch</c> call (MLflow: 1000).</summary>
    public const int MaxMetrics = MlflowValidation.MaxMetricsPerBatch;
    /// <summary>Most params in one <c>log_batch</c> call (MLflow: 100).</summary>
    public const int MaxParams = MlflowValidation.MaxParamsPerBatch;
    /// <summary>Most tags in one <c>log_batch</c> call (MLflow: 100).</summary>
    public const int MaxTags = MlflowValidation.MaxTagsPerBatch;
    /// <summary>Most metrics, params and tags together in one <c>log_batch</c> call (MLflow: 1000).</summary>
    public const int MaxEntries = MlflowValidation.MaxEntitiesPerBatch;

    /// <summary>
    /// Cuts the lists into <c>LogBatch</c>-sized pieces, keeping each list's order. Params and tags go
    /// first in each piece (they are few), metrics fill the rest up to <see cref="MaxEntries"/>.
    /// </summary>
    internal static IEnumerable<(ArraySegment<Metric> Metrics, ArraySegment<Param> Params, ArraySegment<RunTag> Tags)> Split(
        Metric[] metrics, int metricCount, Param[] parameters, int paramCount, RunTag[] tags, int tagCount)
    {
        int m = 0, p = 0, t = 0;
        while (m < metricCount || p < paramCount || t < tagCount)
        {
            var np = Math.Min(MaxParams, paramCount - p);
            var nt = Math.Min(MaxTags, tagCount - t);
            var nm = Math.Min(Math.Min(MaxMetrics, MaxEntries - np - nt), metricCount - m);
            yield return (new ArraySegment<Metric>(metrics, m, nm), new ArraySegment<Param>(parameters, p, np), new ArraySegment<RunTag>(tags, t, nt));
            m += nm; p += np; t += nt;
        }
    }
}
