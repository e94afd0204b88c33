namespace Qlib.Tracked.Stores.Rest.Protocol;

// MLflow's protobuf messages (mlflow/protos/service.proto) as JSON objects with proto field names. Every field is
// optional on the wire (proto2): a missing field is null here, and what a side needs is checked where it is mapped
// (ProtocolMapping), so a malformed message is refused with the field's name rather than a NullReferenceException.
// Settable properties so the same types deserialize requests (a server) and responses (a client).

/// <summary><c>{key, value}</c>: Param, RunTag, ExperimentTag and InputTag share this shape.</summary>
public sealed class KeyValueMessage
{
    public string? Key { get; set; }
    public string? Value { get; set; }
}

/// <summary>
/// <c>Metric</c>. <see cref="Value"/> is a JSON number, or MLflow's strings <c>"NaN"</c>, <c>"Infinity"</c> and
/// <c>"-Infinity"</c> (what the Python client sends and the server answers); int64 fields may come as strings.
/// </summary>
public sealed class MetricMessage
{
    public string? Key { get; set; }
    public double? Value { get; set; }
    public long? Timestamp { get; set; }
    public long? Step { get; set; }
}

/// <summary><c>Experiment</c>.</summary>
public sealed class ExperimentMessage
{
    public string? ExperimentId { get; set; }
    public string? Name { get; set; }
    public string? ArtifactLocation { get; set; }
    public string? LifecycleStage { get; set; }
    public long? LastUpdateTime { get; set; }
    public long? CreationTime { get; set; }
    public List<KeyValueMessage>? Tags { get; set; }
}

/// <summary><c>RunInfo</c> (<c>run_uuid</c> is the deprecated twin of <c>run_id</c>; servers send both).</summary>
public sealed class RunInfoMessage
{
    public string? RunId { get; set; }
    public string? RunUuid { get; set; }
    public string? RunName { get; set; }
    public string? ExperimentId { get; set; }
    public string? UserId { get; set; }
    public string? Status { get; set; }
    public long? StartTime { get; set; }
    public long? EndTime { get; set; }
    public string? ArtifactUri { get; set; }
    public string? LifecycleStage { get; set; }
}

/// <summary><c>RunData</c>: the latest value of each metric, params and tags.</summary>
public sealed class RunDataMessage
{
    public List<MetricMessage>? Metrics { get; set; }
    public List<KeyValueMessage>? Params { get; set; }
    public List<KeyValueMessage>? Tags { get; set; }
}

/// <summary><c>Dataset</c>.</summary>
public sealed class DatasetMessage
{
    public string? Name { get; set; }
    public string? Digest { get; set; }
    public string? SourceType { get; set; }
    public string? Source { get; set; }
    public string? Schema { get; set; }
    public string? Profile { get; set; }
}

/// <summary><c>DatasetInput</c>.</summary>
public sealed class DatasetInputMessage
{
    public List<KeyValueMessage>? Tags { get; set; }
    public DatasetMessage? Dataset { get; set; }
}

/// <summary><c>RunInputs</c>.</summary>
public sealed class RunInputsMessage
{
    public List<DatasetInputMessage>? DatasetInputs { get; set; }
}

/// <summary><c>Run</c>.</summary>
public sealed class RunMessage
{
    public RunInfoMessage? Info { get; set; }
    public RunDataMessage? Data { get; set; }
    public RunInputsMessage? Inputs { get; set; }
}

/// <summary><c>FileInfo</c> of an artifact listing (<c>file_size</c> absent for folders).</summary>
public sealed class FileInfoMessage
{
    public string? Path { get; set; }
    public bool? IsDir { get; set; }
    public long? FileSize { get; set; }
}

/// <summary>The body of every failed call: <c>{"error_code": "RESOURCE_DOES_NOT_EXIST", "message": "…"}</c>.</summary>
public sealed class ErrorMessage
{
    public string? ErrorCode { get; set; }
    public string? Message { get; set; }
}

/// <summary><c>{}</c>: the answer of calls that return nothing (and the request of none).</summary>
public sealed class EmptyMessage
{
}
