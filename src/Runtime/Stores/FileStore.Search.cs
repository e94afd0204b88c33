using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores.FileBacked.Index;
using Qlib.Tracked.Stores.Search;
using Qlib.Tracked.Validation;

namespace Qlib.Tracked.Stores;

// Search: runs and experiments, answered as MLflow's file store answers them (filter, order, page over
// everything listed). Where the runs come from is one method, so the run index replaces the folder scan.
public sealed partial class FileStore
{
    /// <inheritdoc/>
    public PagedList<Run> SearchRuns(
        IReadOnlyList<string> experimentIds,
        string? filter,
        ViewType viewType,
        int maxResults,
        IReadOnlyList<string>? orderBy,
        string? pageToken)
    {
        ArgumentNullException.ThrowIfNull(experimentIds);
        foreach (var experimentId in experimentIds) MlflowValidation.ValidateExperimentId(experimentId);
        var query = RunSearch.Prepare(filter, orderBy, maxResults, pageToken); // bad input fails before any read
        if (Options.RunIndex == RunIndexMode.Off) return RunSearch.Apply(ScanRuns(experimentIds, viewType), query);

        // Through the run index: filter and ordering values come straight from the entries (checked against the
        // files as they are read); only the runs of the page become Run objects, completed (every file checked).
        var matches = IndexedRuns(experimentIds, viewType, query);
        var rows = new SortRow[matches.Count];
        for (var i = 0; i < rows.Length; i++) rows[i] = matches[i].Row;
        var end = (int)Math.Min((long)query.Offset + query.MaxResults, int.MaxValue);
        var order = query.Ordering.TopOrder(rows, end);
        var start = Math.Min(query.Offset, matches.Count);
        var runs = new Run[Math.Min(query.MaxResults, matches.Count - start)];
        var parallelism = Options.SearchParallelism;
        if (parallelism > 1 && runs.Length >= 64)
            Parallel.For(0, runs.Length, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, i => runs[i] = _runIndex.Complete(matches[order[start + i]]));
        else
            for (var i = 0; i < runs.Length; i++) runs[i] = _runIndex.Complete(matches[order[start + i]]);
        SaveRunIndexes(experimentIds);
        var next = (long)query.Offset + query.MaxResults < matches.Count ? SearchPageToken.Encode(end) : null;
        return new PagedList<Run>(runs, next);
    }

    /// <inheritdoc/>
    public PagedList<ExperimentInfo> SearchExperiments(string? filter, ViewType viewType, int maxResults,
        IReadOnlyList<string>? orderBy = null, string? pageToken = null) =>
        ExperimentSearch.Apply(ListExperiments(viewType), filter, maxResults, orderBy, pageToken);

    /// <summary>
    /// Through the run index: the runs of the view that pass the query's filter, experiment after experiment in
    /// folder order (the order a scan gives, which ordering ties fall back to), each with its ordering values.
    /// </summary>
    private List<IndexedRun> IndexedRuns(IReadOnlyList<string> experimentIds, ViewType viewType, RunQuery query)
    {
        var runs = new List<IndexedRun>();
        foreach (var folder in DistinctExperimentFolders(experimentIds))
            runs.AddRange(_runIndex.Matching(folder, viewType, query.Filter, query.Ordering, Options.SearchParallelism));
        return runs;
    }

    /// <summary>
    /// With the index off: every run of the listed experiments in the view, read in full (MLflow's way), one at a
    /// time as the filter consumes them. Unknown experiments contribute no runs (as MLflow's file store) and an
    /// experiment listed twice is read once.
    /// </summary>
    private IEnumerable<Run> ScanRuns(IReadOnlyList<string> experimentIds, ViewType viewType)
    {
        foreach (var folder in DistinctExperimentFolders(experimentIds))
        {
            foreach (var (runFolder, info) in ListRunInfos(folder, viewType)) yield return ReadRun(runFolder, info);
        }
    }

    private IEnumerable<string> DistinctExperimentFolders(IReadOnlyList<string> experimentIds)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var experimentId in experimentIds)
        {
            if (seen.Add(experimentId) && FindExperimentFolder(experimentId) is { } folder) yield return folder;
        }
    }

    /// <summary>Tests: stats the run index issued so far, the watches it holds, and the event-queue overflows it saw.</summary>
    internal (long Stats, int Watches, int Overflows) RunIndexCounters() =>
        (_runIndex.Context.StatsIssued, _runIndex.Watcher?.WatchCount ?? 0, _runIndex.Watcher?.Overflows ?? 0);

    /// <summary>Tests: the file descriptor of the run index's inotify instance, -1 when it holds none.</summary>
    internal int RunIndexWatchDescriptor() => _runIndex.Watcher?.Descriptor ?? -1;

    private void SaveRunIndexes(IReadOnlyList<string> experimentIds)
    {
        if (Options.RunIndex == RunIndexMode.Off) return;
        foreach (var experimentId in experimentIds)
        {
            if (FindExperimentFolder(experimentId) is { } folder) _runIndex.SaveIfBehind(folder);
        }
    }
}
