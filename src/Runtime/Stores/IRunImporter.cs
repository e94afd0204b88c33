using Qlib.Tracked.Entities;

namespace Qlib.Tracked.Stores;

/// <summary>
/// A store that can take experiments and runs recorded elsewhere as they are (<c>qtrack migrate</c>):
/// <see cref="ITrackingStore"/> only creates new runs (a fresh id, RUNNING, now), which would lose ids, times,
/// statuses and lifecycles. Both writes validate nothing beyond what the store needs to stay readable: the data
/// was accepted by a store already; a SQL store still checks what its columns cannot hold (a tag value over VARCHAR(5000)).
/// </summary>
public interface IRunImporter
{
    /// <summary>
    /// Creates an experiment with <paramref name="experiment"/>'s name, lifecycle stage, times and tags; the store
    /// assigns its id (file-store ids do not fit SQL's INTEGER keys, SQL ids would collide in a file store) and its
    /// artifact location (the store's default for the new id: runs created there later keep their artifacts with
    /// the destination, whatever the imported runs reference).
    /// </summary>
    string ImportExperiment(ExperimentInfo experiment);

    /// <summary>
    /// Writes a whole run, with the id, times, status and lifecycle of <see cref="RunImport.Info"/>, in one step:
    /// a reader (and a rerun of an interrupted migrate) sees the complete run or none of it. A run id already
    /// stored is refused (RESOURCE_ALREADY_EXISTS). Returns the stored run info (its artifact URI may differ).
    /// </summary>
    RunInfo ImportRun(RunImport run);

    /// <summary>
    /// As <see cref="ImportRun"/> for several runs: all of them or none (a SQL store writes them in one transaction,
    /// which saves a commit — several fsyncs on SQLite — per run; the file store imports them one by one, each whole).
    /// </summary>
    IReadOnlyList<RunInfo> ImportRuns(IReadOnlyList<RunImport> runs) => runs.Select(ImportRun).ToList();
}

/// <summary>
/// A run to import: its info (with the destination experiment id), params, tags, every metric point in logged order
/// and its dataset inputs. Unless <see cref="KeepArtifactUri"/>, the stored artifact URI is the destination
/// experiment's location + <c>/&lt;run id&gt;/artifacts</c>; with it, <see cref="RunInfo.ArtifactUri"/> is stored as
/// given and must lie inside the destination's artifact roots (ArtifactLocationNotAllowedException otherwise).
/// </summary>
public sealed record RunImport(
    RunInfo Info,
    IReadOnlyDictionary<string, string> Params,
    IReadOnlyDictionary<string, string> Tags,
    IReadOnlyList<Metric> MetricHistory,
    IReadOnlyList<DatasetInput> Inputs,
    bool KeepArtifactUri);
