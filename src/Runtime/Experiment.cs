using Qlib.Tracked.Entities;
using Qlib.Tracked.Client;

namespace Qlib.Tracked;

/// <summary>
/// One MLflow experiment seen as a Qlib experiment (<c>MLflowExperiment</c>): a named set of recorders,
/// at most one of them active. It captures the tracking URI that was in effect when it was looked up.
/// Thread-safe: its active recorder is guarded by a lock.
/// </summary>
public sealed class Experiment
{
    private readonly TrackingClient _client;
    private readonly RecorderOptions _options;
    private readonly object _sync = new();

    internal Experiment(TrackingClient client, string uri, string id, string name, RecorderOptions options)
    {
        _client = client;
        _options = options;
        Uri = uri;
        Id = id;
        Name = name;
    }

    /// <summary>The MLflow experiment id.</summary>
    public string Id { get; }

    /// <summary>The experiment name.</summary>
    public string Name { get; }

    /// <summary>The tracking URI captured when this experiment object was made.</summary>
    public string Uri { get; }

    /// <summary>The recorder started by <see cref="Start"/> (or by <see cref="GetRecorder"/> with start), until <see cref="End"/>.</summary>
    public Recorder? ActiveRecorder { get; private set; }

    /// <summary>The client this experiment and its recorders write through.</summary>
    public TrackingClient Client => _client;

    /// <summary>Qlib's <c>info</c>: class, id, name, active_recorder (id or null), recorders (all run ids; lists them all).</summary>
    public IReadOnlyDictionary<string, object?> Info => new Dictionary<string, object?>
    {
        ["class"] = "Experiment",
        ["id"] = Id,
        ["name"] = Name,
        ["active_recorder"] = ActiveRecorder?.Id,
        ["recorders"] = ListRecorders().Keys.ToList(),
    };

    /// <summary>
    /// Starts a recorder and makes it active. Without <paramref name="resume"/> a <em>new</em> run is always
    /// created (named <paramref name="recorderName"/>, default <c>mlflow_recorder</c>), even if one of that
    /// name exists. With it, the run with <paramref name="recorderId"/>, or else the newest run named
    /// <paramref name="recorderName"/>, is resumed; a new one is created when none is found.
    /// </summary>
    public Recorder Start(string? recorderId = null, string? recorderName = null, bool resume = false)
    {
        lock (_sync)
        {
            if (ActiveRecorder is { IsRunning: true } running)
                throw TrackingException.InvalidState(
                    $"Experiment '{Name}' already has the active recorder '{running.Id}'; end it (R.EndExp) before starting another.");
            recorderName ??= Recorder.DefaultName;
            var recorder = resume
                ? GetOrCreateRecorder(recorderId, recorderName).Recorder
                : CreateRecorder(recorderName);
            recorder.StartRun();
            ActiveRecorder = recorder;
            return recorder;
        }
    }

    /// <summary>Ends the active recorder with <paramref name="status"/> and clears it.</summary>
    public void End(RunStatus status = RunStatus.Finished)
    {
        lock (_sync)
        {
            var recorder = ActiveRecorder;
            ActiveRecorder = null;
            recorder?.EndRun(status);
        }
    }

    /// <summary>A recorder whose run is created when it starts (Qlib's <c>create_recorder</c>).</summary>
    public Recorder CreateRecorder(string? recorderName = null) =>
        new(_client, Uri, Id, recorderName ?? Recorder.DefaultName, _options);

    /// <summary>
    /// Qlib's <c>get_recorder</c>: with neither id nor name, the active recorder, else the newest
    /// <c>mlflow_recorder</c>. By id (the run is not checked to belong here) or by name (newest first).
    /// With <paramref name="create"/> a missing recorder is created, and started and made active when
    /// <paramref name="start"/> is set; without it a missing recorder is RESOURCE_DOES_NOT_EXIST.
    /// </summary>
    public Recorder GetRecorder(string? recorderId = null, string? recorderName = null, bool create = true, bool start = false)
    {
        lock (_sync)
        {
            if (recorderId is null && recorderName is null)
            {
                if (ActiveRecorder is not null) return ActiveRecorder;
                recorderName = Recorder.DefaultName;
            }
            if (!create) return FindRecorder(recorderId, recorderName);
            var (recorder, isNew) = GetOrCreateRecorder(recorderId, recorderName);
            if (isNew && start)
            {
                recorder.StartRun();
                ActiveRecorder = recorder;
            }
            return recorder;
        }
    }

    /// <summary>Active runs of this experiment, newest first (MLflow's order), keyed by run id; optionally only those with <paramref name="status"/>.</summary>
    public OrderedDictionary<string, Recorder> ListRecorders(RunStatus? status = null, string? filter = null, int maxResults = 50_000)
    {
        var result = new OrderedDictionary<string, Recorder>(StringComparer.Ordinal);
        foreach (var run in _client.SearchAllRuns([Id], filter, ViewType.ActiveOnly, maxResults))
        {
            if (status is not null && run.Info.Status != status) continue;
            result.Add(run.Info.RunId, new Recorder(_client, Uri, run, _options));
        }
        return result;
    }

    /// <summary>Runs of this experiment matching <paramref name="filter"/> (MLflow search syntax).</summary>
    public IReadOnlyList<Run> SearchRecords(string? filter = null, ViewType viewType = ViewType.ActiveOnly,
        int maxResults = 50_000, IReadOnlyList<string>? orderBy = null) =>
        _client.SearchAllRuns([Id], filter, viewType, maxResults, orderBy);

    /// <summary>Soft-deletes a run by id, or the newest run with <paramref name="recorderName"/>.</summary>
    public void DeleteRecorder(string? recorderId = null, string? recorderName = null)
    {
        if (recorderId is null && recorderName is null)
            throw TrackingException.InvalidParameter("DeleteRecorder needs a recorder id or a recorder name.");
        var id = recorderId ?? FindRecorder(null, recorderName).Id!;
        _client.DeleteRun(id);
    }

    private (Recorder Recorder, bool IsNew) GetOrCreateRecorder(string? recorderId, string? recorderName)
    {
        try
        {
            return (FindRecorder(recorderId, recorderName), false);
        }
        catch (TrackingException ex) when (ex.Code == ErrorCode.ResourceDoesNotExist)
        {
            return (CreateRecorder(recorderName ?? Recorder.DefaultName), true);
        }
    }

    private Recorder FindRecorder(string? recorderId, string? recorderName)
    {
        // The live object, when it is the active recorder, so its queued logging stays in one place.
        if (recorderId is not null)
            return ActiveRecorder?.Id == recorderId ? ActiveRecorder : new Recorder(_client, Uri, _client.GetRun(recorderId), _options);
        if (recorderName is null)
            throw TrackingException.InvalidParameter("Please provide a recorder id or a recorder name.");
        var runs = _client.SearchAllRuns([Id], null, ViewType.ActiveOnly);
        foreach (var run in runs)
        {
            // Newest first: Qlib returns the latest run with the name (and warns that names should be unique).
            if (run.Info.RunName != recorderName) continue;
            return ActiveRecorder?.Id == run.Info.RunId ? ActiveRecorder : new Recorder(_client, Uri, run, _options);
        }
        throw TrackingException.DoesNotExist(
            $"No valid recorder has been found in experiment '{Name}' (id {Id}) with the name '{recorderName}'.");
    }

    /// <inheritdoc/>
    public override string ToString() => $"Experiment(id={Id}, name={Name})";
}
