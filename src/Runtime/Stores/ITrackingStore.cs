using Qlib.Tracked.Artifacts;
using Qlib.Tracked.Entities;

namespace Qlib.Tracked.Stores;

/// <summary>
/// A tracking backend (MLflow's AbstractStore). Its only abstract writes of run data are
/// <see cref="LogBatch"/> and <see cref="LogInputs"/>; single metric/param/tag writes are helpers in
/// <see cref="TrackingStoreExtensions"/>. Key/value validation happens once, in
/// <c>TrackingClient</c>; stores enforce what needs stored state (param
/// immutability, lifecycle, existence) and never write outside their root.
/// Every member throws <see cref="TrackingException"/> with an MLflow error code.
/// A store may hold OS resources (connections, inotify handles, mapped files): whoever opened it disposes of it.
/// The stores in this library (file, SQL, REST) are thread-safe: one instance may serve concurrent calls.
/// </summary>
public interface ITrackingStore : IDisposable
{
    /// <summary>The tracking URI this store was opened with (e.g. <c>file:///abs/mlruns</c>).</summary>
    string TrackingUri { get; }

    /// <summary>
    /// Where new experiments keep their artifacts unless told otherwise: a <c>file:</c> URI, an absolute path or another
    /// scheme's URI (the file store's own folder by default, MLflow's <c>./mlruns</c> made absolute for the SQL store).
    /// </summary>
    string DefaultArtifactRoot { get; }

    /// <summary>Raised for corrupt or foreign content that was skipped instead of failing a read.</summary>
    event Action<StoreWarning>? Warning;

    // ----- experiments -----
    /// <summary>Creates an active experiment and returns its id; RESOURCE_ALREADY_EXISTS when the name is taken. Artifacts go under <paramref name="artifactLocation"/>, or <see cref="DefaultArtifactRoot"/>/&lt;id&gt; when null.</summary>
    string CreateExperiment(string name, string? artifactLocation = null, IReadOnlyList<RunTag>? tags = null);

    /// <summary>By id, active or deleted; RESOURCE_DOES_NOT_EXIST when unknown.</summary>
    ExperimentInfo GetExperiment(string experimentId);

    /// <summary>
    /// Null when no experiment has the name. The file store finds active experiments only (MLflow 2.12's file store);
    /// MLflow's SQL store finds a deleted one too.
    /// </summary>
    ExperimentInfo? GetExperimentByName(string name);

    /// <summary>Experiments in MLflow's file-store order: creation_time DESC, experiment_id ASC.</summary>
    IReadOnlyList<ExperimentInfo> SearchExperiments(ViewType viewType = ViewType.ActiveOnly);

    /// <summary>
    /// MLflow's <c>search_experiments</c>: <paramref name="filter"/> on <c>name</c>, <c>creation_time</c>,
    /// <c>last_update_time</c> and <c>tags.&lt;key&gt;</c>, <paramref name="orderBy"/> on name, experiment_id,
    /// creation_time, last_update_time (default creation_time DESC, experiment_id ASC), one page of at most
    /// <paramref name="maxResults"/> (1..50,000) from <paramref name="pageToken"/>'s offset. The default filters
    /// and orders <see cref="SearchExperiments(ViewType)"/>'s list in memory.
    /// </summary>
    PagedList<ExperimentInfo> SearchExperiments(string? filter, ViewType viewType, int maxResults,
        IReadOnlyList<string>? orderBy = null, string? pageToken = null) =>
        Search.ExperimentSearch.Apply(SearchExperiments(viewType), filter, maxResults, orderBy, pageToken);

    /// <summary>Marks an experiment (and its runs) deleted; RESOURCE_DOES_NOT_EXIST when unknown.</summary>
    void DeleteExperiment(string experimentId);
    /// <summary>Makes a deleted experiment active again.</summary>
    void RestoreExperiment(string experimentId);
    /// <summary>Renames an active experiment; the new name must be unused.</summary>
    void RenameExperiment(string experimentId, string newName);
    /// <summary>Sets (or overwrites) one experiment tag.</summary>
    void SetExperimentTag(string experimentId, string key, string value);

