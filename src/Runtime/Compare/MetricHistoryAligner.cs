using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores;

namespace Qlib.Tracked.Compare;

/// <summary>
/// Aligns metric histories by step, so curves of several runs (one step per epoch, as Qlib models log)
/// can be read or drawn against the same x axis.
/// Stateless; thread-safe.
/// </summary>
/// <remarks>
/// When a run logged the same step more than once, the point kept is the one MLflow would call latest:
/// the highest timestamp, and among equal timestamps the highest value (<see cref="Metric.IsLaterThan"/>).
/// The same rule picks a run's latest metric, so the last aligned value of a run always equals the
/// latest value a search or <see cref="RunComparer"/> shows for it.
/// </remarks>
public static class MetricHistoryAligner
{
    /// <summary>Aligns histories already read; each history holds the points of <paramref name="metricKey"/> only.</summary>
    public static AlignedMetricHistory Align(string metricKey, IReadOnlyList<(string RunId, IReadOnlyList<Metric> History)> histories)
    {
        ArgumentNullException.ThrowIfNull(metricKey);
        ArgumentNullException.ThrowIfNull(histories);

        var perRun = new List<Dictionary<long, Metric>>(histories.Count);
        var steps = new SortedSet<long>();
        foreach (var (runId, history) in histories)
        {
            var byStep = new Dictionary<long, Metric>();
            foreach (var point in history)
            {
                if (!string.Equals(point.Key, metricKey, StringComparison.Ordinal))
                    throw TrackingException.InvalidParameter(
                        $"The history given for run '{runId}' holds metric '{point.Key}', not '{metricKey}'; align one metric at a time.");
                if (!byStep.TryGetValue(point.Step, out var kept) || point.IsLaterThan(kept)) byStep[point.Step] = point;
                steps.Add(point.Step);
            }
            perRun.Add(byStep);
        }

        var stepAxis = steps.ToArray();
        var values = new IReadOnlyList<double?>[perRun.Count];
        for (var r = 0; r < perRun.Count; r++)
        {
            var row = new double?[stepAxis.Length];
            for (var i = 0; i < stepAxis.Length; i++)
                row[i] = perRun[r].TryGetValue(stepAxis[i], out var point) ? point.Value : null;
            values[r] = row;
        }
        return new AlignedMetricHistory(metricKey, histories.Select(h => h.RunId).ToArray(), stepAxis, values);
    }

    /// <summary>
    /// Reads <paramref name="metricKey"/>'s history of each run from <paramref name="store"/> and aligns
    /// them. A run that never logged the metric gets a row of nulls; an unknown run id is
    /// RESOURCE_DOES_NOT_EXIST.
    /// </summary>
    public static AlignedMetricHistory Align(ITrackingStore store, IReadOnlyList<string> runIds, string metricKey)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(runIds);
        var histories = new List<(string, IReadOnlyList<Metric>)>(runIds.Count);
        foreach (var runId in runIds)
        {
            store.GetRun(runId); // unknown ids fail here with the store's typed error, not as "no points"
            histories.Add((runId, store.GetMetricHistory(runId, metricKey)));
        }
        return Align(metricKey, histories);
    }
}
