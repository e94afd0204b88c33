using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores;

namespace Qlib.Tracked.Compare;

/// <summary>
/// Puts runs side by side (the "compare two models" view): every param and latest metric any of the
/// runs has, one column per run, optionally only the rows where the runs disagree.
/// Stateless; thread-safe.
/// </summary>
public static class RunComparer
{
    /// <summary>Compares runs already loaded (e.g. the result of a search).</summary>
    /// <param name="runs">At least one run; the same run twice is allowed and simply compares equal.</param>
    /// <param name="onlyDifferences">Keep only rows whose values are not all the same.</param>
    public static RunComparison Compare(IReadOnlyList<Run> runs, bool onlyDifferences = false)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (runs.Count == 0) throw TrackingException.InvalidParameter("Comparing runs needs at least one run; none was given.");

        var paramKeys = SortedKeys(runs, run => run.Data.Params.Keys);
        var metricKeys = SortedKeys(runs, run => run.Data.Metrics.Keys);

        var paramRows = new List<ParamComparisonRow>(paramKeys.Count);
        foreach (var key in paramKeys)
        {
            var values = runs.Select(run => run.Data.Params.TryGetValue(key, out var v) ? v : null).ToArray();
            var differs = values.Any(v => !string.Equals(v, values[0], StringComparison.Ordinal));
            if (differs || !onlyDifferences) paramRows.Add(new ParamComparisonRow(key, values, differs));
        }

        var metricRows = new List<MetricComparisonRow>(metricKeys.Count);
        foreach (var key in metricKeys)
        {
            var values = runs.Select(run => run.Data.Metrics.TryGetValue(key, out var m) ? m.Value : (double?)null).ToArray();
            var differs = values.Any(v => !SameMetricValue(v, values[0]));
            if (differs || !onlyDifferences) metricRows.Add(new MetricComparisonRow(key, values, differs));
        }

        return new RunComparison(runs.Select(run => run.Info).ToArray(), paramRows, metricRows);
    }

    /// <summary>Loads the runs by id from <paramref name="store"/> and compares them.</summary>
    public static RunComparison Compare(ITrackingStore store, IReadOnlyList<string> runIds, bool onlyDifferences = false)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(runIds);
        return Compare(runIds.Select(store.GetRun).ToArray(), onlyDifferences);
    }

    private static List<string> SortedKeys(IReadOnlyList<Run> runs, Func<Run, IEnumerable<string>> keys)
    {
        var all = new HashSet<string>(StringComparer.Ordinal);
        foreach (var run in runs) all.UnionWith(keys(run));
        var sorted = all.ToList();
        sorted.Sort(StringComparer.Ordinal);
        return sorted;
    }

    // NaN == NaN here: two runs that both logged NaN agree, which is what a reader of the table expects
    // (IEEE equality would flag every NaN row as a difference).
    private static bool SameMetricValue(double? a, double? b) =>
        a is null || b is null ? a is null && b is null : a.Value.Equals(b.Value);
}
