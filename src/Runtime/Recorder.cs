using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Qlib.Tracked.Artifacts;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores;
using Qlib.Tracked.Client;

namespace Qlib.Tracked;

/// <summary>
/// One MLflow run seen as a Qlib recorder (<c>MLflowRecorder</c>). A new recorder has no id and status
/// SCHEDULED until <see cref="StartRun"/> creates (or resumes) its run. While it runs, params, metrics and
/// tags are queued and written in the background (<see cref="RunLogBuffer"/>); <see cref="Flush"/> and
/// <see cref="EndRun"/> wait for them and throw if any write failed. Outside a run they are written at once.
/// Two recorders are equal when their ids are.
/// Thread-safe: starting and ending are serialised by a lock, and logging goes through the thread-safe <see cref="RunLogBuffer"/> or <see cref="TrackingClient"/>.
/// </summary>
public sealed class Recorder : IEquatable<Recorder>, IRunLogger, IRunReader
{
    /// <summary>Qlib's default recorder name.</summary>
    public const string DefaultName = "mlflow_recorder";

    /// <summary>The param Qlib logs with the command line (<c>" ".join(sys.argv)</c>).</summary>
    public const string CommandLineParam = "cmd-sys.argv";

    private readonly TrackingClient _client;
    private readonly RecorderOptions _options;
    private readonly object _sync = new();
    private volatile RunLogBuffer? _buffer;

    /// <summary>A recorder whose run does not exist yet (Qlib's <c>create_recorder</c>).</summary>
    internal Recorder(TrackingClient client, string uri, string experimentId, string? name, RecorderOptions options)
    {
        _client = client;
        _options = options;
        Uri = uri;
        ExperimentId = experimentId;
        Name = name;
        Status = RunStatus.Scheduled;
    }

    /// <summary>A recorder rebuilt from a stored run (name, id, status, times and artifact URI copied).</summary>
    internal Recorder(TrackingClient client, string uri, Run run, RecorderOptions options)
        : this(client, uri, run.Info.ExperimentId, run.Info.RunName, options) => CopyFrom(run.Info);

    /// <summary>The run id (32 hex chars); null until the run starts.</summary>
    public string? Id { get; private set; }

    /// <summary>The run name (tag <c>mlflow.runName</c>).</summary>
    public string? Name { get; private set; }

    /// <summary>The id of the experiment the run belongs to.</summary>
    public string ExperimentId { get; private set; }

    /// <summary>The run status as last read or set.</summary>
    public RunStatus Status { get; private set; }

    /// <summary>When the run started; null until it starts.</summary>
    public DateTimeOffset? StartTime { get; private set; }

    /// <summary>When the run ended; null while it runs.</summary>
    public DateTimeOffset? EndTime { get; private set; }

    /// <summary>The run's artifact root URI; null until the run starts.</summary>
    public string? ArtifactUri { get; private set; }

    /// <summary>The tracking URI captured when this recorder was made (Qlib 1.2).</summary>
    public string Uri { get; }

    /// <summary>True between <see cref="StartRun"/> and <see cref="EndRun"/>.</summary>
    public bool IsRunning => _buffer is not null;

    /// <summary>Qlib's <c>info</c>: class, id, name, experiment_id, start_time, end_time (local <c>%Y-%m-%d %H:%M:%S</c>), status.</summary>
    public IReadOnlyDictionary<string, object?> Info => new Dictionary<string, object?>
    {
        ["class"] = "Recorder",
        ["id"] = Id,
        ["name"] = Name,
        ["experiment_id"] = ExperimentId,
        ["start_time"] = FormatLocal(StartTime),
        ["end_time"] = FormatLocal(EndTime),
        ["status"] = Status.ToMlflowString(),
    };

    // ----- lifecycle -----

