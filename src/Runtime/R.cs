using System.Diagnostics.CodeAnalysis;
using Qlib.Tracked.Entities;

namespace Qlib.Tracked;

/// <summary>
/// Qlib's ambient <c>R</c>: every call goes to <see cref="Current"/>, a <see cref="QlibRecorder"/> over
/// an <see cref="ExperimentManager"/> with the default URI (<c>QLIB_MLFLOW_URI</c>, else
/// <c>file:&lt;cwd&gt;/mlruns</c>). This is the only static state in the library.
/// Thread-safe: <see cref="Current"/> is read and replaced under a lock; the active experiment is process-wide, as in Qlib.
/// </summary>
/// <remarks>
/// As Qlib's <c>experiment_exit_handler</c>, the first use of <c>R</c> registers two process handlers:
/// an unhandled exception ends the active experiment FAILED, and process exit ends it FINISHED (both do
/// nothing when no experiment is active).
/// </remarks>
public static class R
{
    private static readonly object Sync = new();
    private static QlibRecorder? _current;
    private static bool _handlersRegistered;

    /// <summary>The recorder behind <c>R</c>; made on first use.</summary>
    public static QlibRecorder Current
    {
        get
        {
            lock (Sync)
            {
                RegisterProcessHandlers();
                return _current ??= new QlibRecorder(new ExperimentManager());
            }
        }
    }

    /// <summary>
    /// Replaces the recorder behind <c>R</c> (Qlib's <c>R.register</c>; tests use it for a temp store).
    /// Refused while the current one has an active experiment (Qlib's <c>RecorderInitializationError</c>).
    /// </summary>
    public static void Register(QlibRecorder recorder)
    {
        ArgumentNullException.ThrowIfNull(recorder);
        lock (Sync)
        {
            RegisterProcessHandlers();
            if (_current?.ExperimentManager.ActiveExperiment is { } active && !ReferenceEquals(_current, recorder))
                throw TrackingException.InvalidState(
                    $"Cannot replace R while the experiment '{active.Name}' is active; end it (R.EndExp) first.");
            _current = recorder;
        }
    }

    private static void RegisterProcessHandlers()
    {
        if (_handlersRegistered) return;
        _handlersRegistered = true;
        AppDomain.CurrentDomain.UnhandledException += (_, _) => EndQuietly(RunStatus.Failed);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => EndQuietly(RunStatus.Finished);
    }

    /// <summary>Process handlers must not throw; a failure to end the run cannot be reported anywhere better.</summary>
    private static void EndQuietly(RunStatus status)
    {
        QlibRecorder? current;
        lock (Sync) current = _current;
        try { current?.EndExp(status); }
        catch (Exception ex) { Console.Error.WriteLine($"Qlib.Tracked: could not end the active experiment {status.ToMlflowString()}: {ex.Message}"); }
    }

    /// <inheritdoc cref="QlibRecorder.Start"/>
    public static RunScope Start(string? experimentId = null, string? experimentName = null, string? recorderId = null,
        string? recorderName = null, string? uri = null, bool resume = false) =>
        Current.Start(experimentId, experimentName, recorderId, recorderName, uri, resume);

    /// <inheritdoc cref="QlibRecorder.Run"/>
    public static void Run(Action<Experiment> body, string? experimentName = null, string? recorderName = null, string? uri = null, bool resume = false) =>
        Current.Run(body, experimentName, recorderName, uri, resume);

    /// <inheritdoc cref="QlibRecorder.RunAsync"/>
    public static Task RunAsync(Func<Experiment, Task> body, string? experimentName = null, string? recorderName = null, string? uri = null, bool resume = false) =>
        Current.RunAsync(body, experimentName, recorderName, uri, resume);

    /// <inheritdoc cref="QlibRecorder.StartExp"/>
    public static Experiment StartExp(string? experimentId = null, string? experimentName = null, string? recorderId = null,
        string? recorderName = null, string? uri = null, bool resume = false) =>
        Current.StartExp(experimentId, experimentName, recorderId, recorderName, uri, resume);

    /// <inheritdoc cref="QlibRecorder.EndExp"/>
    public static void EndExp(RunStatus status = RunStatus.Finished) => Current.EndExp(status);

