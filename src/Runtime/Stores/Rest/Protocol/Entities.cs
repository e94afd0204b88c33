namespace Qlib.Tracked.Stores.Rest.Protocol;

// MLflow's protobuf messages (mlflow/protos/service.proto) as JSON objects with proto field names. Every field is
// optional on the wire (proto2): a missing field is null here, and what a side needs is checked where it is mapped
// (ProtocolMapping), so a malformed message is refused with the field's name rather than a NullReferenceException.
// Settable properties so the same types deserialize requests (a server) and responses (a client).

/// <summary><c>{key, value}</c>: Param, RunTag, ExperimentTag and InputTag share this shape. Not thread-safe: a plain data object.</summary>
public sealed class KeyValueMessage
{
    /// <summary>MLflow's <c>key</c>: the param or tag key.</summary>
    public string? Key { get; set; }
    /// <summary>MLflow's <c>value</c>: the param or tag value (empty when absent).</summary>
    public string? Value { get; set; }
}

/// <summary>
/// <c>Metric</c>. <see cref="Value"/> is a JSON number, or MLflow's strings <c>"NaN"</c>, <c>"Infinity"</c> and
/// <c>"-Infinity"</c> (what the Python client sends and the server answers); int64 fields may come as strings.
/// Not thread-safe: a plain data object.
/// </summary>
public sealed class MetricMessage
{
    /// <summary>MLflow's <c>key</c>: the metric name.</summary>
    public string? Key { get; set; }
    /// <summary>MLflow's <c>value</c>: the value; NaN and ±Infinity allowed.</summary>
    public double? Value { get; set; }
    /// <summary>MLflow's <c>timestamp</c>: epoch milliseconds.</summary>
    public long? Timestamp { get; set; }
    /// <summary>MLflow's <c>step</c>: the step (0 when absent).</summary>
    public long? Step { get; set; }
}

/// <summary><c>Experiment</c>. Not thread-safe: a plain data object.</summary>
public sealed class ExperimentMessage
{
    /// <summary>MLflow's <c>experiment_id</c>: the experiment's id.</summary>
    public string? ExperimentId { get; set; }
    /// <summary>MLflow's <c>name</c>: the experiment name.</summary>
    public string? Name { get; set; }
    /// <summary>MLflow's <c>artifact_location</c>: URI of the experiment's artifact root.</summary>
    public string? ArtifactLocation { get; set; }
    /// <summary>MLflow's <c>lifecycle_stage</c>: <c>active</c> or <c>deleted</c>.</summary>
    public string? LifecycleStage { get; set; }
    /// <summary>MLflow's <c>last_update_time</c>: epoch milliseconds.</summary>
    public long? LastUpdateTime { get; set; }
    /// <summary>MLflow's <c>creation_time</c>: epoch milliseconds.</summary>
    public long? CreationTime { get; set; }
    /// <summary>MLflow's <c>tags</c>: the experiment's tags.</summary>
    public List<KeyValueMessage>? Tags { get; set; }
}

/// <summary><c>RunInfo</c> (<c>run_uuid</c> is the deprecated twin of <c>run_id</c>; servers send both). Not thread-safe: a plain data object.</summary>
public sealed class RunInfoMessage
{
    /// <summary>MLflow's <c>run_id</c>: the run's id (32 hex characters).</summary>
    public string? RunId { get; set; }
    /// <summary>MLflow's <c>run_uuid</c>: the deprecated twin of <c>run_id</c>, same value.</summary>
    public string? RunUuid { get; set; }
    /// <summary>MLflow's <c>run_name</c>: the run name (also tag <c>mlflow.runName</c>).</summary>
    public string? RunName { get; set; }
    /// <summary>MLflow's <c>experiment_id</c>: the experiment's id.</summary>
    public string? ExperimentId { get; set; }
    /// <summary>MLflow's <c>user_id</c>: who started the run.</summary>
    public string? UserId { get; set; }
    /// <summary>MLflow's <c>status</c>: <c>RUNNING</c>, <c>SCHEDULED</c>, <c>FINISHED</c>, <c>FAILED</c> or <c>KILLED</c>.</summary>
    public string? Status { get; set; }
    /// <summary>MLflow's <c>start_time</c>: epoch milliseconds.</summary>
    public long? StartTime { get; set; }
    /// <summary>MLflow's <c>end_time</c>: epoch milliseconds (absent while the run is unfinished).</summary>
    public long? EndTime { get; set; }
    /// <summary>MLflow's <c>artifact_uri</c>: URI of the run's artifact root.</summary>
    public string? ArtifactUri { get; set; }
    /// <summary>MLflow's <c>lifecycle_stage</c>: <c>active</c> or <c>deleted</c>.</summary>
    public string? LifecycleStage { get; set; }
}

