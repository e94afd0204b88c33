using Qlib.Tracked.Entities;
using Qlib.Tracked.Validation;

namespace Qlib.Tracked.Stores;

// Run counts for listings (qtrack experiments, the web UI's experiment list): the runs search would
// enumerate, without building any of them — through the run index that is one stamp check per run
// instead of reading every file of every run.
public sealed partial class FileStore
{
    /// <inheritdoc/>
    public int CountRuns(string experimentId, ViewType viewType)
    {
        var counts = CountRunsByStage(experimentId);
        return viewType switch
        {
            ViewType.ActiveOnly => counts.Active,
            ViewType.DeletedOnly => counts.Deleted,
            _ => counts.Active + counts.Deleted,
        };
    }

    /// <inheritdoc/>
    public RunCounts CountRunsByStage(string experimentId)
    {
        MlflowValidation.ValidateExperimentId(experimentId);
        if (FindExperimentFolder(experimentId) is not { } folder) return new RunCounts(0, 0);
        if (Options.RunIndex == RunIndexMode.Off)
        {
            int active = 0, deleted = 0;
            foreach (var (_, info) in ListRunInfos(folder, ViewType.All))
            {
                if (info.LifecycleStage == LifecycleStage.Deleted) deleted++;
                else active++;
            }
            return new RunCounts(active, deleted);
        }
        var (activeRuns, deletedRuns) = _runIndex.CountByStage(folder, Options.SearchParallelism);
        _runIndex.SaveIfBehind(folder);
        return new RunCounts(activeRuns, deletedRuns);
    }
}
