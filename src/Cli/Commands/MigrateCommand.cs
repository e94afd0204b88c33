using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Qlib.Tracked.Artifacts;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores;
using Qlib.Tracked.Stores.Sql;
using Qlib.Tracked.Tool.Migrate;
using Spectre.Console;

namespace Qlib.Tracked.Tool.Commands;

/// <summary>
/// <c>qtrack migrate --from SRC --to DST</c>: copies every experiment, run and artifact from one store to another
/// (file, SQLite, PostgreSQL, any direction). Resumable: rerun it after an interruption (see <see cref="StoreMigrator"/>).
/// </summary>
internal static class MigrateCommand
{
    public static Command Create(CliContext context)
    {
        var from = new Option<string>("--from") { Description = "The source store: an mlruns folder, file:, sqlite: or postgresql: URI.", HelpName = "URI", Required = true };
        var to = new Option<string>("--to") { Description = "The destination store (created when missing).", HelpName = "URI", Required = true };
        var merge = new Option<bool>("--merge") { Description = "Copy into a destination that already holds other runs (experiments with the same name are shared)." };
        var keep = new Option<bool>("--keep-artifact-locations")
        {
            Description = "Leave artifacts where they are and record their current locations; the destination must allow them: pass --artifact-root SRC_ARTIFACT_ROOT.",
        };
        var artifactRoot = new Option<string?>("--default-artifact-root")
        {
            Description = "The destination's artifact root: where new experiments, and the artifacts copied into them, go (default: the store's own, ./mlruns for a SQL store, as MLflow).",
            HelpName = "DIR",
        };
        var map = new Option<string?>("--map")
        {
            Description = "Where to save the experiment id mapping (JSON; default <destination>.migrate-map.json next to a local destination, else ./qtrack-migrate-map.json).",
            HelpName = "FILE",
        };
        var command = new Command("migrate", "Copy every experiment, run (params, tags, metric histories, inputs, lifecycle, times) and artifact from one store to another.")
        {
            from, to, merge, keep, artifactRoot, map,
        };
        command.SetAction((parsed, cancellation) => Task.FromResult(context.Execute(() =>
        {
            var sourceUri = parsed.GetValue(from)!;
            var destinationUri = parsed.GetValue(to)!;
            RequireExistingSource(sourceUri);
            var storeOptions = context.StoreOptions(parsed);
            using var source = Open("--from", sourceUri, storeOptions);
            // Corrupt entries the source skips (torn metric lines, unreadable folders) are not copied: say which.
            source.Warning += warning => context.Error.WriteLine($"warning: skipped {warning}");
            using var destination = Open("--to", destinationUri, storeOptions with { DefaultArtifactRoot = parsed.GetValue(artifactRoot) });
            var mapPath = parsed.GetValue(map) ?? DefaultMapPath(destinationUri);
            return Run(context, source, destination, new MigrateOptions(parsed.GetValue(merge), parsed.GetValue(keep)), mapPath, cancellation);
        })));
        return command;
    }

    private static ITrackingStore Open(string option, string uri, TrackingStoreOptions options)
    {
        if (string.IsNullOrWhiteSpace(uri)) throw TrackingException.InvalidParameter($"Invalid {option} '': give an mlruns folder or a store URI.");
        try
        {
            return TrackingStoreRegistry.Open(uri, options);
        }
        catch (TrackingException e) when (e.Code is ErrorCode.InvalidParameterValue or ErrorCode.NotImplemented)
        {
            throw new TrackingException(e.Code, $"Invalid {option} '{uri}': {e.Message}", e);
        }
    }

    /// <summary>A source folder or SQLite file that does not exist is a typo, not an empty store to create.</summary>
    private static void RequireExistingSource(string uri)
    {
        var scheme = TrackingUri.GetScheme(uri);
        string? path = scheme == "file" ? TrackingUri.ToLocalPath(uri) : scheme == "sqlite" ? SqlStoreUri.Parse(uri).DatabasePath : null;
        if (path is null) return;
        if (scheme == "file" ? !Directory.Exists(path) : !File.Exists(path))
            throw TrackingException.DoesNotExist($"No source store at --from '{uri}': '{path}' does not exist.");
    }

