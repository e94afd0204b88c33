namespace Qlib.Tracked.Stores.Rest.Protocol;

// Requests and responses of the tracking service, one pair per route (see MlflowRoutes). GET routes carry their
// request fields in the query string (MlflowQuery builds and reads it); the classes below are the JSON bodies.

/// <summary>POST <c>experiments/create</c>.</summary>
public sealed class CreateExperimentRequest
{
    public string? Name { get; set; }
    public string? ArtifactLocation { get; set; }
    public List<KeyValueMessage>? Tags { get; set; }
}

public sealed class CreateExperimentResponse
{
    public string? ExperimentId { get; set; }
}

/// <summary>Answer of GET <c>experiments/get</c> and <c>experiments/get-by-name</c>.</summary>
public sealed class GetExperimentResponse
{
    public ExperimentMessage? Experiment { get; set; }
}

/// <summary>POST <c>experiments/search</c>; <see cref="ViewType"/> is <c>ACTIVE_ONLY</c>, <c>DELETED_ONLY</c> or <c>ALL</c>.</summary>
public sealed class SearchExperimentsRequest
{
    public long? MaxResults { get; set; }
    public string? PageToken { get; set; }
    public string? Filter { get; set; }
    public List<string>? OrderBy { get; set; }
    public string? ViewType { get; set; }
}

public sealed class SearchExperimentsResponse
{
    public List<ExperimentMessage>? Experiments { get; set; }
    public string? NextPageToken { get; set; }
}

/// <summary>POST <c>experiments/delete</c> and <c>experiments/restore</c>.</summary>
public sealed class ExperimentIdRequest
{
    public string? ExperimentId { get; set; }
}

/// <summary>POST <c>experiments/update</c> (a rename).</summary>
public sealed class UpdateExperimentRequest
{
    public string? ExperimentId { get; set; }
    public string? NewName { get; set; }
}

/// <summary>POST <c>experiments/set-experiment-tag</c>.</summary>
public sealed class SetExperimentTagRequest
{
    public string? ExperimentId { get; set; }
    public string? Key { get; set; }
    public string? Value { get; set; }
}

/// <summary>POST <c>runs/create</c>.</summary>
public sealed class CreateRunRequest
{
    public string? ExperimentId { get; set; }
    public string? UserId { get; set; }
    public string? RunName { get; set; }
    public long? StartTime { get; set; }
    public List<KeyValueMessage>? Tags { get; set; }
}

/// <summary>Answer of <c>runs/create</c> and GET <c>runs/get</c>.</summary>
public sealed class RunResponse
{
    public RunMessage? Run { get; set; }
}

/// <summary>POST <c>runs/update</c>; the Python client sends <c>run_uuid</c> too, for servers older than 1.x's rename.</summary>
public sealed class UpdateRunRequest
{
    public string? RunId { get; set; }
    public string? RunUuid { get; set; }
    public string? Status { get; set; }
    public long? EndTime { get; set; }
    public string? RunName { get; set; }
}

public sealed class UpdateRunResponse
{
    public RunInfoMessage? RunInfo { get; set; }
}

/// <summary>POST <c>runs/delete</c> and <c>runs/restore</c>.</summary>
public sealed class RunIdRequest
{
    public string? RunId { get; set; }
}

/// <summary>POST <c>runs/search</c>; <see cref="RunViewType"/> as <see cref="SearchExperimentsRequest.ViewType"/>.</summary>
public sealed class SearchRunsRequest
{
    public List<string>? ExperimentIds { get; set; }
    public string? Filter { get; set; }
    public string? RunViewType { get; set; }
    public long? MaxResults { get; set; }
    public List<string>? OrderBy { get; set; }
    public string? PageToken { get; set; }
}

public sealed class SearchRunsResponse
{
    public List<RunMessage>? Runs { get; set; }
    public string? NextPageToken { get; set; }
}

/// <summary>POST <c>runs/log-batch</c>: the one write of run data.</summary>
public sealed class LogBatchRequest
{
    public string? RunId { get; set; }
    public List<MetricMessage>? Metrics { get; set; }
    public List<KeyValueMessage>? Params { get; set; }
    public List<KeyValueMessage>? Tags { get; set; }
}

/// <summary>POST <c>runs/log-metric</c> (the Python client's <c>log_metric</c>).</summary>
public sealed class LogMetricRequest
{
    public string? RunId { get; set; }
    public string? RunUuid { get; set; }
    public string? Key { get; set; }
    public double? Value { get; set; }
    public long? Timestamp { get; set; }
    public long? Step { get; set; }
}

/// <summary>POST <c>runs/log-parameter</c> and <c>runs/set-tag</c> (same fields).</summary>
public sealed class RunKeyValueRequest
{
    public string? RunId { get; set; }
    public string? RunUuid { get; set; }
    public string? Key { get; set; }
    public string? Value { get; set; }
}

/// <summary>POST <c>runs/delete-tag</c>.</summary>
public sealed class DeleteTagRequest
{
    public string? RunId { get; set; }
    public string? Key { get; set; }
}

/// <summary>POST <c>runs/log-inputs</c>.</summary>
public sealed class LogInputsRequest
{
    public string? RunId { get; set; }
    public List<DatasetInputMessage>? Datasets { get; set; }
}

/// <summary>Answer of GET <c>metrics/get-history</c>: one page of points in logged order.</summary>
public sealed class GetMetricHistoryResponse
{
    public List<MetricMessage>? Metrics { get; set; }
    public string? NextPageToken { get; set; }
}

/// <summary>
/// Answer of GET <c>artifacts/list</c> (tracking service: <c>root_uri</c>, paths relative to the run's root) and of
/// GET <c>mlflow-artifacts/artifacts?path=…</c> (artifact proxy: only <c>files</c>, names relative to the listed
/// folder; <c>{}</c> when it is empty or missing).
/// </summary>
public sealed class ListArtifactsResponse
{
    public string? RootUri { get; set; }
    public List<FileInfoMessage>? Files { get; set; }
    public string? NextPageToken { get; set; }
}
