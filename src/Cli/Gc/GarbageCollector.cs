using Qlib.Tracked.Entities;
using Qlib.Tracked.Export;
using Qlib.Tracked.Stores;

namespace Qlib.Tracked.Tool.Gc;

/// <summary>
/// <c>mlflow gc</c> for a file store, plus the repair of runs whose process died: first a plan (pure
/// reads), then the steps one by one. Cancellation is checked between steps only, and every step is
/// itself all-or-nothing for readers (see <see cref="FileStore.PurgeRun"/>), so stopping at any point
/// leaves a store in which every run and experiment is either whole or gone.
/// </summary>
public sealed class GarbageCollector(FileStore store, long nowMillis)
{
    public IReadOnlyList<GcItem> Plan(GcOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var plan = new List<GcItem>();
        var active = store.SearchExperiments(ViewType.ActiveOnly);
        var trashed = store.SearchExperiments(ViewType.DeletedOnly);

        var doomedExperiments = new HashSet<string>(StringComparer.Ordinal);
        foreach (var experiment in trashed.OrderBy(e => e.ExperimentId, StringComparer.Ordinal))
        {
            // MLflow stamps last_update_time when it moves an experiment to the trash.
            if (!IsDue(experiment.LastUpdateTime, options.OlderThan)) continue;
            var runCount = RunsSearch.All(store, [experiment.ExperimentId], viewType: ViewType.All).Items.Count;
            plan.Add(new GcItem(GcAction.RemoveExperiment, experiment.ExperimentId, experiment.Name, experiment.ExperimentId,
                experiment.LastUpdateTime, runCount));
            doomedExperiments.Add(experiment.ExperimentId);
        }

        var allIds = active.Concat(trashed).Select(e => e.ExperimentId).ToArray();
        if (allIds.Length > 0)
        {
            var deletedRuns = RunsSearch.All(store, allIds, viewType: ViewType.DeletedOnly).Items;
            foreach (var run in deletedRuns.OrderBy(r => r.Info.RunId, StringComparer.Ordinal))
            {
                var info = run.Info;
                if (doomedExperiments.Contains(info.ExperimentId)) continue; // removed with its experiment
                if (!IsDue(info.DeletedTime, options.OlderThan)) continue;
                plan.Add(new GcItem(GcAction.RemoveRun, info.RunId, info.RunName, info.ExperimentId, info.DeletedTime));
            }
        }

        if (options.StaleAfter is { } staleAfter && active.Count > 0)
        {
            // The filter lets an indexed store answer without reading every run; the status check keeps the plan right regardless.
            var running = RunsSearch.All(store, active.Select(e => e.ExperimentId).ToArray(), "attributes.status = 'RUNNING'").Items
                .Where(r => r.Info.Status == RunStatus.Running)
                .OrderBy(r => r.Info.RunId, StringComparer.Ordinal);
            foreach (var run in running)
            {
                var lastActivity = store.GetRunLastActivity(run.Info.RunId);
                if (lastActivity <= nowMillis - (long)staleAfter.TotalMilliseconds)
                    plan.Add(new GcItem(GcAction.MarkKilled, run.Info.RunId, run.Info.RunName, run.Info.ExperimentId, lastActivity));
            }
        }
        return plan;
    }

    /// <summary>
    /// Carries out <paramref name="plan"/> in order, reporting each outcome as it happens. Stops before
    /// the next step once <paramref name="cancellation"/> is signalled; returns the outcomes of the steps taken.
    /// </summary>
    public IReadOnlyList<GcOutcome> Execute(IReadOnlyList<GcItem> plan, GcOptions options, Action<GcOutcome>? onStep, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(options);
        var outcomes = new List<GcOutcome>(plan.Count);
        foreach (var item in plan)
        {
            if (cancellation.IsCancellationRequested) break;
            var outcome = options.DryRun ? new GcOutcome(item, true, null) : TryApply(item, options);
            outcomes.Add(outcome);
            onStep?.Invoke(outcome);
        }
        return outcomes;
    }

    /// <summary>
    /// One step, its failure reported rather than thrown so the steps before it are still reported and
    /// the ones after it still run. Another process may have restored, removed or finished the run since
    /// the plan: that is a skip, not an error.
    /// </summary>
    private GcOutcome TryApply(GcItem item, GcOptions options)
    {
        try
        {
            return Apply(item, options);
        }
        catch (TrackingException e) when (e.Code is ErrorCode.InvalidState or ErrorCode.ResourceDoesNotExist or ErrorCode.InvalidParameterValue)
        {
            return new GcOutcome(item, false, e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A removal that failed half-way left a purge folder, never a half run; the next gc finishes it.
            return new GcOutcome(item, false, e.Message, Failed: true);
        }
    }

    private GcOutcome Apply(GcItem item, GcOptions options)
    {
        switch (item.Action)
        {
            case GcAction.RemoveExperiment:
                store.PurgeExperiment(item.Id);
                return new GcOutcome(item, true, null);
            case GcAction.RemoveRun:
                var external = store.PurgeRun(item.Id);
                return new GcOutcome(item, true, external is null ? null : $"its artifacts at '{external}' are outside the store and were left in place");
            default:
                // The run may have ended, or logged again, since the plan was made: look once more.
                var current = store.GetRun(item.Id).Info;
                if (current.Status != RunStatus.Running || current.LifecycleStage != LifecycleStage.Active)
                    return new GcOutcome(item, false, $"it is now {current.Status.ToMlflowString()}");
                var lastActivity = store.GetRunLastActivity(item.Id);
                if (lastActivity > nowMillis - (long)options.StaleAfter!.Value.TotalMilliseconds)
                    return new GcOutcome(item, false, "it showed new activity");
                store.UpdateRunInfo(item.Id, RunStatus.Killed, lastActivity, null);
                return new GcOutcome(item with { Time = lastActivity }, true, null);
        }
    }

    /// <summary>
    /// Due when no age limit is set, or when the recorded time is at least that old. An unknown time
    /// (MLflow before 1.28 wrote no deleted_time) is never old enough for an age limit.
    /// </summary>
    private bool IsDue(long? time, TimeSpan? olderThan) =>
        olderThan is not { } limit || (time is { } t && t <= nowMillis - (long)limit.TotalMilliseconds);
}
