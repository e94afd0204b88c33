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
        var page = RunSearch.Apply(RunsForSearch(experimentIds, viewType), query);
        // Index entries are checked lazily, key by key, as the filter and ordering read them; a returned run
        // is completed (every file checked) before it leaves the store.
        var runs = new List<Run>(page.Items.Count);
        foreach (var run in page.Items) runs.Add(IndexedRun.Materialize(run));
        SaveRunIndexes(experimentIds);
        return new PagedList<Run>(runs, page.NextPageToken);
    }

    public PagedList<ExperimentInfo> SearchExperiments(string? filter, ViewType viewType, int maxResults,
        IReadOnlyList<string>? orderBy = null, string? pageToken = null) =>
        ExperimentSearch.Apply(ListExperiments(viewType), filter, maxResults, orderBy, pageToken);

    /// <summary>
    /// Every run of the listed experiments in the view; unknown experiments contribute no runs (as MLflow's file
    /// store) and an experiment listed twice is read once. Through the run index (default) a run's data is
    /// checked lazily, key by key, as the filter and ordering ask for it; <see cref="IndexedRun.Materialize"/>
    /// completes a run that is returned. With the index off, every run is read in full (MLflow's way).
    /// </summary>
    private IEnumerable<Run> RunsForSearch(IReadOnlyList<string> experimentIds, ViewType viewType)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var experimentId in experimentIds)
        {
            if (!seen.Add(experimentId)) continue;
            var folder = FindExperimentFolder(experimentId);
            if (folder is null) continue;
            if (Options.RunIndex == RunIndexMode.Off)
            {
                foreach (var (runFolder, info) in ListRunInfos(folder, viewType)) yield return ReadRun(runFolder, info);
                continue;
            }
            foreach (var run in _runIndex.Runs(folder, viewType)) yield return run;
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
