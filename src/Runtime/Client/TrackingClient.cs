using Qlib.Tracked.Artifacts;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores;

namespace Qlib.Tracked.Client;

/// <summary>
/// MLflow's <c>MlflowClient</c> with explicit ids: every call names its experiment or run. It holds no
/// ambient state; it validates all input once (MLflow's rules) and then calls the
/// <see cref="ITrackingStore"/> chosen by the URI scheme. Errors are <see cref="TrackingException"/>s.
/// Thread-safe as its store is: it keeps only a concurrent cache of validated keys.
/// </summary>
public sealed class TrackingClient : IDisposable
{
    // Each distinct key is checked against MLflow's rules once per client, not once per point.
    private readonly Validation.ValidatedKeyCache _keys = new();

    // True when this client opened the store from a URI, and so disposes of it; a store handed in belongs to the caller.
    private readonly bool _ownsStore;

    /// <summary>
    /// Opens the store for <paramref name="trackingUri"/> (<c>file:/abs/mlruns</c>, <c>file:///…</c>, a path,
    /// <c>sqlite:///…</c>, <c>postgresql://…</c>); disposing of the client disposes of that store.
    /// </summary>
    public TrackingClient(string trackingUri, TrackingStoreOptions? options = null)
        : this(TrackingStoreRegistry.Open(trackingUri, options), ownsStore: true) { }

    /// <summary>Wraps an already-open store (tests, custom backends); the caller keeps it and disposes of it.</summary>
    public TrackingClient(ITrackingStore store) : this(store, ownsStore: false) { }

    private TrackingClient(ITrackingStore store, bool ownsStore)
    {
        ArgumentNullException.ThrowIfNull(store);
        Store = store;
        _ownsStore = ownsStore;
    }

    /// <summary>Disposes of the store when this client opened it from a URI; a store handed in is left open.</summary>
    public void Dispose()
    {
        if (_ownsStore) Store.Dispose();
    }

    /// <summary>The store this client validates for and writes to.</summary>
    public ITrackingStore Store { get; }

    /// <summary>The store's tracking URI.</summary>
    public string TrackingUri => Store.TrackingUri;

    // ----- experiments -----

    /// <summary>Creates an experiment and returns its id; RESOURCE_ALREADY_EXISTS when the name is taken.</summary>
    public string CreateExperiment(string name, string? artifactLocation = null, IReadOnlyDictionary<string, string>? tags = null)
    {
        ClientValidation.ExperimentName(name);
        List<RunTag>? tagList = null;
        if (tags is not null)
        {
            tagList = new List<RunTag>(tags.Count);
            foreach (var (k, v) in tags)
            {
                ClientValidation.ExperimentTag(k, v);
                tagList.Add(new RunTag(k, v));
            }
        }
        return Store.CreateExperiment(name, artifactLocation, tagList);
    }

    /// <summary>By id, active or deleted; RESOURCE_DOES_NOT_EXIST when unknown.</summary>
    public ExperimentInfo GetExperiment(string experimentId)
    {
        ClientValidation.ExperimentId(experimentId);
        return Store.GetExperiment(experimentId);
    }

    /// <summary>The active experiment with this name, or null.</summary>
    public ExperimentInfo? GetExperimentByName(string name)
    {
        ClientValidation.ExperimentName(name);
        return Store.GetExperimentByName(name);
    }

    /// <summary>Every experiment in <paramref name="viewType"/>, newest first.</summary>
    public IReadOnlyList<ExperimentInfo> SearchExperiments(ViewType viewType = ViewType.ActiveOnly) =>
        Store.SearchExperiments(viewType);

    /// <summary>
    /// One page of experiments matching <paramref name="filter"/> (<c>name</c>, <c>creation_time</c>,
    /// <c>last_update_time</c>, <c>tags.&lt;key&gt;</c>), ordered by <paramref name="orderBy"/> (default
    /// creation_time DESC, experiment_id ASC); pass the returned token for the next page.
    /// </summary>
    public PagedList<ExperimentInfo> SearchExperiments(string? filter, ViewType viewType = ViewType.ActiveOnly, int maxResults = 1000,
        IReadOnlyList<string>? orderBy = null, string? pageToken = null)
    {
        ClientValidation.MaxResults(maxResults);
        return Store.SearchExperiments(filter, viewType, maxResults, orderBy, pageToken);
    }

    /// <summary>Marks an experiment and its runs deleted; validates the id first.</summary>
    public void DeleteExperiment(string experimentId)
    {
        ClientValidation.ExperimentId(experimentId);
        Store.DeleteExperiment(experimentId);
    }