/// <summary><c>RunData</c>: the latest value of each metric, params and tags. Not thread-safe: a plain data object.</summary>
public sealed class RunDataMessage
{
    /// <summary>MLflow's <c>metrics</c>: the latest point of each metric.</summary>
    public List<MetricMessage>? Metrics { get; set; }
    /// <summary>MLflow's <c>params</c>: the run's params.</summary>
    public List<KeyValueMessage>? Params { get; set; }
    /// <summary>MLflow's <c>tags</c>: the run's tags.</summary>
    public List<KeyValueMessage>? Tags { get; set; }
}

/// <summary><c>Dataset</c>. Not thread-safe: a plain data object.</summary>
public sealed class DatasetMessage
{
    /// <summary>MLflow's <c>name</c>: the dataset name.</summary>
    public string? Name { get; set; }
    /// <summary>MLflow's <c>digest</c>: the dataset's content hash.</summary>
    public string? Digest { get; set; }
    /// <summary>MLflow's <c>source_type</c>: what kind of source the dataset came from (e.g. <c>local</c>, <c>http</c>).</summary>
    public string? SourceType { get; set; }
    /// <summary>MLflow's <c>source</c>: the dataset's source, serialised as JSON.</summary>
    public string? Source { get; set; }
    /// <summary>MLflow's <c>schema</c>: the dataset's schema, serialised as JSON.</summary>
    public string? Schema { get; set; }
    /// <summary>MLflow's <c>profile</c>: the dataset's summary statistics, serialised as JSON.</summary>
    public string? Profile { get; set; }
}

/// <summary><c>DatasetInput</c>. Not thread-safe: a plain data object.</summary>
public sealed class DatasetInputMessage
{
    /// <summary>MLflow's <c>tags</c>: tags of this input, such as <c>mlflow.data.context</c>.</summary>
    public List<KeyValueMessage>? Tags { get; set; }
    /// <summary>MLflow's <c>dataset</c>: the dataset that was used.</summary>
    public DatasetMessage? Dataset { get; set; }
}

/// <summary><c>RunInputs</c>. Not thread-safe: a plain data object.</summary>
public sealed class RunInputsMessage
{
    /// <summary>MLflow's <c>dataset_inputs</c>: the datasets the run used.</summary>
    public List<DatasetInputMessage>? DatasetInputs { get; set; }
}

/// <summary><c>Run</c>. Not thread-safe: a plain data object.</summary>
public sealed class RunMessage
{
    /// <summary>MLflow's <c>info</c>: the run's info.</summary>
    public RunInfoMessage? Info { get; set; }
    /// <summary>MLflow's <c>data</c>: the run's latest metrics, params and tags.</summary>
    public RunDataMessage? Data { get; set; }
    /// <summary>MLflow's <c>inputs</c>: the run's dataset inputs.</summary>
    public RunInputsMessage? Inputs { get; set; }
}

/// <summary><c>FileInfo</c> of an artifact listing (<c>file_size</c> absent for folders). Not thread-safe: a plain data object.</summary>
public sealed class FileInfoMessage
{
    /// <summary>MLflow's <c>path</c>: the artifact path.</summary>
    public string? Path { get; set; }
    /// <summary>MLflow's <c>is_dir</c>: whether the entry is a folder.</summary>
    public bool? IsDir { get; set; }
    /// <summary>MLflow's <c>file_size</c>: size in bytes; absent for folders.</summary>
    public long? FileSize { get; set; }
}

/// <summary>The body of every failed call: <c>{"error_code": "RESOURCE_DOES_NOT_EXIST", "message": "…"}</c>. Not thread-safe: a plain data object.</summary>
public sealed class ErrorMessage
{
    /// <summary>MLflow's <c>error_code</c>: MLflow's error code, e.g. <c>RESOURCE_DOES_NOT_EXIST</c>.</summary>
    public string? ErrorCode { get; set; }
    /// <summary>MLflow's <c>message</c>: the human-readable error.</summary>
    public string? Message { get; set; }
}

/// <summary><c>{}</c>: the answer of calls that return nothing (and the request of none). Not thread-safe: a plain data object.</summary>
public sealed class EmptyMessage
{
}
