using Qlib.Tracked.Entities;
using Qlib.Tracked.Validation;

namespace Qlib.Tracked.Stores;

// Run counts for listings (qtrack experiments, the web UI's experiment list): the runs search would
// enumerate, without materializing any of them — through the run index that is one stamp check per run
// instead of reading every file of every run.
public sealed partial class FileStore
{
    public int CountRuns(string experimentId, ViewType viewType)
    {
        MlflowValidation.ValidateExperimentId(experimentId);
        var count = 0;
        foreach (var _ in RunsForSearch([experimentId], viewType)) count++;
        SaveRunIndexes([experimentId]);
        return count;
    }
}
