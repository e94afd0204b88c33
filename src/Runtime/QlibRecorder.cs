using System.Diagnostics.CodeAnalysis;
using Qlib.Tracked.Entities;

namespace Qlib.Tracked;

/// <summary>
/// Qlib's <c>QlibRecorder</c>, the object behind <see cref="R"/>: every method of Qlib's <c>R</c> with
/// Qlib's semantics, over one <see cref="ExperimentManager"/>. Usable on its own (no ambient state) or
/// through <see cref="R"/> after <see cref="R.Register"/>.
/// Thread-safe as its <see cref="ExperimentManager"/> is; the active experiment and recorder are shared by every thread, as in Qlib.
/// </summary>
/// <remarks>
/// Outside a <see cref="Start"/> scope, as in Qlib: <see cref="LogParams(ValueTuple{string, object}[])"/>,
/// <see cref="LogMetrics(ValueTuple{string, double}[])"/>, <see cref="SetTags"/>, <see cref="DeleteTags"/>,
/// <see cref="LogArtifact"/> and <see cref="DownloadArtifact"/> make the default experiment active and start
/// a new <c>mlflow_recorder</c> run that stays active until <see cref="EndExp"/> or process exit;
/// <see cref="SaveObject{T}"/>, <see cref="SaveObjects"/> and <see cref="LoadObject{T}"/> use the newest
/// existing <c>mlflow_recorder</c> run of the default experiment without making it active (one is created
/// and started only when there is none).
/// </remarks>
public sealed class QlibRecorder
{
    /// <summary>A Qlib-style recorder facade over <paramref name="experimentManager"/>.</summary>
    public QlibRecorder(ExperimentManager experimentManager)
    {
        ArgumentNullException.ThrowIfNull(experimentManager);
        ExperimentManager = experimentManager;
    }

    /// <summary>The manager that owns the tracking URI and the active experiment.</summary>
    public ExperimentManager ExperimentManager { get; }

    // ----- experiments and scopes -----

    /// <summary>
    /// Starts an experiment and a recorder (see <see cref="ExperimentManager.StartExp"/>) and returns the
    /// scope that ends them. Call <see cref="RunScope.Complete"/> at the end of the block: a scope disposed
    /// without it ends FAILED. Prefer <see cref="Run"/>, which does that for you.
    /// </summary>
    public RunScope Start(string? experimentId = null, string? experimentName = null, string? recorderId = null,
        string? recorderName = null, string? uri = null, bool resume = false)
    {
        var experiment = ExperimentManager.StartExp(experimentId, experimentName, recorderId, recorderName, uri, resume);
        return new RunScope(this, experiment, experiment.ActiveRecorder!);
    }

    /// <summary>
    /// Runs <paramref name="body"/> inside an experiment scope: the run ends FINISHED when the body returns,
    /// or FAILED when it throws, and the exception is rethrown (Qlib's <c>with R.start()</c>).
    /// </summary>
    public void Run(Action<Experiment> body, string? experimentName = null, string? recorderName = null, string? uri = null, bool resume = false)
    {
        ArgumentNullException.ThrowIfNull(body);
        var scope = Start(experimentName: experimentName, recorderName: recorderName, uri: uri, resume: resume);
        try
        {
            body(scope.Experiment);
        }
        catch (Exception bodyError)
        {
            EndFailed(scope, bodyError);
            throw;
        }
        scope.Complete();
        scope.Dispose();
    }

    /// <inheritdoc cref="Run"/>
    public async Task RunAsync(Func<Experiment, Task> body, string? experimentName = null, string? recorderName = null, string? uri = null, bool resume = false)
    {
        ArgumentNullException.ThrowIfNull(body);
        var scope = Start(experimentName: experimentName, recorderName: recorderName, uri: uri, resume: resume);
        try
        {
            await body(scope.Experiment).ConfigureAwait(false);
        }
        catch (Exception bodyError)
        {
            EndFailed(scope, bodyError);
            throw;
        }
        scope.Complete();
        await scope.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Ends a scope FAILED; an error while ending is joined to the body's error rather than hiding it.</summary>
    private static void EndFailed(RunScope scope, Exception bodyError)
    {
        try
        {
            scope.Dispose();
        }
        catch (Exception endError)
        {
            throw new AggregateException("The run body failed, and ending the run failed too.", bodyError, endError);
        }
    }

    /// <summary>Ends a scope: the whole experiment when it is still the active one, else just its recorder.</summary>
    internal void EndScope(RunScope scope, RunStatus status)
    {
        if (ReferenceEquals(ExperimentManager.ActiveExperiment, scope.Experiment)) ExperimentManager.EndExp(status);
        else if (scope.Recorder.IsRunning) scope.Recorder.EndRun(status);
    }

    /// <summary>Starts an experiment without a scope; the caller must call <see cref="EndExp"/>.</summary>
    public Experiment StartExp(string? experimentId = null, string? experimentName = null, string? recorderId = null,
        string? recorderName = null, string? uri = null, bool resume = false) =>
        ExperimentManager.StartExp(experimentId, experimentName, recorderId, recorderName, uri, resume);

    /// <summary>Ends the active experiment; harmless when none is active.</summary>
    public void EndExp(RunStatus status = RunStatus.Finished) => ExperimentManager.EndExp(status);

    /// <summary>Runs of the given experiments (MLflow's <c>search_runs</c>), filtered and ordered, at most <paramref name="maxResults"/>.</summary>
    public IReadOnlyList<Run> SearchRecords(IEnumerable<string> experimentIds, string? filter = null, ViewType viewType = ViewType.ActiveOnly,
        int maxResults = 50_000, IReadOnlyList<string>? orderBy = null) =>
        ExperimentManager.SearchRecords(experimentIds, filter, viewType, maxResults, orderBy);

    /// <summary>Active experiments by name.</summary>
    public IReadOnlyDictionary<string, Experiment> ListExperiments() => ExperimentManager.ListExperiments();

    /// <summary>The experiment's recorders, newest first. Creates the experiment when it does not exist (Qlib).</summary>
    public OrderedDictionary<string, Recorder> ListRecorders(string? experimentId = null, string? experimentName = null) =>
        GetExp(experimentId, experimentName).ListRecorders();

    /// <inheritdoc cref="ExperimentManager.GetExp"/>
    public Experiment GetExp(string? experimentId = null, string? experimentName = null, bool create = true, bool start = false) =>
        ExperimentManager.GetExp(experimentId, experimentName, create, start);

    /// <summary>Deletes an experiment by id or, when the id is null, by name; INVALID_PARAMETER_VALUE when both are null.</summary>
    public void DeleteExp(string? experimentId = null, string? experimentName = null) =>
        ExperimentManager.DeleteExp(experimentId, experimentName);

    /// <summary>The effective tracking URI.</summary>
    public string GetUri() => ExperimentManager.Uri;

    /// <summary>Sets the default tracking URI for good (use an absolute path; <c>~</c> is not expanded).</summary>
    public void SetUri(string uri)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(uri);
        ExperimentManager.DefaultUri = uri;
    }

