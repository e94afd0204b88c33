using Qlib.Tracked.Entities;

namespace Qlib.Tracked.Export;

/// <summary>
/// The runs table of a search, column by column, as pandas users know it from <c>mlflow.search_runs</c>:
/// run info, then one column per param, metric (latest value) and tag key. Keys are sorted ordinally so
/// the column order depends only on the keys present, never on the order runs were read. A null cell is
/// a run without that key; a NaN metric is a logged NaN.
/// Not thread-safe for writes: the column arrays are exposed, not copied; concurrent reads are safe while nobody writes.
/// </summary>
public sealed class RunsTable
{
    /// <summary>A table from its columns; the lists and arrays are kept, not copied.</summary>
    /// <param name="runs">One run per row, in result order.</param>
    /// <param name="paramKeys">The param keys, one per param column.</param>
    /// <param name="paramColumns">One array of <paramref name="runs"/>' length per param key.</param>
    /// <param name="metricKeys">The metric keys, one per metric column.</param>
    /// <param name="metricColumns">One array of <paramref name="runs"/>' length per metric key.</param>
    /// <param name="tagKeys">The tag keys, one per tag column.</param>
    /// <param name="tagColumns">One array of <paramref name="runs"/>' length per tag key.</param>
    /// <exception cref="ArgumentNullException">A list is null.</exception>
    /// <exception cref="TrackingException">INVALID_PARAMETER_VALUE when a kind has a different number of keys and columns, or a column is not one value per run.</exception>
    public RunsTable(
        IReadOnlyList<RunInfo> runs,
        IReadOnlyList<string> paramKeys,
        IReadOnlyList<string?[]> paramColumns,
        IReadOnlyList<string> metricKeys,
        IReadOnlyList<double?[]> metricColumns,
        IReadOnlyList<string> tagKeys,
        IReadOnlyList<string?[]> tagColumns)
    {
        ArgumentNullException.ThrowIfNull(runs);
        CheckColumns("params", paramKeys, paramColumns, runs.Count);
        CheckColumns("metrics", metricKeys, metricColumns, runs.Count);
        CheckColumns("tags", tagKeys, tagColumns, runs.Count);
        Runs = runs;
        ParamKeys = paramKeys;
        ParamColumns = paramColumns;
        MetricKeys = metricKeys;
        MetricColumns = metricColumns;
        TagKeys = tagKeys;
        TagColumns = tagColumns;
    }

    /// <summary>One entry per row, in result order.</summary>
    public IReadOnlyList<RunInfo> Runs { get; }

    /// <summary>The number of runs (rows).</summary>
    public int RowCount => Runs.Count;

    /// <summary>The param keys present in any run, ordinally sorted.</summary>
    public IReadOnlyList<string> ParamKeys { get; }

    /// <summary><c>ParamColumns[k][row]</c>: the value of <c>ParamKeys[k]</c>, null when the run lacks it.</summary>
    public IReadOnlyList<string?[]> ParamColumns { get; }

    /// <summary>The metric keys present in any run, ordinally sorted.</summary>
    public IReadOnlyList<string> MetricKeys { get; }

    /// <summary><c>MetricColumns[k][row]</c>: the latest value of <c>MetricKeys[k]</c>, null when never logged.</summary>
    public IReadOnlyList<double?[]> MetricColumns { get; }

    /// <summary>The tag keys present in any run, ordinally sorted.</summary>
    public IReadOnlyList<string> TagKeys { get; }

    /// <summary><c>TagColumns[k][row]</c>: the value of <c>TagKeys[k]</c>, null when the run lacks it.</summary>
    public IReadOnlyList<string?[]> TagColumns { get; }

    /// <summary>The info columns, in file order.</summary>
    public static IReadOnlyList<string> InfoColumnNames { get; } =
        ["run_id", "run_name", "experiment_id", "status", "start_time", "end_time", "lifecycle_stage", "user_id", "artifact_uri"];

    /// <summary>The prefix of a param column's name (<c>params.lr</c>), as <c>mlflow.search_runs</c> names it.</summary>
    public const string ParamPrefix = "params.";
    /// <summary>The prefix of a metric column's name (<c>metrics.IC</c>), as <c>mlflow.search_runs</c> names it.</summary>
    public const string MetricPrefix = "metrics.";
    /// <summary>The prefix of a tag column's name (<c>tags.mlflow.runName</c>), as <c>mlflow.search_runs</c> names it.</summary>
    public const string TagPrefix = "tags.";

    /// <summary>Every column name in file order: info, <c>params.*</c>, <c>metrics.*</c>, <c>tags.*</c>.</summary>
    public IEnumerable<string> ColumnNames =>
        InfoColumnNames
            .Concat(ParamKeys.Select(k => ParamPrefix + k))
            .Concat(MetricKeys.Select(k => MetricPrefix + k))
            .Concat(TagKeys.Select(k => TagPrefix + k));

    /// <summary>Builds the table of <paramref name="runs"/>, rows in the order given.</summary>
    public static RunsTable FromRuns(IReadOnlyList<Run> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var paramKeys = SortedKeys(runs, run => run.Data.Params.Keys);
        var metricKeys = SortedKeys(runs, run => run.Data.Metrics.Keys);
        var tagKeys = SortedKeys(runs, run => run.Data.Tags.Keys);
        return new RunsTable(
            runs.Select(r => r.Info).ToArray(),
            paramKeys,
            paramKeys.Select(k => runs.Select(r => r.Data.Params.GetValueOrDefault(k)).ToArray()).ToArray(),
            metricKeys,
            metricKeys.Select(k => runs.Select(r => r.Data.Metrics.TryGetValue(k, out var m) ? m.Value : (double?)null).ToArray()).ToArray(),
            tagKeys,
            tagKeys.Select(k => runs.Select(r => r.Data.Tags.GetValueOrDefault(k)).ToArray()).ToArray());
    }

    private static string[] SortedKeys(IReadOnlyList<Run> runs, Func<Run, IEnumerable<string>> keys)
    {
        var all = new HashSet<string>(StringComparer.Ordinal);
        foreach (var run in runs) all.UnionWith(keys(run));
        var sorted = all.ToArray();
        Array.Sort(sorted, StringComparer.Ordinal);
        return sorted;
    }

    private static void CheckColumns<T>(string kind, IReadOnlyList<string> keys, IReadOnlyList<T[]> columns, int rows)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(columns);
        if (keys.Count != columns.Count)
            throw TrackingException.InvalidParameter($"RunsTable has {keys.Count} {kind} keys but {columns.Count} {kind} columns.");
        for (var k = 0; k < keys.Count; k++)
        {
            if (columns[k].Length != rows)
                throw TrackingException.InvalidParameter($"RunsTable column '{kind}.{keys[k]}' has {columns[k].Length} rows, not {rows}.");
        }
    }
}
