namespace Qlib.Tracked.Tool.Gc;

/// <summary>What gc does to one run or experiment.</summary>
public enum GcAction
{
    /// <summary>Hard-delete a soft-deleted run (its folder, with the artifacts kept in it).</summary>
    RemoveRun,

    /// <summary>Hard-delete an experiment in <c>.trash</c>, with all its runs.</summary>
    RemoveExperiment,

    /// <summary>Mark a run left RUNNING as KILLED, ended at its last activity.</summary>
    MarkKilled,
}

/// <summary>
/// One planned step. <paramref name="Time"/> is what made the item due: the deletion time for removals
/// (null when the store does not record it), the last activity for a stale run.
/// </summary>
public sealed record GcItem(GcAction Action, string Id, string Name, string ExperimentId, long? Time, int RunCount = 0);

/// <summary>
/// What happened to one planned step: done (or, in a dry run, would be done), or not done with why.
/// <paramref name="Failed"/> tells an error (a file that could not be deleted) from a step that no longer
/// applies (the run was restored or finished since the plan was made).
/// </summary>
public sealed record GcOutcome(GcItem Item, bool Done, string? Note, bool Failed = false);

/// <summary>The thresholds of one gc call; null means "no age limit" for removals and "do not look" for stale runs.</summary>
public sealed record GcOptions(TimeSpan? OlderThan, TimeSpan? StaleAfter, bool DryRun);
