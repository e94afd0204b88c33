using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores.Search;
using Qlib.Tracked.Validation;

namespace Qlib.Tracked.Stores;

// Search: runs and experiments, answered as MLflow's file store answers them (filter, order, page over
// everything listed). Where the runs come from is one method, so an index can replace the folder scan.
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
        return RunSearch.Apply(RunsForSearch(experimentIds, viewType), query);
    }

    public PagedList<ExperimentInfo> SearchExperiments(string? filter, ViewType viewType, int maxResults,
        IReadOnlyList<string>? orderBy = null, string? pageToken = null) =>
        ExperimentSearch.Apply(ListExperiments(viewType), filter, maxResults, orderBy, pageToken);

    /// <summary>
    /// Every run of the listed experiments in <paramref name="viewType"/>, read whole from its folder. Unknown
    /// experiments contribute no runs (as MLflow's file store); an experiment listed twice is read once.
    /// </summary>
    private IEnumerable<Run> RunsForSearch(IReadOnlyList<string> experimentIds, ViewType viewType)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var experimentId in experimentIds)
        {
            if (!seen.Add(experimentId)) continue;
            var folder = FindExperimentFolder(experimentId);
            if (folder is null) continue;
            foreach (var (runFolder, info) in ListRunInfos(folder, viewType))
                yield return ReadRun(runFolder, info);
        }
    }
}
