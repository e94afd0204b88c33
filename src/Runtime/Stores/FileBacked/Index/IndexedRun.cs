using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores.Search;

namespace Qlib.Tracked.Stores.FileBacked.Index;

/// <summary>What a query's filter and ordering checked of one run, so completing it does not check those keys again.</summary>
internal sealed record CheckedKeys(string[] Metrics, string[] Tags, bool ParamsChecked, IReadOnlyList<DatasetInput>? Inputs)
{
    /// <summary>A copy of what <paramref name="facts"/> checked; null when it checked nothing (no allocation per run).</summary>
    public static CheckedKeys? From(EntryFacts facts) =>
        facts.CheckedMetrics.Count == 0 && facts.CheckedTags.Count == 0 && !facts.ParamsChecked && facts.InputsIfRead is null
            ? null
            : new CheckedKeys(KeysOf(facts.CheckedMetrics), KeysOf(facts.CheckedTags), facts.ParamsChecked, facts.InputsIfRead);

    private static string[] KeysOf<T>(List<(string Key, bool Found, T Value)> checks)
    {
        if (checks.Count == 0) return [];
        var keys = new string[checks.Count];
        for (var i = 0; i < keys.Length; i++) keys[i] = checks[i].Key;
        return keys;
    }
}

/// <summary>
/// A run a query matched: the entry, the info it was matched with, its ordering values and what was checked on
/// the way. Only the runs of the returned page are completed into <see cref="Run"/>s.
/// </summary>
internal readonly record struct IndexedRun(ExperimentRunIndex Owner, RunIndexEntry Entry, SortRow Row, CheckedKeys? Checked, bool Verify)
{
    /// <summary>
    /// The run with its data current: in Verified mode every file is checked except the keys this query already
    /// checked (so the run returned is the run the filter and ordering saw); a watched run without events as memory has it.
    /// </summary>
    public Run Complete(RunIndexContext context)
    {
        var stats = FileStamp.StatsOnThisThread;
        var runFolder = Entry.PathIn(Owner.Folder);
        lock (Entry.Sync)
        {
            if (Verify)
            {
                var reads = 0;
                if (Checked is not { ParamsChecked: true }) reads += Entry.RefreshParams(runFolder, context);
                var checkedKeys = Checked;
                reads += Entry.RefreshMutable(metrics: true, runFolder, context, key => checkedKeys?.Metrics.Contains(key) == true);
                reads += Entry.RefreshMutable(metrics: false, runFolder, context, key => checkedKeys?.Tags.Contains(key) == true);
                Owner.CountReads(reads);
            }
            var data = new RunData(Entry.Metrics.ToDictionary(), Entry.Params.ToDictionary(), Entry.Tags.ToDictionary());
            var run = new Run(Row.Info, data, Checked?.Inputs ?? ReadInputs(runFolder, Entry, context));
            context.CountStats(FileStamp.StatsOnThisThread - stats);
            return run;
        }
    }

    internal static IReadOnlyList<DatasetInput> ReadInputs(string runFolder, RunIndexEntry entry, RunIndexContext context) =>
        DatasetInputs.Read(runFolder, Path.GetDirectoryName(runFolder)!, (path, message) => context.Warn(path, message, entry.Info?.RunId));
}
