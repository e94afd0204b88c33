namespace Qlib.Tracked.Entities;

/// <summary>Run status with MLflow's integer codes (they are what <c>meta.yaml</c> stores).</summary>
public enum RunStatus
{
    /// <summary>The run is in progress (<c>RUNNING</c>).</summary>
    Running = 1,
    /// <summary>The run is scheduled but has not started (<c>SCHEDULED</c>).</summary>
    Scheduled = 2,
    /// <summary>The run ended successfully (<c>FINISHED</c>).</summary>
    Finished = 3,
    /// <summary>The run ended with an error (<c>FAILED</c>).</summary>
    Failed = 4,
    /// <summary>The run was stopped before it ended (<c>KILLED</c>).</summary>
    Killed = 5,
}

/// <summary>Whether an experiment or run is live or soft-deleted.</summary>
public enum LifecycleStage
{
    /// <summary>Live (<c>active</c>).</summary>
    Active,
    /// <summary>Soft-deleted (<c>deleted</c>): kept on disk until garbage-collected, restorable.</summary>
    Deleted,
}

/// <summary>Which lifecycle stages a listing or search returns (MLflow's ViewType codes).</summary>
public enum ViewType
{
    /// <summary>Only active entities (<c>ACTIVE_ONLY</c>), MLflow's default.</summary>
    ActiveOnly = 1,
    /// <summary>Only soft-deleted entities (<c>DELETED_ONLY</c>).</summary>
    DeletedOnly = 2,
    /// <summary>Both (<c>ALL</c>).</summary>
    All = 3,
}

/// <summary>MLflow's spellings of the enums above. Stateless; thread-safe.</summary>
public static class EntityNames
{
    /// <summary>The status as MLflow spells it: <c>RUNNING</c>, <c>SCHEDULED</c>, <c>FINISHED</c>, <c>FAILED</c> or <c>KILLED</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> is not a defined value.</exception>
    public static string ToMlflowString(this RunStatus status) => status switch
    {
        RunStatus.Running => "RUNNING",
        RunStatus.Scheduled => "SCHEDULED",
        RunStatus.Finished => "FINISHED",
        RunStatus.Failed => "FAILED",
        RunStatus.Killed => "KILLED",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown run status."),
    };

    /// <summary>Reads an MLflow status name, case-insensitively; false for anything else.</summary>
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

    /// <summary>The stage as MLflow spells it: <c>active</c> or <c>deleted</c>.</summary>
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
