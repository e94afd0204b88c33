namespace Qlib.Tracked.Stores.Rest.Protocol;

// Requests and responses of the tracking service, one pair per route (see MlflowRoutes). GET routes carry their
// request fields in the query string (MlflowQuery builds and reads it); the classes below are the JSON bodies.

/// <summary>POST <c>experiments/create</c>. Not thread-safe: a plain data object.</summary>
public sealed class CreateExperimentRequest
{
    /// <summary>MLflow's <c>name</c>: the new experiment's name.</summary>
    public string? Name { get; set; }
    /// <summary>MLflow's <c>artifact_location</c>: where the experiment's artifacts go; absent for the server's default.</summary>
    public string? ArtifactLocation { get; set; }
    /// <summary>MLflow's <c>tags</c>: the experiment's initial tags.</summary>
    public List<KeyValueMessage>? Tags { get; set; }
}

/// <summary>Answer of POST <c>experiments/create</c>. Not thread-safe: a plain data object.</summary>
public sealed class CreateExperimentResponse
{
    /// <summary>MLflow's <c>experiment_id</c>: the experiment's id.</summary>
    public string? ExperimentId { get; set; }
}

/// <summary>Answer of GET <c>experiments/get</c> and <c>experiments/get-by-name</c>. Not thread-safe: a plain data object.</summary>
public sealed class GetExperimentResponse
{
    /// <summary>MLflow's <c>experiment</c>: the experiment found.</summary>
    public ExperimentMessage? Experiment { get; set; }
}

/// <summary>POST <c>experiments/search</c>; <see cref="ViewType"/> is <c>ACTIVE_ONLY</c>, <c>DELETED_ONLY</c> or <c>ALL</c>. Not thread-safe: a plain data object.</summary>
public sealed class SearchExperimentsRequest
{
    /// <summary>MLflow's <c>max_results</c>: the most items one page holds.</summary>
    public long? MaxResults { get; set; }
    /// <summary>MLflow's <c>page_token</c>: where to continue: a previous answer's <c>next_page_token</c>; absent for the first page.</summary>
    public string? PageToken { get; set; }
    /// <summary>MLflow's <c>filter</c>: an MLflow search filter expression.</summary>
    public string? Filter { get; set; }
    /// <summary>MLflow's <c>order_by</c>: order clauses such as <c>name ASC</c> or <c>creation_time DESC</c>.</summary>
    public List<string>? OrderBy { get; set; }
    /// <summary>MLflow's <c>view_type</c>: <c>ACTIVE_ONLY</c>, <c>DELETED_ONLY</c> or <c>ALL</c>.</summary>
    public string? ViewType { get; set; }
}

/// <summary>Answer of POST <c>experiments/search</c>: one page. Not thread-safe: a plain data object.</summary>
public sealed class SearchExperimentsResponse
{
    /// <summary>MLflow's <c>experiments</c>: one page of experiments.</summary>
    public List<ExperimentMessage>? Experiments { get; set; }
    /// <summary>MLflow's <c>next_page_token</c>: the token of the next page; absent on the last page.</summary>
    public string? NextPageToken { get; set; }
}

/// <summary>POST <c>experiments/delete</c> and <c>experiments/restore</c>. Not thread-safe: a plain data object.</summary>
public sealed class ExperimentIdRequest
{
    /// <summary>MLflow's <c>experiment_id</c>: the experiment's id.</summary>
    public string? ExperimentId { get; set; }
}

/// <summary>POST <c>experiments/update</c> (a rename). Not thread-safe: a plain data object.</summary>
public sealed class UpdateExperimentRequest
{
    /// <summary>MLflow's <c>experiment_id</c>: the experiment's id.</summary>
    public string? ExperimentId { get; set; }
    /// <summary>MLflow's <c>new_name</c>: the experiment's new name.</summary>
    public string? NewName { get; set; }
}

/// <summary>POST <c>experiments/set-experiment-tag</c>. Not thread-safe: a plain data object.</summary>
public sealed class SetExperimentTagRequest
{
    /// <summary>MLflow's <c>experiment_id</c>: the experiment's id.</summary>
    public string? ExperimentId { get; set; }
    /// <summary>MLflow's <c>key</c>: the tag key.</summary>
    public string? Key { get; set; }
    /// <summary>MLflow's <c>value</c>: the tag value.</summary>
    public string? Value { get; set; }
}