    /// <summary>
    /// Creates the run (or resumes it when this recorder already has an id) and makes it RUNNING.
    /// A new run gets the tags <c>mlflow.runName</c>, <c>mlflow.user</c>, <c>mlflow.source.name</c>,
    /// <c>mlflow.source.type</c> and, inside a git work tree, <c>mlflow.source.git.commit</c> plus Qlib's
    /// <c>code_diff.txt</c>/<c>code_status.txt</c>/<c>code_cached.txt</c> artifacts (see
    /// <see cref="RecorderOptions.CaptureSource"/>). Every start logs the params <c>cmd-sys.argv</c> and one
    /// per <c>_QLIB_*</c> environment variable; on resume a value that differs from the one already logged
    /// is skipped instead of failing (MLflow params cannot change).
    /// </summary>
    public Recorder StartRun()
    {
        lock (_sync)
        {
            if (_buffer is not null)
                throw TrackingException.InvalidState($"Recorder '{Id}' is already running.");
            var gitDir = _options.SourceDirectory ?? Environment.CurrentDirectory;
            Run run;
            var resumed = Id is not null;
            if (Id is null)
            {
                var tags = SourceCapture.BasicTags();
                if (Name is not null) tags[SourceCapture.RunNameTag] = Name;
                if (_options.CaptureSource && SourceCapture.GitCommit(gitDir, _options.GitTimeout) is { } commit)
                    tags[SourceCapture.GitCommitTag] = commit;
                run = _client.CreateRun(ExperimentId, Clock.NowMs(), tags, Name, SourceCapture.UserName);
            }
            else
            {
                _client.UpdateRun(Id, RunStatus.Running);
                run = _client.GetRun(Id);
            }
            CopyFrom(run.Info);
            StartTime = DateTimeOffset.UtcNow;
            EndTime = null;
            Status = RunStatus.Running;
            RunLogBuffer buffer;
            try
            {
                if (_options.CaptureSource)
                {
                    var repo = _client.GetArtifactRepository(run.Info.RunId);
                    foreach (var (file, content) in SourceCapture.CodeSnapshots(gitDir, _options.GitTimeout))
                        repo.Write(file, Encoding.UTF8.GetBytes(content));
                }
                // Written here, in one batch, rather than queued: the start waits for them anyway, and a
                // hand-off to the background writer and back costs more than the write on a new run.
                var startParams = StartParams(run.Data.Params, resumed);
                if (startParams.Count > 0) _client.LogBatch(run.Info.RunId, parameters: startParams);
                var known = new Dictionary<string, string>(run.Data.Params, StringComparer.Ordinal);
                foreach (var param in startParams) known[param.Key] = param.Value;
                buffer = new RunLogBuffer(_client.Store, run.Info.RunId, known,
                    synchronous: !_options.AsyncLogging, capacity: _options.LogQueueCapacity);
            }
            catch
            {
                // A run that could not record its start must not stay RUNNING with nobody to end it.
                Status = RunStatus.Failed;
                try { _client.SetTerminated(run.Info.RunId, RunStatus.Failed); } catch (TrackingException) { }
                throw;
            }
            _buffer = buffer;
            return this;
        }
    }

    /// <summary>
    /// <c>cmd-sys.argv</c> and the <c>_QLIB_*</c> params; on resume, one whose value differs from the value
    /// already logged is left out (MLflow params cannot change) and one logged with the same value is a no-op.
    /// </summary>
    private static List<Param> StartParams(IReadOnlyDictionary<string, string> existing, bool resumed)
    {
        var result = new List<Param>();
        Add(CommandLineParam, SourceCapture.CommandLine());
        foreach (var (key, value) in SourceCapture.QlibEnvironmentParams()) Add(key, value);
        return result;

        void Add(string key, string value)
        {
            if (resumed && existing.TryGetValue(key, out var logged) && logged != value) return;
            result.Add(new Param(key, value));
        }
    }

    /// <summary>
    /// Ends the run with <paramref name="status"/> (one of Qlib's SCHEDULED, RUNNING, FINISHED, FAILED):
    /// waits for queued logging, then records status and end time. If queued data could not be written,
    /// the run is recorded FAILED and the write error is thrown. A recorder that never started keeps its
    /// local SCHEDULED status (Qlib).
    /// </summary>
    public void EndRun(RunStatus status = RunStatus.Finished)
    {
        if (status is not (RunStatus.Scheduled or RunStatus.Running or RunStatus.Finished or RunStatus.Failed))
            throw TrackingException.InvalidParameter(
                $"The status '{status.ToMlflowString()}' is not one of Qlib's recorder statuses (SCHEDULED, RUNNING, FINISHED, FAILED).");
        lock (_sync)
        {
            var endTime = DateTimeOffset.UtcNow;
            EndTime = endTime;
            if (Status != RunStatus.Scheduled) Status = status;
            if (Id is null) return;

            TrackingException? writeFailure = null;
            var buffer = _buffer;
            _buffer = null;
            try { buffer?.Close(); }
            catch (TrackingException ex) { writeFailure = ex; }

            if (writeFailure is null)
            {
                _client.SetTerminated(Id, status, endTime.ToUnixTimeMilliseconds());
                return;
            }
            Status = RunStatus.Failed;
            try
            {
                _client.SetTerminated(Id, RunStatus.Failed, endTime.ToUnixTimeMilliseconds());
            }
            catch (Exception terminateError)
            {
                // e.g. the run folder is gone: report both rather than hide the lost data.
                throw new AggregateException($"Queued data for run '{Id}' was not written, and the run could not be marked FAILED.", writeFailure, terminateError);
            }
            throw writeFailure;
        }
    }