    /// <summary>Makes a deleted experiment active again.</summary>
    public void RestoreExperiment(string experimentId)
    {
        ClientValidation.ExperimentId(experimentId);
        Store.RestoreExperiment(experimentId);
    }

    /// <summary>Renames an active experiment.</summary>
    public void RenameExperiment(string experimentId, string newName)
    {
        ClientValidation.ExperimentId(experimentId);
        ClientValidation.ExperimentName(newName);
        Store.RenameExperiment(experimentId, newName);
    }

    /// <summary>Sets one experiment tag after MLflow's key/value checks.</summary>
    public void SetExperimentTag(string experimentId, string key, string value)
    {
        ClientValidation.ExperimentId(experimentId);
        ClientValidation.ExperimentTag(key, value);
        Store.SetExperimentTag(experimentId, key, value);
    }

    // ----- runs -----

    /// <summary>
    /// Creates a RUNNING run. <paramref name="runName"/> becomes the <c>mlflow.runName</c> tag (MLflow
    /// picks a random name when neither is given); <paramref name="startTime"/> defaults to now.
    /// </summary>
    public Run CreateRun(string experimentId, long? startTime = null, IReadOnlyDictionary<string, string>? tags = null,
        string? runName = null, string? userId = null)
    {
        ClientValidation.ExperimentId(experimentId);
        var tagList = new List<RunTag>(tags?.Count ?? 0);
        if (tags is not null)
        {
            foreach (var (k, v) in tags)
            {
                ClientValidation.Tag(k, v);
                tagList.Add(new RunTag(k, v));
            }
        }
        return Store.CreateRun(experimentId, userId, startTime ?? Clock.NowMs(), tagList, runName);
    }

    /// <summary>A run with its info and latest metrics, params and tags.</summary>
    public Run GetRun(string runId)
    {
        ClientValidation.RunId(runId);
        return Store.GetRun(runId);
    }

    /// <summary>Logs one metric point; timestamp defaults to now (ms), step to 0 (MLflow's defaults).</summary>
    public void LogMetric(string runId, string key, double value, long? timestamp = null, long step = 0)
    {
        ClientValidation.RunId(runId);
        var metric = new Metric(key, value, timestamp ?? Clock.NowMs(), step);
        ClientValidation.Metric(metric, _keys);
        Store.LogMetric(runId, metric);
    }

    /// <summary>Logs a param; the value is spelled as Python's <c>str()</c> (<see cref="ParamValue.Format"/>). Returns the stored text.</summary>
    public string LogParam(string runId, string key, object? value)
    {
        ClientValidation.RunId(runId);
        var text = ParamValue.Format(value);
        ClientValidation.Param(key, text);
        Store.LogParam(runId, new Param(key, text));
        return text;
    }

    /// <summary>Sets one run tag after MLflow's key/value checks.</summary>
    public void SetTag(string runId, string key, string value)
    {
        ClientValidation.RunId(runId);
        ClientValidation.Tag(key, value);
        Store.SetTag(runId, new RunTag(key, value));
    }

    /// <summary>
    /// One batch write. Enforces MLflow's limits (≤1000 metrics, ≤100 params, ≤100 tags, ≤1000 in all) and
    /// refuses duplicate param keys, as MLflow does; larger volumes go through a <see cref="RunLogBuffer"/>.
    /// </summary>
    public void LogBatch(string runId, IEnumerable<Metric>? metrics = null, IEnumerable<Param>? parameters = null, IEnumerable<RunTag>? tags = null)
    {
        ClientValidation.RunId(runId);
        // An array is passed on as is (the store takes its own snapshot of what it writes); other sequences are copied once.
        var m = metrics as Metric[] ?? metrics?.ToArray() ?? [];
        var p = parameters?.ToArray() ?? [];
        var t = tags?.ToArray() ?? [];
        ClientValidation.BatchLimits(m.Length, p.Length, t.Length);
        ClientValidation.Metrics(m, _keys);
        foreach (var param in p) ClientValidation.Param(param.Key, param.Value, _keys);
        ClientValidation.ParamKeysUnique(p);
        foreach (var tag in t) ClientValidation.Tag(tag.Key, tag.Value, _keys);
        Store.LogBatch(runId, m, p, t);
    }

    /// <summary>Removes one run tag.</summary>
    public void DeleteTag(string runId, string key)
    {
        ClientValidation.RunId(runId);
        ClientValidation.TagKey(key);
        Store.DeleteTag(runId, key);
    }

    /// <summary>Ends a run: sets its status (FINISHED by default) and end time (now by default).</summary>
    public RunInfo SetTerminated(string runId, RunStatus status = RunStatus.Finished, long? endTime = null)
    {
        ClientValidation.RunId(runId);
        return Store.UpdateRunInfo(runId, status, endTime ?? Clock.NowMs(), runName: null);
    }

