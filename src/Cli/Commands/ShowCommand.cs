using System.CommandLine;
using System.Globalization;
using Qlib.Tracked.Artifacts;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores;
using Qlib.Tracked.Tool.Output;

namespace Qlib.Tracked.Tool.Commands;

/// <summary><c>qtrack show RUN</c>: one run's info, params, latest metrics, tags and artifact tree.</summary>
internal static class ShowCommand
{
    public static Command Create(CliContext context)
    {
        var runId = new Argument<string>("RUN") { Description = "The run id." };
        var format = CommonOptions.Format();
        var command = new Command("show", "Show a run: info, params, metrics (latest), tags and artifacts.") { runId, format };
        command.SetAction(parsed => context.Execute(() =>
        {
            using var store = context.OpenStore(parsed);
            var run = store.GetRun(parsed.GetValue(runId)!);
            var artifacts = TryListTree(context, store, run.Info.RunId);
            if (parsed.GetValue(format) == CommonOptions.Json)
            {
                RunJson.WriteDocument(context.Out, writer =>
                {
                    writer.WriteStartObject();
                    writer.WritePropertyName("run");
                    RunJson.WriteRun(writer, run);
                    writer.WriteString("user_id", run.Info.UserId);
                    writer.WriteString("artifact_uri", run.Info.ArtifactUri);
                    if (artifacts is null)
                    {
                        writer.WriteNull("artifacts");
                    }
                    else
                    {
                        writer.WriteStartArray("artifacts");
                        foreach (var a in artifacts) ArtifactJson.Write(writer, a);
                        writer.WriteEndArray();
                    }
                    writer.WriteEndObject();
                });
            }
            else
            {
                WriteText(context.Out, run, artifacts);
            }
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>
    /// The artifact tree, or null with a warning on stderr when the run's artifact location is one the store refuses
    /// to read (outside its artifact roots): the rest of the run is still shown.
    /// </summary>
    private static List<ArtifactInfo>? TryListTree(CliContext context, ITrackingStore store, string runId)
    {
        try
        {
            return ListTree(store.GetArtifactRepository(runId));
        }
        catch (ArtifactLocationNotAllowedException e)
        {
            context.Error.WriteLine($"warning: artifacts not listed: {e.Message}");
            return null;
        }
    }

    /// <summary>Every artifact below the root, depth first, folders before their content.</summary>
    private static List<ArtifactInfo> ListTree(IArtifactRepository repository)
    {
        var all = new List<ArtifactInfo>();
        void Walk(string? path)
        {
            foreach (var entry in repository.List(path).OrderBy(a => a.Path, StringComparer.Ordinal))
            {
                all.Add(entry);
                if (entry.IsDir) Walk(entry.Path);
            }
        }
        Walk(null);
        return all;
    }

    private static void WriteText(TextWriter output, Run run, List<ArtifactInfo>? artifacts)
    {
        var info = run.Info;
        var table = new TextTable("field", "value");
        table.AddRow("run_id", info.RunId);
        table.AddRow("run_name", info.RunName);
        table.AddRow("experiment_id", info.ExperimentId);
        table.AddRow("status", info.Status.ToMlflowString());
        table.AddRow("lifecycle_stage", info.LifecycleStage.ToMlflowString());
        table.AddRow("user_id", info.UserId);
        table.AddRow("start_time", ValueText.Time(info.StartTime));
        table.AddRow("end_time", ValueText.Time(info.EndTime));
        table.AddRow("duration", ValueText.Duration(info));
        table.AddRow("artifact_uri", info.ArtifactUri);
        table.Write(output);

        output.WriteLine();
        output.WriteLine($"params ({run.Data.Params.Count})");
        var paramsTable = new TextTable("key", "value");
        foreach (var key in RunJson.Sorted(run.Data.Params.Keys)) paramsTable.AddRow(key, run.Data.Params[key]);
        paramsTable.Write(output);

        output.WriteLine();
        output.WriteLine($"metrics ({run.Data.Metrics.Count}, latest values)");
        var metricsTable = new TextTable("key", "value", "step").AlignRight(1).AlignRight(2);
        foreach (var key in RunJson.Sorted(run.Data.Metrics.Keys))
        {
            var m = run.Data.Metrics[key];
            metricsTable.AddRow(key, ValueText.Number(m.Value), m.Step.ToString(CultureInfo.InvariantCulture));
        }
        metricsTable.Write(output);

        output.WriteLine();
        output.WriteLine($"tags ({run.Data.Tags.Count})");
        var tagsTable = new TextTable("key", "value");
        foreach (var key in RunJson.Sorted(run.Data.Tags.Keys)) tagsTable.AddRow(key, run.Data.Tags[key]);
        tagsTable.Write(output);

        output.WriteLine();
        if (artifacts is null)
        {
            output.WriteLine("artifacts (not listed: their location is outside the store's artifact roots; see the warning)");
            return;
        }
        output.WriteLine($"artifacts ({artifacts.Count(a => !a.IsDir)} files)");
        var artifactTable = new TextTable("path", "size").AlignRight(1);
        foreach (var a in artifacts)
            artifactTable.AddRow(a.IsDir ? a.Path + "/" : a.Path, a.FileSize?.ToString(CultureInfo.InvariantCulture) ?? "");
        artifactTable.Write(output);
    }
}