    /// <summary>Waits until every queued param, metric and tag is written; throws if a write failed.</summary>
    public void Flush() => _buffer?.Flush();

    // ----- params, metrics, tags -----

    /// <summary>Logs params; values are spelled as Python's <c>str()</c> would (<see cref="ParamValue.Format"/>).</summary>
    public void LogParams(params (string Key, object? Value)[] parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        foreach (var (key, value) in parameters) LogParam(key, value);
    }

    /// <inheritdoc cref="LogParams(ValueTuple{string, object}[])"/>
    public void LogParams(IEnumerable<KeyValuePair<string, object?>> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        foreach (var (key, value) in parameters) LogParam(key, value);
    }

    private void LogParam(string key, object? value)
    {
        var text = ParamValue.Format(value);
        if (_buffer is { } buffer) buffer.LogParam(key, text);
        else _client.LogParam(RequireId(), key, text);
    }

    /// <summary>Logs metrics at step 0 (Qlib's <c>step=None</c>).</summary>
    public void LogMetrics(params (string Key, double Value)[] metrics) => LogMetrics(0, metrics);

    /// <summary>Logs metrics, all at <paramref name="step"/> and the same timestamp (Qlib's <c>log_metrics(step, **kw)</c>).</summary>
    public void LogMetrics(long step, params (string Key, double Value)[] metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        if (_buffer is { } buffer)
        {
            buffer.LogMetrics(metrics, step);
            return;
        }
        var id = RequireId();
        var now = Clock.NowMs();
        _client.LogBatch(id, metrics.Select(m => new Metric(m.Key, m.Value, now, step)));
    }

    /// <summary>Logs one metric (the cheapest call: no array).</summary>
    public void LogMetric(string key, double value, long step = 0)
    {
        if (_buffer is { } buffer) buffer.LogMetric(key, value, step);
        else _client.LogMetric(RequireId(), key, value, step: step);
    }

    /// <summary>Sets run tags, validated as MLflow does.</summary>
    public void SetTags(params (string Key, string Value)[] tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        foreach (var (key, value) in tags)
        {
            if (_buffer is { } buffer) buffer.SetTag(key, value);
            else _client.SetTag(RequireId(), key, value);
        }
    }

    /// <summary>Deletes tags, after queued tag writes so the order of calls is kept.</summary>
    public void DeleteTags(params string[] keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        Flush();
        var id = RequireId();
        foreach (var key in keys) _client.DeleteTag(id, key);
    }

    /// <summary>Latest value per metric (highest step wins, as MLflow). Waits for queued writes first.</summary>
    public IReadOnlyDictionary<string, double> ListMetrics() =>
        ReadRun().Data.Metrics.ToDictionary(kv => kv.Key, kv => kv.Value.Value, StringComparer.Ordinal);

    /// <summary>The run's params as stored (key to string value).</summary>
    public IReadOnlyDictionary<string, string> ListParams() => ReadRun().Data.Params;

    /// <summary>Tags, including MLflow's system tags (<c>mlflow.runName</c>, <c>mlflow.user</c>, <c>mlflow.source.*</c>).</summary>
    public IReadOnlyDictionary<string, string> ListTags() => ReadRun().Data.Tags;

    /// <summary>Every logged point of one metric, in the order written.</summary>
    public IReadOnlyList<Metric> GetMetricHistory(string key)
    {
        Flush();
        return _client.GetMetricHistory(RequireId(), key);
    }

    private Run ReadRun()
    {
        Flush();
        return _client.GetRun(RequireId());
    }

    // ----- artifacts -----

