namespace Qlib.Tracked.Stores.Rest.Protocol;

/// <summary>The paths of MLflow's REST API 2.0 that the REST store calls (and a server answers). Constants only; thread-safe.</summary>
public static class MlflowRoutes
{
    /// <summary>Prefix of every tracking call.</summary>
    public const string Prefix = "/api/2.0/mlflow/";

    /// <summary>The artifact proxy of <c>mlflow server --serve-artifacts</c>: GET (list with <c>?path=</c>, download), PUT (upload), DELETE.</summary>
    public const string ArtifactProxy = "/api/2.0/mlflow-artifacts/artifacts";

    /// <summary>POST: create an experiment.</summary>
    public const string CreateExperiment = Prefix + "experiments/create";
    /// <summary>GET <c>?experiment_id=</c>: one experiment by id.</summary>
    public const string GetExperiment = Prefix + "experiments/get";
    /// <summary>GET <c>?experiment_name=</c>: one experiment by name.</summary>
    public const string GetExperimentByName = Prefix + "experiments/get-by-name";
    /// <summary>POST: one page of experiments.</summary>
    public const string SearchExperiments = Prefix + "experiments/search";
    /// <summary>POST: mark an experiment deleted.</summary>
    public const string DeleteExperiment = Prefix + "experiments/delete";
    /// <summary>POST: make a deleted experiment active.</summary>
    public const string RestoreExperiment = Prefix + "experiments/restore";
    /// <summary>POST: rename an experiment.</summary>
    public const string UpdateExperiment = Prefix + "experiments/update";
    /// <summary>POST: set one experiment tag.</summary>
    public const string SetExperimentTag = Prefix + "experiments/set-experiment-tag";

    /// <summary>POST: start a run.</summary>
    public const string CreateRun = Prefix + "runs/create";
    /// <summary>GET <c>?run_id=</c>: one run with its data.</summary>
    public const string GetRun = Prefix + "runs/get";
    /// <summary>POST: set a run's status, end time or name.</summary>
    public const string UpdateRun = Prefix + "runs/update";
    /// <summary>POST: mark a run deleted.</summary>
    public const string DeleteRun = Prefix + "runs/delete";
    /// <summary>POST: make a deleted run active.</summary>
    public const string RestoreRun = Prefix + "runs/restore";
    /// <summary>POST: one page of runs.</summary>
    public const string SearchRuns = Prefix + "runs/search";
    /// <summary>POST: log metrics, params and tags in one call.</summary>
    public const string LogBatch = Prefix + "runs/log-batch";
    /// <summary>POST: log one metric point.</summary>
    public const string LogMetric = Prefix + "runs/log-metric";
    /// <summary>POST: log one param.</summary>
    public const string LogParameter = Prefix + "runs/log-parameter";
    /// <summary>POST: set one run tag.</summary>
    public const string SetTag = Prefix + "runs/set-tag";
    /// <summary>POST: remove one run tag.</summary>
    public const string DeleteTag = Prefix + "runs/delete-tag";
    /// <summary>POST: record dataset inputs of a run.</summary>
    public const string LogInputs = Prefix + "runs/log-inputs";

    /// <summary>GET <c>?run_id=&amp;metric_key=</c>: one page of a metric's points.</summary>
    public const string GetMetricHistory = Prefix + "metrics/get-history";
    /// <summary>GET <c>?run_id=&amp;path=</c>: a folder of a run's artifacts.</summary>
    public const string ListArtifacts = Prefix + "artifacts/list";

    /// <summary>The most points one <c>metrics/get-history</c> page holds (what the Python client asks for).</summary>
    public const int MetricHistoryPageSize = 25_000;

    /// <summary>The server refuses a <c>log-batch</c> body larger than this many bytes (MLflow's MAX_BATCH_LOG_REQUEST_SIZE).</summary>
    public const int MaxBatchRequestBytes = 1_000_000;
}