/// <summary>POST <c>runs/create</c>. Not thread-safe: a plain data object.</summary>
public sealed class CreateRunRequest
{
    /// <summary>MLflow's <c>experiment_id</c>: the experiment's id.</summary>
    public string? ExperimentId { get; set; }
    /// <summary>MLflow's <c>user_id</c>: who started the run.</summary>
    public string? UserId { get; set; }
    /// <summary>MLflow's <c>run_name</c>: the run name (also tag <c>mlflow.runName</c>).</summary>
    public string? RunName { get; set; }
    /// <summary>MLflow's <c>start_time</c>: epoch milliseconds.</summary>
    public long? StartTime { get; set; }
    /// <summary>MLflow's <c>tags</c>: the run's initial tags.</summary>
    public List<KeyValueMessage>? Tags { get; set; }
}

/// <summary>Answer of <c>runs/create</c> and GET <c>runs/get</c>. Not thread-safe: a plain data object.</summary>
public sealed class RunResponse
{
    /// <summary>MLflow's <c>run</c>: the created or requested run.</summary>
    public RunMessage? Run { get; set; }
}

/// <summary>POST <c>runs/update</c>; the Python client sends <c>run_uuid</c> too, for servers older than 1.x's rename. Not thread-safe: a plain data object.</summary>
public sealed class UpdateRunRequest
{
    /// <summary>MLflow's <c>run_id</c>: the run's id (32 hex characters).</summary>
    public string? RunId { get; set; }
    /// <summary>MLflow's <c>run_uuid</c>: the deprecated twin of <c>run_id</c>, same value.</summary>
    public string? RunUuid { get; set; }
    /// <summary>MLflow's <c>status</c>: the new status: <c>RUNNING</c>, <c>SCHEDULED</c>, <c>FINISHED</c>, <c>FAILED</c> or <c>KILLED</c>.</summary>
    public string? Status { get; set; }
    /// <summary>MLflow's <c>end_time</c>: epoch milliseconds.</summary>
    public long? EndTime { get; set; }
    /// <summary>MLflow's <c>run_name</c>: the new run name; absent to keep it.</summary>
    public string? RunName { get; set; }
}

/// <summary>Answer of POST <c>runs/update</c>. Not thread-safe: a plain data object.</summary>
public sealed class UpdateRunResponse
{
    /// <summary>MLflow's <c>run_info</c>: the updated run info.</summary>
    public RunInfoMessage? RunInfo { get; set; }
}

/// <summary>POST <c>runs/delete</c> and <c>runs/restore</c>. Not thread-safe: a plain data object.</summary>
public sealed class RunIdRequest
{
    /// <summary>MLflow's <c>run_id</c>: the run's id (32 hex characters).</summary>
    public string? RunId { get; set; }
}

/// <summary>POST <c>runs/search</c>; <see cref="RunViewType"/> as <see cref="SearchExperimentsRequest.ViewType"/>. Not thread-safe: a plain data object.</summary>
public sealed class SearchRunsRequest
{
    /// <summary>MLflow's <c>experiment_ids</c>: the experiments to search.</summary>
    public List<string>? ExperimentIds { get; set; }
    /// <summary>MLflow's <c>filter</c>: an MLflow search filter expression.</summary>
    public string? Filter { get; set; }
    /// <summary>MLflow's <c>run_view_type</c>: <c>ACTIVE_ONLY</c>, <c>DELETED_ONLY</c> or <c>ALL</c>.</summary>
    public string? RunViewType { get; set; }
    /// <summary>MLflow's <c>max_results</c>: the most items one page holds.</summary>
    public long? MaxResults { get; set; }
    /// <summary>MLflow's <c>order_by</c>: order clauses such as <c>metrics.loss DESC</c> or <c>attributes.start_time ASC</c>.</summary>
    public List<string>? OrderBy { get; set; }
    /// <summary>MLflow's <c>page_token</c>: where to continue: a previous answer's <c>next_page_token</c>; absent for the first page.</summary>
    public string? PageToken { get; set; }
}

/// <summary>Answer of POST <c>runs/search</c>: one page. Not thread-safe: a plain data object.</summary>
public sealed class SearchRunsResponse
{
    /// <summary>MLflow's <c>runs</c>: one page of runs.</summary>
    public List<RunMessage>? Runs { get; set; }
    /// <summary>MLflow's <c>next_page_token</c>: the token of the next page; absent on the last page.</summary>
    public string? NextPageToken { get; set; }
}

