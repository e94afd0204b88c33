using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores.Rest.Protocol;
using Qlib.Tracked.Validation;

namespace Qlib.Tracked.Stores;

public sealed partial class RestStore
{
    /// <summary>
    /// One <c>runs/log-inputs</c> request, as the Python client sends it. Checked against MLflow's limits here first, so
    /// an oversized field is refused by name whatever the server checks (MLflow's file store behind a server checks
    /// nothing). Retried as <see cref="Rest.RetrySafety.Idempotent"/>: a dataset the server already has as an input of
    /// the run is not stored again.
    /// </summary>
    public void LogInputs(string runId, IReadOnlyList<DatasetInput> inputs)
    {
        MlflowValidation.ValidateDatasetInputs(inputs);
        _http.Post(MlflowRoutes.LogInputs,
            new LogInputsRequest { RunId = runId, Datasets = [.. inputs.Select(ProtocolMapping.ToMessage)] },
            MlflowJsonContext.Default.LogInputsRequest, MlflowJsonContext.Default.EmptyMessage, Rest.RetrySafety.Idempotent);
    }
}
