using Qlib.Tracked.Artifacts;
using Qlib.Tracked.Entities;

namespace Qlib.Tracked.Stores;

/// <summary>
/// MLflow's file store ("mlruns"), bit-compatible with what MLflow 2.x writes and reads.
/// SKELETON: the implementation lands in the next commits.
/// </summary>
public sealed class FileStore : ITrackingStore
{
    public FileStore(string rootDirectory, FileStoreOptions? options = null)
    {
        RootDirectory = Path.GetFullPath(rootDirectory);
        Options = options ?? new FileStoreOptions();
        TrackingUri = Stores.TrackingUri.FromLocalPath(RootDirectory);
    }

    public string RootDirectory { get; }
    public FileStoreOptions Options { get; }
    public string TrackingUri { get; }
    public event Action<StoreWarning>? Warning;

    public string CreateExperiment(string name, string? artifactLocation = null, IReadOnlyList<RunTag>? tags = null) => throw new NotImplementedException();
    public ExperimentInfo GetExperiment(string experimentId) => throw new NotImplementedException();
    public ExperimentInfo? GetExperimentByName(string name) => throw new NotImplementedException();
    public IReadOnlyList<ExperimentInfo> SearchExperiments(ViewType viewType = ViewType.ActiveOnly) => throw new NotImplementedException();
    public void DeleteExperiment(string experimentId) => throw new NotImplementedException();
    public void RestoreExperiment(string experimentId) => throw new NotImplementedException();
    public void RenameExperiment(string experimentId, string newName) => throw new NotImplementedException();
    public void SetExperimentTag(string experimentId, string key, string value) => throw new NotImplementedException();
    public Run CreateRun(string experimentId, string? userId, long startTime, IReadOnlyList<RunTag>? tags, string? runName) => throw new NotImplementedException();
    public Run GetRun(string runId) => throw new NotImplementedException();
    public RunInfo UpdateRunInfo(string runId, RunStatus status, long? endTime, string? runName) => throw new NotImplementedException();
    public void DeleteRun(string runId) => throw new NotImplementedException();
    public void RestoreRun(string runId) => throw new NotImplementedException();
    public PagedList<Run> SearchRuns(IReadOnlyList<string> experimentIds, string? filter, ViewType viewType, int maxResults, IReadOnlyList<string>? orderBy, string? pageToken) => throw new NotImplementedException();
    public void LogBatch(string runId, IReadOnlyList<Metric> metrics, IReadOnlyList<Param> parameters, IReadOnlyList<RunTag> tags) => throw new NotImplementedException();
    public void DeleteTag(string runId, string key) => throw new NotImplementedException();
    public IReadOnlyList<Metric> GetMetricHistory(string runId, string metricKey) => throw new NotImplementedException();
    public IArtifactRepository GetArtifactRepository(string runId) => throw new NotImplementedException();

    private void RaiseWarning(StoreWarning w) => Warning?.Invoke(w);
}

/// <summary>Options of <see cref="FileStore"/>.</summary>
public sealed class FileStoreOptions
{
    /// <summary>Artifact root for new experiments; defaults to the store root (MLflow's default).</summary>
    public string? DefaultArtifactRoot { get; init; }
}