/// <summary>POST <c>runs/log-batch</c>: the one write of run data. Not thread-safe: a plain data object.</summary>
public sealed class LogBatchRequest
{
    /// <summary>MLflow's <c>run_id</c>: the run's id (32 hex characters).</summary>
    public string? RunId { get; set; }
    /// <summary>MLflow's <c>metrics</c>: the metric points to log.</summary>
    public List<MetricMessage>? Metrics { get; set; }
    /// <summary>MLflow's <c>params</c>: the params to log.</summary>
    public List<KeyValueMessage>? Params { get; set; }
    /// <summary>MLflow's <c>tags</c>: the tags to set.</summary>
    public List<KeyValueMessage>? Tags { get; set; }
}

/// <summary>POST <c>runs/log-metric</c> (the Python client's <c>log_metric</c>). Not thread-safe: a plain data object.</summary>
public sealed class LogMetricRequest
{
    /// <summary>MLflow's <c>run_id</c>: the run's id (32 hex characters).</summary>
    public string? RunId { get; set; }
    /// <summary>MLflow's <c>run_uuid</c>: the deprecated twin of <c>run_id</c>, same value.</summary>
    public string? RunUuid { get; set; }
    /// <summary>MLflow's <c>key</c>: the metric name.</summary>
    public string? Key { get; set; }
    /// <summary>MLflow's <c>value</c>: the metric value; NaN and ±Infinity allowed.</summary>
    public double? Value { get; set; }
    /// <summary>MLflow's <c>timestamp</c>: epoch milliseconds.</summary>
    public long? Timestamp { get; set; }
    /// <summary>MLflow's <c>step</c>: the step (0 when absent).</summary>
    public long? Step { get; set; }
}

/// <summary>POST <c>runs/log-parameter</c> and <c>runs/set-tag</c> (same fields). Not thread-safe: a plain data object.</summary>
public sealed class RunKeyValueRequest
{
    /// <summary>MLflow's <c>run_id</c>: the run's id (32 hex characters).</summary>
    public string? RunId { get; set; }
    /// <summary>MLflow's <c>run_uuid</c>: the deprecated twin of <c>run_id</c>, same value.</summary>
    public string? RunUuid { get; set; }
    /// <summary>MLflow's <c>key</c>: the param or tag key.</summary>
    public string? Key { get; set; }
    /// <summary>MLflow's <c>value</c>: the param or tag value.</summary>
    public string? Value { get; set; }
}

/// <summary>POST <c>runs/delete-tag</c>. Not thread-safe: a plain data object.</summary>
public sealed class DeleteTagRequest
{
    /// <summary>MLflow's <c>run_id</c>: the run's id (32 hex characters).</summary>
    public string? RunId { get; set; }
    /// <summary>MLflow's <c>key</c>: the tag key.</summary>
    public string? Key { get; set; }
}

/// <summary>POST <c>runs/log-inputs</c>. Not thread-safe: a plain data object.</summary>
public sealed class LogInputsRequest
{
    /// <summary>MLflow's <c>run_id</c>: the run's id (32 hex characters).</summary>
    public string? RunId { get; set; }
    /// <summary>MLflow's <c>datasets</c>: the datasets to record as inputs.</summary>
    public List<DatasetInputMessage>? Datasets { get; set; }
}

/// <summary>Answer of GET <c>metrics/get-history</c>: one page of points in logged order. Not thread-safe: a plain data object.</summary>
public sealed class GetMetricHistoryResponse
{
    /// <summary>MLflow's <c>metrics</c>: one page of the metric's points.</summary>
    public List<MetricMessage>? Metrics { get; set; }
    /// <summary>MLflow's <c>next_page_token</c>: the token of the next page; absent on the last page.</summary>
    public string? NextPageToken { get; set; }
}

/// <summary>
/// Answer of GET <c>artifacts/list</c> (tracking service: <c>root_uri</c>, paths relative to the run's root) and of
/// GET <c>mlflow-artifacts/artifacts?path=…</c> (artifact proxy: only <c>files</c>, names relative to the listed
/// folder; <c>{}</c> when it is empty or missing).
/// Not thread-safe: a plain data object.
/// </summary>
public sealed class ListArtifactsResponse
{
    /// <summary>MLflow's <c>root_uri</c>: the run's artifact root URI (tracking service only).</summary>
    public string? RootUri { get; set; }
    /// <summary>MLflow's <c>files</c>: the entries of the listed folder.</summary>
    public List<FileInfoMessage>? Files { get; set; }
    /// <summary>MLflow's <c>next_page_token</c>: the token of the next page; absent on the last page.</summary>
    public string? NextPageToken { get; set; }
}
