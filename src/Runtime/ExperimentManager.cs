using Qlib.Tracked.Entities;
using Qlib.Tracked.Client;
using Qlib.Tracked.Stores;

namespace Qlib.Tracked;

/// <summary>
/// Qlib's <c>MLflowExpManager</c>: finds, creates and deletes experiments, and holds the one active
/// experiment. The effective URI is the one passed to <see cref="StartExp"/> while that experiment is
/// active, else <see cref="DefaultUri"/>.
/// Thread-safe: the active experiment and the client cache are guarded by locks; the active experiment is shared by every thread, as in Qlib.
/// </summary>
public sealed class ExperimentManager : IDisposable
{
    /// <summary>Qlib's default experiment name.</summary>
    public const string DefaultExperimentNameValue = "Experiment";

    /// <summary>The environment variable that overrides the default URI (Qlib's settings, prefix <c>QLIB_</c>).</summary>
    public const string UriEnvironmentVariable = "QLIB_MLFLOW_URI";

    /// <summary>MLflow's own variable for the tracking URI, used when <see cref="UriEnvironmentVariable"/> is not set.</summary>
    public const string MlflowUriEnvironmentVariable = "MLFLOW_TRACKING_URI";

    private readonly object _sync = new();
    private readonly Dictionary<string, TrackingClient> _clients = new(StringComparer.Ordinal);
    private string? _activeExperimentUri;

    /// <param name="uri">The default tracking URI; when null, <c>QLIB_MLFLOW_URI</c>, else <c>MLFLOW_TRACKING_URI</c>, else <c>file:&lt;cwd&gt;/mlruns</c> (cwd now).</param>
    /// <param name="defaultExperimentName">Used when no experiment is named (Qlib: "Experiment").</param>
    /// <param name="options">How recorders record (source capture, async logging).</param>
    public ExperimentManager(string? uri = null, string defaultExperimentName = DefaultExperimentNameValue, RecorderOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(defaultExperimentName);
        DefaultUri = uri ?? ResolveDefaultUri();
        DefaultExperimentName = defaultExperimentName;
        Options = options ?? new RecorderOptions();
    }

    /// <summary>The URI used when no experiment was started with one (<c>R.SetUri</c> changes it).</summary>
    public string DefaultUri { get; set; }

    /// <summary>The experiment used when none is named (Qlib's <c>Experiment</c> default).</summary>
    public string DefaultExperimentName { get; }

    /// <summary>The recorder options this manager was created with.</summary>
    public RecorderOptions Options { get; }

    /// <summary>The effective URI: the active experiment's start URI, else <see cref="DefaultUri"/>.</summary>
    public string Uri
    {
        get { lock (_sync) return _activeExperimentUri ?? DefaultUri; }
    }

    /// <summary>The experiment started by <c>StartExp</c> and not yet ended; null outside one.</summary>
    public Experiment? ActiveExperiment { get; private set; }

    /// <summary>The client for the effective URI (one client per URI is kept, so each store is opened once).</summary>
    public TrackingClient Client => ClientFor(Uri);

