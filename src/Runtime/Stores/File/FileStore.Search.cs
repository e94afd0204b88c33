using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores.FileBacked.Index;
using Qlib.Tracked.Stores.Search;
using Qlib.Tracked.Validation;

namespace Qlib.Tracked.Stores;

// Run search: load the runs of the listed experiments, filter, order, page (MLflow's file-store approach).
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
        MlflowValidation.ValidateMaxResults(maxResults);
        var predicate = SimpleRunFilter.Parse(filter);
        var ordering = RunOrdering.Parse(orderBy);
        var offset = SearchPageToken.Decode(pageToken);

        var matches = new List<Run>();
        foreach (var run in RunsForSearch(experimentIds, viewType))
        {
            if (predicate.Matches(run)) matches.Add(run);
        }
        matches.Sort(ordering);

        var page = matches.Skip(offset).Take(maxResults).Select(IndexedRun.Materialize).ToList();
        SaveRunIndexes(experimentIds);
        var next = offset + maxResults < matches.Count ? SearchPageToken.Encode(offset + maxResults) : null;
        return new PagedList<Run>(page, next);
    }

    /// <summary>
    /// Every run of the listed experiments in the view. Through the run index (default) a run's data is
    /// checked lazily, key by key, as the filter and ordering ask for it; <see cref="IndexedRun.Materialize"/>
    /// completes a run that is returned. With the index off, every run is read in full (MLflow's way).
    /// </summary>
    private IEnumerable<Run> RunsForSearch(IReadOnlyList<string> experimentIds, ViewType viewType)
    {
        foreach (var experimentId in experimentIds)
        {
            MlflowValidation.ValidateExperimentId(experimentId);
            var folder = FindExperimentFolder(experimentId);
            if (folder is null) continue; // as MLflow's file store: unknown experiments contribute no runs
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