    /// <inheritdoc cref="QlibRecorder.SearchRecords"/>
    public static IReadOnlyList<Run> SearchRecords(IEnumerable<string> experimentIds, string? filter = null, ViewType viewType = ViewType.ActiveOnly,
        int maxResults = 50_000, IReadOnlyList<string>? orderBy = null) =>
        Current.SearchRecords(experimentIds, filter, viewType, maxResults, orderBy);

    /// <inheritdoc cref="QlibRecorder.ListExperiments"/>
    public static IReadOnlyDictionary<string, Experiment> ListExperiments() => Current.ListExperiments();

    /// <inheritdoc cref="QlibRecorder.ListRecorders"/>
    public static OrderedDictionary<string, Recorder> ListRecorders(string? experimentId = null, string? experimentName = null) =>
        Current.ListRecorders(experimentId, experimentName);

    /// <inheritdoc cref="ExperimentManager.GetExp"/>
    public static Experiment GetExp(string? experimentId = null, string? experimentName = null, bool create = true, bool start = false) =>
        Current.GetExp(experimentId, experimentName, create, start);

    /// <inheritdoc cref="QlibRecorder.DeleteExp"/>
    public static void DeleteExp(string? experimentId = null, string? experimentName = null) => Current.DeleteExp(experimentId, experimentName);

    /// <inheritdoc cref="QlibRecorder.GetUri"/>
    public static string GetUri() => Current.GetUri();

    /// <inheritdoc cref="QlibRecorder.SetUri"/>
    public static void SetUri(string uri) => Current.SetUri(uri);

    /// <inheritdoc cref="QlibRecorder.UriContext"/>
    public static IDisposable UriContext(string uri) => Current.UriContext(uri);

    /// <inheritdoc cref="QlibRecorder.GetRecorder"/>
    public static Recorder GetRecorder(string? recorderId = null, string? recorderName = null, string? experimentId = null, string? experimentName = null) =>
        Current.GetRecorder(recorderId, recorderName, experimentId, experimentName);

    /// <inheritdoc cref="QlibRecorder.DeleteRecorder"/>
    public static void DeleteRecorder(string? recorderId = null, string? recorderName = null) => Current.DeleteRecorder(recorderId, recorderName);

    /// <inheritdoc cref="QlibRecorder.SaveObject"/>
    public static void SaveObject<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.All)] T>(string name, T value, string? artifactPath = null) => Current.SaveObject(name, value, artifactPath);

    /// <inheritdoc cref="QlibRecorder.SaveObjects"/>
    public static void SaveObjects(string localPath, string? artifactPath = null) => Current.SaveObjects(localPath, artifactPath);

    /// <inheritdoc cref="QlibRecorder.LoadObject"/>
    public static T LoadObject<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.All)] T>(string name) => Current.LoadObject<T>(name);

    /// <summary>Logs params on the active recorder (starting the default experiment outside a scope).</summary>
    public static void LogParams(params (string Key, object? Value)[] parameters) => Current.LogParams(parameters);

    /// <summary>Logs params on the active recorder (starting the default experiment outside a scope).</summary>
    public static void LogParams(IEnumerable<KeyValuePair<string, object?>> parameters) => Current.LogParams(parameters);

    /// <summary>Logs metrics at step 0 (Qlib's <c>step=None</c>) on the active recorder.</summary>
    public static void LogMetrics(params (string Key, double Value)[] metrics) => Current.LogMetrics(metrics);

    /// <summary>Logs metrics at <paramref name="step"/> on the active recorder.</summary>
    public static void LogMetrics(long step, params (string Key, double Value)[] metrics) => Current.LogMetrics(step, metrics);

    /// <inheritdoc cref="QlibRecorder.LogArtifact"/>
    public static void LogArtifact(string localPath, string? artifactPath = null) => Current.LogArtifact(localPath, artifactPath);

    /// <inheritdoc cref="QlibRecorder.DownloadArtifact"/>
    public static string DownloadArtifact(string path, string? dstPath = null) => Current.DownloadArtifact(path, dstPath);

    /// <inheritdoc cref="QlibRecorder.SetTags"/>
    public static void SetTags(params (string Key, string Value)[] tags) => Current.SetTags(tags);

    /// <inheritdoc cref="QlibRecorder.DeleteTags"/>
    public static void DeleteTags(params string[] keys) => Current.DeleteTags(keys);
}
