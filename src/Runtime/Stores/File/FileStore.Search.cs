using Qlib.Tracked.Entities;
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
        foreach (var experimentId in experimentIds)
        {
            MlflowValidation.ValidateExperimentId(experimentId);
            var folder = FindExperimentFolder(experimentId);
            if (folder is null) continue; // as MLflow's file store: unknown experiments contribute no runs
            foreach (var (runFolder, info) in ListRunInfos(folder, viewType))
            {
                var run = ReadRun(runFolder, info);
                if (predicate.Matches(run)) matches.Add(run);
            }
        }
        matches.Sort(ordering);

        var page = matches.Skip(offset).Take(maxResults).ToList();
        var next = offset + maxResults < matches.Count ? SearchPageToken.Encode(offset + maxResults) : null;
        return new PagedList<Run>(page, next);
    }
}