    /// <summary>Sets the default tracking URI until the returned object is disposed.</summary>
    public IDisposable UriContext(string uri)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(uri);
        var previous = ExperimentManager.DefaultUri;
        ExperimentManager.DefaultUri = uri;
        return new RestoreUri(ExperimentManager, previous);
    }

    private sealed class RestoreUri(ExperimentManager manager, string previous) : IDisposable
    {
        private bool _done;

        public void Dispose()
        {
            if (_done) return;
            _done = true;
            manager.DefaultUri = previous;
        }
    }

    // ----- recorders -----

    /// <summary>
    /// Qlib's <c>get_recorder</c>: the experiment must exist (active, named, or the default one); then the
    /// recorder by id, by name (newest), or the active one, else the newest <c>mlflow_recorder</c>.
    /// </summary>
    public Recorder GetRecorder(string? recorderId = null, string? recorderName = null, string? experimentId = null, string? experimentName = null) =>
        GetExp(experimentId, experimentName, create: false).GetRecorder(recorderId, recorderName, create: false);

    /// <summary>Soft-deletes a recorder of the active (else the default, created if missing) experiment.</summary>
    public void DeleteRecorder(string? recorderId = null, string? recorderName = null) =>
        GetExp().DeleteRecorder(recorderId, recorderName);

    // ----- artifacts (the newest mlflow_recorder when outside a scope; no experiment is started) -----

    /// <summary>Serialises <paramref name="value"/> as artifact <paramref name="name"/> of the newest recorder (started if needed).</summary>
    public void SaveObject<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.All)] T>(string name, T value, string? artifactPath = null) =>
        ObjectRecorder().SaveObject(name, value, artifactPath);

    /// <summary>Logs a local file or folder as artifacts of the newest recorder (started if needed).</summary>
    public void SaveObjects(string localPath, string? artifactPath = null) =>
        ObjectRecorder().SaveObjects(localPath, artifactPath);

    /// <summary>Reads back an object saved with <c>SaveObject</c> by the newest recorder.</summary>
    public T LoadObject<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.All)] T>(string name) => ObjectRecorder().LoadObject<T>(name);

    private Recorder ObjectRecorder() => GetExp().GetRecorder(start: true);

    // ----- logging (starts the default experiment when outside a scope) -----

    /// <summary>Logs params on the active recorder (starting the default experiment outside a scope).</summary>
    public void LogParams(params (string Key, object? Value)[] parameters) => LoggingRecorder().LogParams(parameters);

    /// <summary>Logs params on the active recorder (starting the default experiment outside a scope).</summary>
    public void LogParams(IEnumerable<KeyValuePair<string, object?>> parameters) => LoggingRecorder().LogParams(parameters);

    /// <summary>Logs metrics at step 0 (Qlib's <c>step=None</c>).</summary>
    public void LogMetrics(params (string Key, double Value)[] metrics) => LoggingRecorder().LogMetrics(metrics);

    /// <summary>Logs metrics at <paramref name="step"/> on the active recorder.</summary>
    public void LogMetrics(long step, params (string Key, double Value)[] metrics) => LoggingRecorder().LogMetrics(step, metrics);

    /// <summary>Logs a local file or folder under <paramref name="artifactPath"/> on the active recorder.</summary>
    public void LogArtifact(string localPath, string? artifactPath = null) => LoggingRecorder().LogArtifact(localPath, artifactPath);

    /// <summary>Copies an artifact locally and returns the path (Qlib's version forgets to return it).</summary>
    public string DownloadArtifact(string path, string? dstPath = null) => LoggingRecorder().DownloadArtifact(path, dstPath);

    /// <summary>Sets run tags on the active recorder.</summary>
    public void SetTags(params (string Key, string Value)[] tags) => LoggingRecorder().SetTags(tags);

    /// <summary>Removes run tags from the active recorder.</summary>
    public void DeleteTags(params string[] keys) => LoggingRecorder().DeleteTags(keys);

    private Recorder LoggingRecorder() => GetExp(start: true).GetRecorder(start: true);
}
