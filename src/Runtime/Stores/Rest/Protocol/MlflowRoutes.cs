namespace Qlib.Tracked.Stores.Rest.Protocol;

/// <summary>The paths of MLflow's REST API 2.0 that the REST store calls (and a server answers).</summary>
public static class MlflowRoutes
{
    /// <summary>Prefix of every tracking call.</summary>
    public const string Prefix = "/api/2.0/mlflow/";

    /// <summary>The artifact proxy of <c>mlflow server --serve-artifacts</c>: GET (list with <c>?path=</c>, download), PUT (upload), DELETE.</summary>
    public const string ArtifactProxy = "/api/2.0/mlflow-artifacts/artifacts";

    public const string CreateExperiment = Prefix + "experiments/create";
    public const string GetExperiment = Prefix + "experiments/get";
    public const string GetExperimentByName = Prefix + "experiments/get-by-name";
    public const string SearchExperiments = Prefix + "experiments/search";
    public const string DeleteExperiment = Prefix + "experiments/delete";
    public const string RestoreExperiment = Prefix + "experiments/restore";
    public const string UpdateExperiment = Prefix + "experiments/update";
    public const string SetExperimentTag = Prefix + "experiments/set-experiment-tag";

    public const string CreateRun = Prefix + "runs/create";
    public const string GetRun = Prefix + "runs/get";
    public const string UpdateRun = Prefix + "runs/update";
    public const string DeleteRun = Prefix + "runs/delete";
    public const string RestoreRun = Prefix + "runs/restore";
    public const string SearchRuns = Prefix + "runs/search";
    public const string LogBatch = Prefix + "runs/log-batch";
    public const string LogMetric = Prefix + "runs/log-metric";
    public const string LogParameter = Prefix + "runs/log-parameter";
    public const string SetTag = Prefix + "runs/set-tag";
    public const string DeleteTag = Prefix + "runs/delete-tag";
    public const string LogInputs = Prefix + "runs/log-inputs";

    public const string GetMetricHistory = Prefix + "metrics/get-history";
    public const string ListArtifacts = Prefix + "artifacts/list";

    /// <summary>The most points one <c>metrics/get-history</c> page holds (what the Python client asks for).</summary>
    public const int MetricHistoryPageSize = 25_000;

    /// <summary>The server refuses a <c>log-batch</c> body larger than this many bytes (MLflow's MAX_BATCH_LOG_REQUEST_SIZE).</summary>
    public const int MaxBatchRequestBytes = 1_000_000;
}
