using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores.FileBacked.Index;
using Qlib.Tracked.Stores.Search;
using Qlib.Tracked.Validation;

namespace Qlib.Tracked.Stores;

// Search: runs and experiments, answered as MLflow's file store answers them (filter, order, page over
// everything listed). Where the runs come from is one method, so the run index replaces the folder scan.
public sealed partial class FileStore
{
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
        var parallelism = Options.RunIndex == RunIndexMode.Off ? 1 : Options.SearchParallelism;
        var page = Options.RunIndex == RunIndexMode.Off
            ? RunSearch.Apply(ScanRuns(experimentIds, viewType), query)
            : RunSearch.OrderAndPage(IndexedRuns(experimentIds, viewType, query.Filter), query);
        // Index entries are checked lazily, key by key, as the filter and ordering read them; a returned run
        // is completed (every file checked) before it leaves the store.
        var runs = new Run[page.Items.Count];
        if (parallelism > 1 && runs.Length >= 64)
            Parallel.For(0, runs.Length, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, i => runs[i] = IndexedRun.Materialize(page.Items[i]));
        else
            for (var i = 0; i < runs.Length; i++) runs[i] = IndexedRun.Materialize(page.Items[i]);
        SaveRunIndexes(experimentIds);
        return new PagedList<Run>(runs, page.NextPageToken);
    }

    public PagedList<ExperimentInfo> SearchExperiments(string? filter, ViewType viewType, int maxResults,
        IReadOnlyList<string>? orderBy = null, string? pageToken = null) =>
        ExperimentSearch.Apply(ListExperiments(viewType), filter, maxResults, orderBy, pageToken);

    /// <summary>
    /// Through the run index: the runs of the view that pass <paramref name="filter"/>, experiment after
    /// experiment in folder order (what a scan followed by the filter gives). Each run's <c>meta.yaml</c> is
    /// checked now, on several threads for large experiments, and the filter reads the entries key by key;
    /// the matches come back lazy (ordering reads what it needs) and <see cref="IndexedRun.Materialize"/>
    /// completes a run that is returned.
    /// </summary>
    private List<Run> IndexedRuns(IReadOnlyList<string> experimentIds, ViewType viewType, RunFilter filter)
    {
        var runs = new List<Run>();
        foreach (var folder in DistinctExperimentFolders(experimentIds))
            runs.AddRange(_runIndex.Matching(folder, viewType, filter, Options.SearchParallelism));
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

    private void SaveRunIndexes(IReadOnlyList<string> experimentIds)
    {
        if (Options.RunIndex == RunIndexMode.Off) return;
        foreach (var experimentId in experimentIds)
        {
            if (FindExperimentFolder(experimentId) is { } folder) _runIndex.SaveIfBehind(folder);
        }
    }
}