    // ----- runs -----
    /// <summary>Starts a RUNNING run in an active experiment; <paramref name="startTime"/> is epoch milliseconds. A null <paramref name="runName"/> gets a generated one, as MLflow does.</summary>
    Run CreateRun(string experimentId, string? userId, long startTime, IReadOnlyList<RunTag>? tags, string? runName);
    /// <summary>A run with its info and latest data (metrics, params, tags), active or deleted; RESOURCE_DOES_NOT_EXIST when unknown.</summary>
    Run GetRun(string runId);
    /// <summary>Sets a run's status, end time (epoch milliseconds) and, when not null, its name; returns the updated info.</summary>
    RunInfo UpdateRunInfo(string runId, RunStatus status, long? endTime, string? runName);
    /// <summary>Marks a run deleted (lifecycle stage <c>deleted</c>).</summary>
    void DeleteRun(string runId);
    /// <summary>Makes a deleted run active again.</summary>
    void RestoreRun(string runId);

    /// <summary>
    /// Runs of the given experiments, filtered, ordered (natural order start_time DESC, run_id ASC)
    /// and paged with MLflow's <c>{"offset": N}</c> tokens.
    /// </summary>
    PagedList<Run> SearchRuns(
        IReadOnlyList<string> experimentIds,
        string? filter,
        ViewType viewType,
        int maxResults,
        IReadOnlyList<string>? orderBy,
        string? pageToken);

    /// <summary>
    /// How many runs an experiment has in <paramref name="viewType"/> (MLflow has no such call; counting every page
    /// of <see cref="SearchRuns"/> gives the same number). Stores with an index answer without reading run data.
    /// </summary>
    int CountRuns(string experimentId, ViewType viewType)
    {
        var count = 0;
        string? token = null;
        do
        {
            var page = SearchRuns([experimentId], null, viewType, Search.RunSearch.MaxResultsLimit, null, token);
            count += page.Items.Count;
            token = page.NextPageToken;
        } while (token is not null);
        return count;
    }

    /// <summary>
    /// The active and the deleted run counts of an experiment together (what an experiments listing shows). Stores
    /// with an index answer both from one pass; the default counts each view.
    /// </summary>
    RunCounts CountRunsByStage(string experimentId) =>
        new(CountRuns(experimentId, ViewType.ActiveOnly), CountRuns(experimentId, ViewType.DeletedOnly));

    // ----- run data: the two writes -----
    /// <summary>Writes metrics, params and tags of an active run in one call (MLflow's <c>log_batch</c>); a param already logged with another value is refused.</summary>
    void LogBatch(string runId, IReadOnlyList<Metric> metrics, IReadOnlyList<Param> parameters, IReadOnlyList<RunTag> tags);
    /// <summary>
    /// Records datasets as inputs of an active run (MLflow's <c>log_inputs</c>). A dataset is stored once per experiment
    /// by name and digest (the first one logged keeps its source, schema and profile); a run's input of a dataset is
    /// stored once, with the tags it was first logged with, so logging the same dataset again changes nothing.
    /// INVALID_PARAMETER_VALUE for a field over MLflow's limits (nothing is written) or a deleted run,
    /// RESOURCE_DOES_NOT_EXIST for an unknown run.
    /// </summary>
    void LogInputs(string runId, IReadOnlyList<DatasetInput> inputs);
    /// <summary>Removes one tag from an active run; RESOURCE_DOES_NOT_EXIST when the run has no such tag.</summary>
    void DeleteTag(string runId, string key);

    /// <summary>Every point of one metric in file order (duplicates kept, as MLflow).</summary>
    IReadOnlyList<Metric> GetMetricHistory(string runId, string metricKey);

    /// <summary>
    /// One page of <see cref="GetMetricHistory(string, string)"/>: at most <paramref name="maxPoints"/> points from the
    /// <paramref name="offset"/>-th (0-based), in the same order, so consecutive pages concatenate to the whole history
    /// (what <c>metrics/get-history</c>'s pages need). Past the end the page is empty. Stores that can read a range
    /// (SQL LIMIT/OFFSET, a metric file read up to the page's end) do so; the default slices the whole history.
    /// A negative <paramref name="offset"/> or <paramref name="maxPoints"/> is INVALID_PARAMETER_VALUE.
    /// </summary>
    IReadOnlyList<Metric> GetMetricHistory(string runId, string metricKey, int offset, int maxPoints)
    {
        MetricHistoryRange.Validate(offset, maxPoints);
        return MetricHistoryRange.Slice(GetMetricHistory(runId, metricKey), offset, maxPoints);
    }

    // ----- artifacts -----
    /// <summary>The artifact repository of a run (its <c>artifacts/</c> folder for the file store).</summary>
    IArtifactRepository GetArtifactRepository(string runId);
}