    private static string DefaultMapPath(string destinationUri)
    {
        var scheme = TrackingUri.GetScheme(destinationUri);
        var local = scheme == "file" ? TrackingUri.ToLocalPath(destinationUri) : scheme == "sqlite" ? SqlStoreUri.Parse(destinationUri).DatabasePath : null;
        return local is null ? "qtrack-migrate-map.json" : Path.TrimEndingDirectorySeparator(local) + ".migrate-map.json";
    }

    private static int Run(CliContext context, ITrackingStore source, ITrackingStore destination, MigrateOptions options, string mapPath, CancellationToken invocationToken)
    {
        using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(invocationToken);
        // Ctrl+C stops between runs: each run is written whole, so the destination stays consistent and a rerun finishes.
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
            var migrator = new StoreMigrator(source, destination, options);
            var summary = context.ErrorIsTerminal
                ? RunWithProgress(context, migrator, interrupt.Token)
                : migrator.Run(null, null, interrupt.Token);
            Report(context, source, destination, summary, mapPath);
            if (summary.Interrupted)
            {
                context.Error.WriteLine($"interrupted: {summary.RunsCopied + summary.RunsAlreadyThere} of {summary.RunsTotal} run(s) done. Every copied run is complete; run the same command again to finish.");
                return ExitCodes.Interrupted;
            }
            return summary.Problems.Count > 0 ? ExitCodes.Failure : ExitCodes.Success;
        }
        finally
        {
            if (onCancel is not null) Console.CancelKeyPress -= onCancel;
        }
    }

    private static MigrateSummary RunWithProgress(CliContext context, StoreMigrator migrator, CancellationToken cancellation)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(context.Error) });
        MigrateSummary? result = null;
        console.Progress().AutoClear(true).Start(progress =>
        {
            ProgressTask? task = null;
            result = migrator.Run(
                planned => task = progress.AddTask("Migrating runs", maxValue: Math.Max(1, planned.RunsTotal)),
                (summary, _) => task!.Value = summary.RunsCopied + summary.RunsAlreadyThere,
                cancellation);
        });
        return result!;
    }

    /// <summary>The id mapping (printed and saved) and the summary.</summary>
    private static void Report(CliContext context, ITrackingStore source, ITrackingStore destination, MigrateSummary summary, string mapPath)
    {
        foreach (var (name, sourceId, destinationId, created) in summary.Experiments)
            context.Out.WriteLine($"experiment {sourceId} -> {destinationId}  {name}{(created ? "" : " (already there)")}");
        foreach (var problem in summary.Problems) context.Error.WriteLine($"error: {problem}");
        SaveMap(mapPath, source, destination, summary);
        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{summary.Experiments.Count} experiment(s), {summary.RunsCopied} run(s) copied ({summary.MetricPoints} metric point(s)), " +
            $"{summary.RunsAlreadyThere} already there, {summary.ArtifactFilesCopied} artifact file(s) copied; id mapping saved to {mapPath}"));
    }

    /// <summary>Writes the whole mapping (every source experiment is mapped on every run, so a rerun rewrites it complete), atomically.</summary>
    private static void SaveMap(string path, ITrackingStore source, ITrackingStore destination, MigrateSummary summary)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        // Aborted on a failure half-way, so a rerun's map never replaces a complete one with a torn one.
        using var stream = new AtomicWriteStream(full);
        try
        {
            using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
            json.WriteStartObject();
            json.WriteString("source", source.TrackingUri);
            json.WriteString("destination", destination.TrackingUri);
            json.WriteStartArray("experiments");
            foreach (var (name, sourceId, destinationId, _) in summary.Experiments)
            {
                json.WriteStartObject();
                json.WriteString("name", name);
                json.WriteString("source_id", sourceId);
                json.WriteString("destination_id", destinationId);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        catch
        {
            stream.Abort();
            throw;
        }
    }
}
