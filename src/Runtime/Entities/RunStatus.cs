namespace Qlib.Tracked.Entities;

/// <summary>Run status with MLflow's integer codes (they are what <c>meta.yaml</c> stores).</summary>
public enum RunStatus
{
    Running = 1,
    Scheduled = 2,
    Finished = 3,
    Failed = 4,
    Killed = 5,
}

/// <summary>Whether an experiment or run is live or soft-deleted.</summary>
public enum LifecycleStage
{
    Active,
    Deleted,
}

/// <summary>Which lifecycle stages a listing or search returns (MLflow's ViewType codes).</summary>
public enum ViewType
{
    ActiveOnly = 1,
    DeletedOnly = 2,
    All = 3,
}

/// <summary>MLflow's spellings of the enums above.</summary>
public static class EntityNames
{
    public static string ToMlflowString(this RunStatus status) => status switch
    {
        RunStatus.Running => "RUNNING",
        RunStatus.Scheduled => "SCHEDULED",
        RunStatus.Finished => "FINISHED",
        RunStatus.Failed => "FAILED",
        RunStatus.Killed => "KILLED",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown run status."),
    };

    public static bool TryParseRunStatus(string text, out RunStatus status)
    {
        switch (text.ToUpperInvariant())
        {
            case "RUNNING": status = RunStatus.Running; return true;
            case "SCHEDULED": status = RunStatus.Scheduled; return true;
            case "FINISHED": status = RunStatus.Finished; return true;
            case "FAILED": status = RunStatus.Failed; return true;
            case "KILLED": status = RunStatus.Killed; return true;
            default: status = default; return false;
        }
    }

    public static string ToMlflowString(this LifecycleStage stage) =>
        stage == LifecycleStage.Deleted ? "deleted" : "active";

    /// <summary>True when an entity in <paramref name="stage"/> is shown by <paramref name="view"/>.</summary>
    public static bool Includes(this ViewType view, LifecycleStage stage) => view switch
    {
        ViewType.ActiveOnly => stage == LifecycleStage.Active,
        ViewType.DeletedOnly => stage == LifecycleStage.Deleted,
        _ => true,
    };
}
