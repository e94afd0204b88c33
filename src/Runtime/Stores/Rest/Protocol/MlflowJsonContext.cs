using System.Text.Json.Serialization;

namespace Qlib.Tracked.Stores.Rest.Protocol;

/// <summary>
/// The JSON of MLflow's REST API 2.0, generated at compile time (no reflection, NativeAOT-safe): proto field names
/// (snake_case), unset fields omitted, unknown fields ignored, int64 read from numbers or strings (proto3 JSON writes
/// them as strings, MLflow's server as numbers) and NaN/±Infinity as the strings <c>"NaN"</c>, <c>"Infinity"</c>,
/// <c>"-Infinity"</c> both ways, as MLflow sends them.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.AllowNamedFloatingPointLiterals,
    GenerationMode = JsonSourceGenerationMode.Default)]
[JsonSerializable(typeof(ErrorMessage))]
[JsonSerializable(typeof(EmptyMessage))]
[JsonSerializable(typeof(CreateExperimentRequest))]
[JsonSerializable(typeof(CreateExperimentResponse))]
[JsonSerializable(typeof(GetExperimentResponse))]
[JsonSerializable(typeof(SearchExperimentsRequest))]
[JsonSerializable(typeof(SearchExperimentsResponse))]
[JsonSerializable(typeof(ExperimentIdRequest))]
[JsonSerializable(typeof(UpdateExperimentRequest))]
[JsonSerializable(typeof(SetExperimentTagRequest))]
[JsonSerializable(typeof(CreateRunRequest))]
[JsonSerializable(typeof(RunResponse))]
[JsonSerializable(typeof(UpdateRunRequest))]
[JsonSerializable(typeof(UpdateRunResponse))]
[JsonSerializable(typeof(RunIdRequest))]
[JsonSerializable(typeof(SearchRunsRequest))]
[JsonSerializable(typeof(SearchRunsResponse))]
[JsonSerializable(typeof(LogBatchRequest))]
[JsonSerializable(typeof(LogMetricRequest))]
[JsonSerializable(typeof(RunKeyValueRequest))]
[JsonSerializable(typeof(DeleteTagRequest))]
[JsonSerializable(typeof(LogInputsRequest))]
[JsonSerializable(typeof(GetMetricHistoryResponse))]
[JsonSerializable(typeof(ListArtifactsResponse))]
public sealed partial class MlflowJsonContext : JsonSerializerContext
{
}