    /// <summary>
    /// Saves <paramref name="value"/> as the artifact <c>[artifactPath/]name</c> with the serializer
    /// registered for <typeparamref name="T"/> (<c>ArtifactSerializers.For&lt;T&gt;()</c>). The name is used as is; no extension is added.
    /// </summary>
    public void SaveObject<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.All)] T>(string name, T value, string? artifactPath = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArtifactObjects.Save(Repository(), JoinArtifactPath(artifactPath, name), value);
    }

    /// <summary>Loads the artifact <paramref name="name"/> with the serializer registered for <typeparamref name="T"/>.</summary>
    public T LoadObject<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.All)] T>(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return ArtifactObjects.Load<T>(Repository(), name);
    }

    /// <summary>Logs a local file into <paramref name="artifactPath"/>, or a directory's <em>contents</em> (Qlib's <c>save_objects(local_path)</c>).</summary>
    public void SaveObjects(string localPath, string? artifactPath = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(localPath);
        if (!File.Exists(localPath) && !Directory.Exists(localPath))
            throw TrackingException.DoesNotExist($"Cannot save objects from '{localPath}': no such file or directory.");
        Repository().LogArtifact(localPath, artifactPath);
    }

    /// <summary>Logs a local file into <paramref name="artifactPath"/>; a directory goes in as a folder of its own name (MlflowClient).</summary>
    public void LogArtifact(string localPath, string? artifactPath = null) => _client.LogArtifact(RequireId(), localPath, artifactPath);

    /// <summary>Copies an artifact to <paramref name="dstPath"/> (a temp folder when null) and returns the local path.</summary>
    public string DownloadArtifact(string path, string? dstPath = null) => _client.DownloadArtifacts(RequireId(), path, dstPath);

    /// <summary>One level of artifact paths below <paramref name="path"/>, relative to the artifact root (<c>["code_diff.txt", "pred.pkl", "sig_analysis"]</c>).</summary>
    public IReadOnlyList<string> ListArtifacts(string? path = null) =>
        Repository().List(path).Select(a => a.Path).ToList();

    /// <summary>The run folder (the parent of <c>artifacts/</c>) for a local store.</summary>
    public string GetLocalDir()
    {
        if (ArtifactUri is null)
            throw TrackingException.InvalidState("This recorder has no artifact URI: create and start it before asking for its local folder.");
        if (TrackingUri.GetScheme(ArtifactUri) != "file")
            throw TrackingException.InvalidState($"The artifact URI '{ArtifactUri}' is not on the local file system.");
        var artifacts = TrackingUri.ToLocalPath(ArtifactUri).TrimEnd('/', '\\');
        return Path.GetDirectoryName(artifacts) ?? artifacts;
    }

    // ----- IRunLogger / IRunReader: what [Tracked] generated code calls -----

    void IRunLogger.LogParamBatch(ReadOnlySpan<KeyValuePair<string, string>> parameters)
    {
        if (_buffer is { } buffer)
        {
            foreach (var (key, value) in parameters) buffer.LogParam(key, value);
            return;
        }
        var batch = new List<Param>(parameters.Length);
        foreach (var (key, value) in parameters) batch.Add(new Param(key, value));
        _client.LogBatch(RequireId(), parameters: batch);
    }

    void IRunLogger.LogMetricBatch(ReadOnlySpan<(string Key, double Value)> metrics, long step)
    {
        if (_buffer is { } buffer)
        {
            buffer.LogMetrics(metrics, step);
            return;
        }
        var now = Clock.NowMs();
        var batch = new List<Metric>(metrics.Length);
        foreach (var (key, value) in metrics) batch.Add(new Metric(key, value, now, step));
        _client.LogBatch(RequireId(), metrics: batch);
    }

    void IRunLogger.SaveArtifact<T>(string name, T value, IArtifactSerializer<T> serializer)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArtifactObjects.Write(Repository(), name, value, serializer);
    }

    bool IRunReader.HasArtifact(string name) => Repository().Exists(name);

    T IRunReader.LoadArtifact<T>(string name, IArtifactSerializer<T> serializer)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return ArtifactObjects.Read(Repository(), name, serializer);
    }

    private IArtifactRepository Repository() => _client.GetArtifactRepository(RequireId());

    private string RequireId() => Id ?? throw TrackingException.InvalidState(
        $"Recorder '{Name}' has not started: start it (Recorder.StartRun or R.Start) before logging to it.");

    internal static string JoinArtifactPath(string? folder, string name) =>
        string.IsNullOrEmpty(folder) ? name : folder.TrimEnd('/') + "/" + name;

    private void CopyFrom(RunInfo info)
    {
        Id = info.RunId;
        Name = info.RunName;
        ExperimentId = info.ExperimentId;
        Status = info.Status;
        StartTime = Clock.FromMs(info.StartTime);
        EndTime = Clock.FromMs(info.EndTime);
        ArtifactUri = info.ArtifactUri;
    }

    private static string? FormatLocal(DateTimeOffset? time) =>
        time?.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    // ----- equality by id (Qlib) -----

    /// <inheritdoc/>
    public bool Equals(Recorder? other) => other is not null && string.Equals(Id, other.Id, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Recorder r && Equals(r);

    /// <inheritdoc/>
    public override int GetHashCode() => Id is null ? 0 : StringComparer.Ordinal.GetHashCode(Id);

    /// <inheritdoc/>
    public override string ToString() => $"Recorder(id={Id}, name={Name}, experiment_id={ExperimentId}, status={Status.ToMlflowString()})";
}
