using System.CommandLine;
using System.Globalization;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores;
using Qlib.Tracked.Tool.Gc;
using Qlib.Tracked.Tool.Output;
using Spectre.Console;

namespace Qlib.Tracked.Tool.Commands;

/// <summary>
/// <c>qtrack gc</c>: hard-deletes what is marked deleted (MLflow's <c>mlflow gc</c>) and, with
/// <c>--stale-after</c>, marks runs whose process died while RUNNING as KILLED. It also removes the temp files
/// of atomic writes whose process was killed between writing and renaming (<c>.meta.yaml.&lt;id&gt;.tmp</c>, …).
/// </summary>
internal static class GcCommand
{
    public static Command Create(CliContext context)
    {
        var olderThan = new Option<string?>("--older-than")
        {
            Description = "Only remove what was deleted at least this long ago, e.g. 30d, 12h, 90m, 1d12h (default: everything deleted).",
            HelpName = "DURATION",
        };
        var staleAfter = new Option<string?>("--stale-after")
        {
            Description = "Also mark runs still RUNNING with no activity for this long as KILLED, ended at their last activity.",
            HelpName = "DURATION",
        };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print what would be removed or marked, change nothing." };
        var command = new Command("gc", "Permanently delete deleted runs and experiments; mark stale RUNNING runs KILLED; remove temp files of killed writes.")
        {
            olderThan, staleAfter, dryRun,
        };
        command.SetAction((parsed, cancellation) => Task.FromResult(context.Execute(() =>
        {
            var options = new GcOptions(
                parsed.GetValue(olderThan) is { } older ? DurationText.Parse(older, "--older-than") : null,
                parsed.GetValue(staleAfter) is { } stale ? DurationText.Parse(stale, "--stale-after") : null,
                parsed.GetValue(dryRun));
            using var opened = context.OpenStore(parsed);
            // Purging deleted runs, sweeping temp files of killed writes and finishing interrupted removals are file-store
            // operations (folders, .trash, temp names); a database store has none of them to do.
            if (opened is not FileStore store)
                throw new TrackingException(ErrorCode.NotImplemented,
                    $"qtrack gc works on file stores (mlruns folders) only; '{opened.TrackingUri}' is a {Stores.TrackingUri.GetScheme(opened.TrackingUri)}: store.");
            return Run(context, store, options, cancellation);
        })));
        return command;
    }

    private static int Run(CliContext context, FileStore store, GcOptions options, CancellationToken invocationToken)
    {
        using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(invocationToken);
        // Ctrl+C must not kill the process mid-step: take it over and stop between steps instead.
        ConsoleCancelEventHandler? onCancel = null;
        if (ReferenceEquals(context.Error, Console.Error))
        {
            onCancel = (_, e) =>
            {
                e.Cancel = true;
                interrupt.Cancel();
            };
            Console.CancelKeyPress += onCancel;
        }
        try
        {
            if (!options.DryRun)
            {
                var swept = store.SweepInterruptedPurges();
                if (swept > 0) context.Out.WriteLine($"finished {swept} removal(s) an earlier gc left incomplete");
            }
            var tempFilesFailed = SweepTempFiles(context, store, options.DryRun, interrupt.Token);
            var gc = new GarbageCollector(store, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            var plan = context.WithStatus("Scanning the store for deleted and stale runs...", () => gc.Plan(options));
            var outcomes = context.ErrorIsTerminal && plan.Count > 0
                ? ExecuteWithProgress(context, gc, plan, options, interrupt.Token)
                : gc.Execute(plan, options, null, interrupt.Token);
            foreach (var outcome in outcomes) context.Out.WriteLine(Describe(outcome, options.DryRun));
            WriteSummary(context.Out, outcomes, options.DryRun);
            if (outcomes.Count < plan.Count)
            {
                context.Error.WriteLine($"interrupted: {outcomes.Count} of {plan.Count} step(s) done; the rest were not started. The store is consistent; run gc again to finish.");
                return ExitCodes.Interrupted;
            }
            return outcomes.Any(o => o.Failed) || tempFilesFailed ? ExitCodes.Failure : ExitCodes.Success;
        }
        finally
        {
            if (onCancel is not null) Console.CancelKeyPress -= onCancel;
        }
    }

    /// <summary>
    /// Removes (or in a dry run lists) temp files atomic writes left behind when their process was killed; see
    /// <see cref="FileStore.SweepStaleTempFiles"/> for which and how old. True when one could not be removed.
    /// </summary>
    private static bool SweepTempFiles(CliContext context, FileStore store, bool dryRun, CancellationToken cancellation)
    {
        var temps = context.WithStatus("Looking for temp files left by interrupted writes...",
            () => store.SweepStaleTempFiles(DateTime.UtcNow, dryRun, cancellation));
        foreach (var temp in temps)
        {
            if (temp.Error is not null) context.Out.WriteLine($"failed: remove stale temp file {temp.Path}: {temp.Error}");
            else context.Out.WriteLine($"{(dryRun ? "would remove" : "removed")} stale temp file {temp.Path}");
        }
        return temps.Any(t => t.Error is not null);
    }

    /// <summary>A live progress bar on the terminal's stderr; the result lines are printed after it, so they never interleave.</summary>
    private static IReadOnlyList<GcOutcome> ExecuteWithProgress(CliContext context, GarbageCollector gc, IReadOnlyList<GcItem> plan, GcOptions options, CancellationToken cancellation)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(context.Error) });
        IReadOnlyList<GcOutcome> outcomes = [];
        console.Progress().AutoClear(true).Start(progress =>
        {
            var task = progress.AddTask(options.DryRun ? "gc (dry run)" : "gc", maxValue: plan.Count);
            outcomes = gc.Execute(plan, options, _ => task.Increment(1), cancellation);
        });
        return outcomes;
    }

    private static string Describe(GcOutcome outcome, bool dryRun)
    {
        var item = outcome.Item;
        var when = ValueText.Time(item.Time);
        var line = item.Action switch
        {
            GcAction.RemoveExperiment =>
                $"{(dryRun ? "would remove" : "removed")} experiment {item.Id} '{item.Name}' with {item.RunCount} run(s) (deleted {when})",
            GcAction.RemoveRun =>
                $"{(dryRun ? "would remove" : "removed")} run {item.Id} '{item.Name}' of experiment {item.ExperimentId} (deleted {when})",
            _ => $"{(dryRun ? "would mark" : "marked")} run {item.Id} '{item.Name}' of experiment {item.ExperimentId} KILLED (last activity {when})",
        };
        if (!outcome.Done) line = $"{(outcome.Failed ? "failed" : "skipped")}: {line}: {outcome.Note}";
        else if (outcome.Note is not null) line += $"; {outcome.Note}";
        return line;
    }

    private static void WriteSummary(TextWriter output, IReadOnlyList<GcOutcome> outcomes, bool dryRun)
    {
        int Count(GcAction action) => outcomes.Count(o => o.Done && o.Item.Action == action);
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"{Count(GcAction.RemoveRun)} run(s) and {Count(GcAction.RemoveExperiment)} experiment(s) {(dryRun ? "would be removed" : "removed")}; {Count(GcAction.MarkKilled)} run(s) {(dryRun ? "would be marked" : "marked")} KILLED");
        output.WriteLine(dryRun ? "dry run: " + summary : summary);
    }
}