    /// <summary>
    /// The URI used when none is given: <c>QLIB_MLFLOW_URI</c> when set (Qlib's setting wins, it is the more specific),
    /// else MLflow's <c>MLFLOW_TRACKING_URI</c> (so a trainer joins the team's tracking server the way MLflow's client
    /// does), else Qlib's <c>"file:" + cwd + "/mlruns"</c>. <paramref name="getVariable"/> reads the environment (the
    /// process's when null).
    /// </summary>
    public static string ResolveDefaultUri(Func<string, string?>? getVariable = null)
    {
        getVariable ??= Environment.GetEnvironmentVariable;
        var fromEnvironment = getVariable(UriEnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment)) return fromEnvironment;
        var fromMlflow = getVariable(MlflowUriEnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromMlflow)) return fromMlflow;
        return "file:" + Path.GetFullPath(Environment.CurrentDirectory).TrimEnd('/', '\\').Replace('\\', '/') + "/mlruns";
    }

    internal TrackingClient ClientFor(string uri)
    {
        lock (_clients)
        {
            if (!_clients.TryGetValue(uri, out var client))
            {
                client = new TrackingClient(uri, Options.StoreOptions);
                _clients[uri] = client;
            }
            return client;
        }
    }

    /// <summary>
    /// Disposes of every store this manager opened (one per URI it was used with); a later call on another URI, or
    /// on the same one, opens its store afresh.
    /// </summary>
    public void Dispose()
    {
        TrackingClient[] clients;
        lock (_clients)
        {
            clients = [.. _clients.Values];
            _clients.Clear();
        }
        foreach (var client in clients) client.Dispose();
    }

    /// <summary>
    /// Gets or creates the experiment (default name when none given), makes it active and starts a
    /// recorder in it (see <see cref="Experiment.Start"/>). <paramref name="uri"/> is the effective URI until
    /// <see cref="EndExp"/>. A second start while an experiment is active is refused (Qlib leaves it undefined).
    /// </summary>
    public Experiment StartExp(string? experimentId = null, string? experimentName = null, string? recorderId = null,
        string? recorderName = null, string? uri = null, bool resume = false)
    {
        lock (_sync)
        {
            if (ActiveExperiment is not null)
                throw TrackingException.InvalidState(
                    $"The experiment '{ActiveExperiment.Name}' is already active; end it (R.EndExp or the end of its scope) before starting another.");
            _activeExperimentUri = uri;
            try
            {
                experimentName ??= experimentId is null ? DefaultExperimentName : null;
                var experiment = GetOrCreateExp(experimentId, experimentName);
                ActiveExperiment = experiment;
                experiment.Start(recorderId, recorderName, resume);
                return experiment;
            }
            catch
            {
                ActiveExperiment = null;
                _activeExperimentUri = null;
                throw;
            }
        }
    }

    /// <summary>Ends the active experiment's recorder with <paramref name="status"/>; does nothing when none is active.</summary>
    public void EndExp(RunStatus status = RunStatus.Finished)
    {
        Experiment? experiment;
        lock (_sync)
        {
            experiment = ActiveExperiment;
            ActiveExperiment = null;
            _activeExperimentUri = null;
        }
        experiment?.End(status);
    }

    /// <summary>Creates an experiment; RESOURCE_ALREADY_EXISTS when the name is taken.</summary>
    public Experiment CreateExp(string? experimentName = null)
    {
        var name = experimentName ?? DefaultExperimentName;
        var uri = Uri;
        var client = ClientFor(uri);
        var id = client.CreateExperiment(name);
        return new Experiment(client, uri, id, name, Options);
    }

    /// <summary>
    /// Qlib's <c>get_exp</c>: with neither id nor name, the active experiment, else the default one. With
    /// <paramref name="create"/> a missing experiment is created; without it, RESOURCE_DOES_NOT_EXIST. With
    /// <paramref name="start"/> and no experiment active, the experiment becomes active and starts a new recorder.
    /// </summary>
    public Experiment GetExp(string? experimentId = null, string? experimentName = null, bool create = true, bool start = false)
    {
        lock (_sync)
        {
            if (experimentId is null && experimentName is null)
            {
                if (ActiveExperiment is not null) return ActiveExperiment;
                experimentName = DefaultExperimentName;
            }
            var experiment = create ? GetOrCreateExp(experimentId, experimentName) : FindExp(experimentId, experimentName);
            if (ActiveExperiment is null && start)
            {
                ActiveExperiment = experiment;
                try { experiment.Start(); }
                catch { ActiveExperiment = null; throw; }
            }
            return experiment;
        }
    }

    /// <summary>Soft-deletes an experiment by id or by name; RESOURCE_DOES_NOT_EXIST when there is none.</summary>
    public void DeleteExp(string? experimentId = null, string? experimentName = null)
    {
        if (experimentId is null && experimentName is null)
            throw TrackingException.InvalidParameter("DeleteExp needs an experiment id or an experiment name.");
        var client = Client;
        if (experimentId is null)
        {
            var info = client.GetExperimentByName(experimentName!)
                ?? throw TrackingException.DoesNotExist($"No valid experiment has been found with the name '{experimentName}'.");
            experimentId = info.ExperimentId;
        }
        client.DeleteExperiment(experimentId);
    }

    /// <summary>Active experiments by name.</summary>
    public IReadOnlyDictionary<string, Experiment> ListExperiments()
    {
        var uri = Uri;
        var client = ClientFor(uri);
        var result = new Dictionary<string, Experiment>(StringComparer.Ordinal);
        foreach (var info in client.SearchExperiments(ViewType.ActiveOnly))
            result[info.Name] = new Experiment(client, uri, info.ExperimentId, info.Name, Options);
        return result;
    }

    /// <summary>Runs of the given experiments (MLflow's <c>search_runs</c>, all pages up to <paramref name="maxResults"/>).</summary>
    public IReadOnlyList<Run> SearchRecords(IEnumerable<string> experimentIds, string? filter = null, ViewType viewType = ViewType.ActiveOnly,
        int maxResults = 50_000, IReadOnlyList<string>? orderBy = null)
    {
        ArgumentNullException.ThrowIfNull(experimentIds);
        return Client.SearchAllRuns(experimentIds.ToList(), filter, viewType, maxResults, orderBy);
    }

    private Experiment GetOrCreateExp(string? experimentId, string? experimentName)
    {
        try
        {
            return FindExp(experimentId, experimentName);
        }
        catch (TrackingException ex) when (ex.Code == ErrorCode.ResourceDoesNotExist)
        {
            try
            {
                return CreateExp(experimentName ?? DefaultExperimentName);
            }
            catch (TrackingException race) when (race.Code == ErrorCode.ResourceAlreadyExists)
            {
                // Another process created it between our lookup and our create.
                return FindExp(null, experimentName ?? DefaultExperimentName);
            }
        }
    }

    /// <summary>By id (takes precedence) or by name; a missing or deleted experiment is RESOURCE_DOES_NOT_EXIST.</summary>
    private Experiment FindExp(string? experimentId, string? experimentName)
    {
        var uri = Uri;
        var client = ClientFor(uri);
        if (experimentId is not null)
        {
            var info = client.GetExperiment(experimentId);
            if (info.LifecycleStage == LifecycleStage.Deleted)
                throw TrackingException.DoesNotExist($"The experiment with id '{experimentId}' has been deleted.");
            return new Experiment(client, uri, info.ExperimentId, info.Name, Options);
        }
        if (experimentName is null)
            throw TrackingException.InvalidParameter("Please provide an experiment id or an experiment name.");
        var byName = client.GetExperimentByName(experimentName)
            ?? throw TrackingException.DoesNotExist($"No valid experiment has been found with the name '{experimentName}'.");
        return new Experiment(client, uri, byName.ExperimentId, byName.Name, Options);
    }
}