    /// <summary>
    /// Changes status and/or name (MLflow's <c>update_run</c>). A RUNNING status clears the end time (the
    /// run is live again); any other status keeps the recorded one.
    /// </summary>
    public RunInfo UpdateRun(string runId, RunStatus? status = null, string? name = null)
    {
        ClientValidation.RunId(runId);
        var current = Store.GetRun(runId).Info;
        var newStatus = status ?? current.Status;
        var endTime = newStatus == RunStatus.Running ? null : current.EndTime;
        return Store.UpdateRunInfo(runId, newStatus, endTime, name);
    }

    /// <summary>Marks a run deleted.</summary>
    public void DeleteRun(string runId)
    {
        ClientValidation.RunId(runId);
        Store.DeleteRun(runId);
    }

    /// <summary>Makes a deleted run active again.</summary>
    public void RestoreRun(string runId)
    {
        ClientValidation.RunId(runId);
        Store.RestoreRun(runId);
    }

    /// <summary>Every logged point of metric <paramref name="key"/> of a run, duplicates kept.</summary>
    public IReadOnlyList<Metric> GetMetricHistory(string runId, string key)
    {
        ClientValidation.RunId(runId);
        ClientValidation.Metric(new Metric(key, 0, 0, 0));
        return Store.GetMetricHistory(runId, key);
    }

    /// <summary>One page of runs (natural order start_time DESC, run_id ASC); pass the returned token for the next.</summary>
    public PagedList<Run> SearchRuns(IReadOnlyList<string> experimentIds, string? filter = null, ViewType viewType = ViewType.ActiveOnly,
        int maxResults = 1000, IReadOnlyList<string>? orderBy = null, string? pageToken = null)
    {
        ArgumentNullException.ThrowIfNull(experimentIds);
        foreach (var id in experimentIds) ClientValidation.ExperimentId(id);
        ClientValidation.MaxResults(maxResults);
        return Store.SearchRuns(experimentIds, filter, viewType, maxResults, orderBy, pageToken);
    }

    /// <summary>
    /// Every run matching, across pages (stops at <paramref name="maxResults"/>). Pages are as large as MLflow
    /// allows, because a file store filters and sorts every run of the experiments for each page it answers.
    /// </summary>
    public IReadOnlyList<Run> SearchAllRuns(IReadOnlyList<string> experimentIds, string? filter = null, ViewType viewType = ViewType.ActiveOnly,
        int maxResults = 50_000, IReadOnlyList<string>? orderBy = null)
    {
        ClientValidation.MaxResults(maxResults);
        var all = new List<Run>();
        string? token = null;
        do
        {
            var page = SearchRuns(experimentIds, filter, viewType, Math.Min(Stores.Search.RunSearch.MaxResultsLimit, maxResults - all.Count), orderBy, token);
            all.AddRange(page.Items);
            token = page.NextPageToken;
        } while (token is not null && all.Count < maxResults);
        return all;
    }

    // ----- artifacts -----

    /// <summary>The artifact repository of a run.</summary>
    public IArtifactRepository GetArtifactRepository(string runId)
    {
        ClientValidation.RunId(runId);
        return Store.GetArtifactRepository(runId);
    }

    /// <summary>One level below <paramref name="path"/> (the artifact root when null).</summary>
    public IReadOnlyList<ArtifactInfo> ListArtifacts(string runId, string? path = null) => GetArtifactRepository(runId).List(path);

    /// <summary>
    /// Copies a local file into the run's artifacts under <paramref name="artifactPath"/>. A directory is
    /// logged as a folder of its own name under <paramref name="artifactPath"/> (MlflowClient.log_artifact).
    /// </summary>
    public void LogArtifact(string runId, string localPath, string? artifactPath = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(localPath);
        var repo = GetArtifactRepository(runId);
        if (Directory.Exists(localPath))
        {
            var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(localPath)));
            repo.LogArtifact(localPath, string.IsNullOrEmpty(artifactPath) ? name : artifactPath.TrimEnd('/') + "/" + name);
        }
        else if (File.Exists(localPath))
        {
            repo.LogArtifact(localPath, artifactPath);
        }
        else
        {
            throw TrackingException.DoesNotExist($"Cannot log artifact '{localPath}': no such file or directory.");
        }
    }

    /// <summary>Copies an artifact to <paramref name="dstPath"/> (a temp folder when null) and returns the local path.</summary>
    public string DownloadArtifacts(string runId, string path, string? dstPath = null) =>
        GetArtifactRepository(runId).Download(path, dstPath);
}
