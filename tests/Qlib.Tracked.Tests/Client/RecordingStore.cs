using Qlib.Tracked.Artifacts;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores;

namespace Qlib.Tracked.Tests.Tracking;

/// <summary>
/// A test double for the one write path: records every LogBatch call, enforces param immutability like
/// a real store, and can be told to fail. Only what the buffer tests need is implemented.
/// </summary>
internal sealed class RecordingStore : ITrackingStore
{
    private readonly object _gate = new();
    public readonly List<(int Metrics, int Params, int Tags)> Batches = [];
    public readonly List<Metric> Metrics = [];
    public readonly Dictionary<string, string> Params = new();
    public readonly List<RunTag> Tags = [];

    /// <summary>When set, LogBatch throws it (after the first <see cref="FailAfterBatches"/> batches).</summary>
    public Exception? FailWith { get; set; }
    public int FailAfterBatches { get; set; }
    public TimeSpan DelayPerBatch { get; set; }
    /// <summary>When set, every LogBatch waits for it first, so a test decides when the writer proceeds.</summary>
    public ManualResetEventSlim? Hold { get; set; }

    public string TrackingUri => "memory:";
    public string DefaultArtifactRoot => "memory:";
    public void Dispose() { }
    public event Action<StoreWarning>? Warning { add { } remove { } }

    public void LogBatch(string runId, IReadOnlyList<Metric> metrics, IReadOnlyList<Param> parameters, IReadOnlyList<RunTag> tags)
    {
        Hold?.Wait(TimeSpan.FromSeconds(30));
        if (DelayPerBatch > TimeSpan.Zero) Thread.Sleep(DelayPerBatch);
        lock (_gate)
        {
            if (FailWith is not null && Batches.Count >= FailAfterBatches) throw FailWith;
            Assert.True(metrics.Count <= 1000 && parameters.Count <= 100 && tags.Count <= 100);
            Assert.True(metrics.Count + parameters.Count + tags.Count <= 1000);
            foreach (var p in parameters)
            {
                if (Params.TryGetValue(p.Key, out var old) && old != p.Value)
                    throw TrackingException.InvalidParameter($"Changing param values is not allowed. Param with key='{p.Key}'");
                Params[p.Key] = p.Value;
            }
            Batches.Add((metrics.Count, parameters.Count, tags.Count));
            Metrics.AddRange(metrics);
            Tags.AddRange(tags);
        }
    }

    public string CreateExperiment(string name, string? artifactLocation = null, IReadOnlyList<RunTag>? tags = null) => throw new NotSupportedException();
    public ExperimentInfo GetExperiment(string experimentId) => throw new NotSupportedException();
    public ExperimentInfo? GetExperimentByName(string name) => throw new NotSupportedException();
    public IReadOnlyList<ExperimentInfo> SearchExperiments(ViewType viewType = ViewType.ActiveOnly) => throw new NotSupportedException();
    public void DeleteExperiment(string experimentId) => throw new NotSupportedException();
    public void RestoreExperiment(string experimentId) => throw new NotSupportedException();
    public void RenameExperiment(string experimentId, string newName) => throw new NotSupportedException();
    public void SetExperimentTag(string experimentId, string key, string value) => throw new NotSupportedException();
    public Run CreateRun(string experimentId, string? userId, long startTime, IReadOnlyList<RunTag>? tags, string? runName) => throw new NotSupportedException();
    public Run GetRun(string runId) => throw new NotSupportedException();
    public RunInfo UpdateRunInfo(string runId, RunStatus status, long? endTime, string? runName) => throw new NotSupportedException();
    public void DeleteRun(string runId) => throw new NotSupportedException();
    public void RestoreRun(string runId) => throw new NotSupportedException();
    public PagedList<Run> SearchRuns(IReadOnlyList<string> experimentIds, string? filter, ViewType viewType, int maxResults, IReadOnlyList<string>? orderBy, string? pageToken) => throw new NotSupportedException();
    public void LogInputs(string runId, IReadOnlyList<DatasetInput> inputs) => throw new NotSupportedException();
    public void DeleteTag(string runId, string key) => throw new NotSupportedException();
    public IReadOnlyList<Metric> GetMetricHistory(string runId, string metricKey) => throw new NotSupportedException();
    public IArtifactRepository GetArtifactRepository(string runId) => throw new NotSupportedException();
}
