using System.CommandLine;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Export;
using Qlib.Tracked.Stores;
using Qlib.Tracked.Tool.Output;

namespace Qlib.Tracked.Tool.Commands;

/// <summary><c>qtrack experiments</c>: the store's experiments in MLflow's order, with their run counts.</summary>
internal static class ExperimentsCommand
{
    public static Command Create(CliContext context)
    {
        var view = CommonOptions.View("experiments");
        var format = CommonOptions.Format();
        var command = new Command("experiments", "List experiments (newest first, as MLflow) with their active run counts.") { view, format };
        command.SetAction(parsed => context.Execute(() =>
        {
            var store = context.OpenStore(parsed);
            var experiments = store.SearchExperiments(CliContext.ParseView(parsed.GetValue(view)));
            var counts = experiments.Select(e => CountRuns(store, e.ExperimentId)).ToArray();
            if (parsed.GetValue(format) == CommonOptions.Json) WriteJson(context.Out, experiments, counts);
            else WriteTable(context.Out, experiments, counts);
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>Active runs of the experiment, counted through the store's search (so an indexed store counts fast).</summary>
    private static int CountRuns(ITrackingStore store, string experimentId) =>
        RunsSearch.All(store, [experimentId]).Items.Count;

    private static void WriteTable(TextWriter output, IReadOnlyList<ExperimentInfo> experiments, int[] counts)
    {
        var table = new TextTable("experiment_id", "name", "runs", "lifecycle_stage", "created", "artifact_location").AlignRight(2);
        for (var i = 0; i < experiments.Count; i++)
        {
            var e = experiments[i];
            table.AddRow(e.ExperimentId, e.Name, counts[i].ToString(System.Globalization.CultureInfo.InvariantCulture),
                e.LifecycleStage.ToMlflowString(), ValueText.Time(e.CreationTime), e.ArtifactLocation);
        }
        table.Write(output);
    }

    private static void WriteJson(TextWriter output, IReadOnlyList<ExperimentInfo> experiments, int[] counts) =>
        RunJson.WriteDocument(output, writer =>
        {
            writer.WriteStartArray();
            for (var i = 0; i < experiments.Count; i++)
            {
                var e = experiments[i];
                writer.WriteStartObject();
                writer.WriteString("experiment_id", e.ExperimentId);
                writer.WriteString("name", e.Name);
                writer.WriteString("artifact_location", e.ArtifactLocation);
                writer.WriteString("lifecycle_stage", e.LifecycleStage.ToMlflowString());
                if (e.CreationTime is { } created) writer.WriteNumber("creation_time", created);
                else writer.WriteNull("creation_time");
                if (e.LastUpdateTime is { } updated) writer.WriteNumber("last_update_time", updated);
                else writer.WriteNull("last_update_time");
                writer.WriteNumber("run_count", counts[i]);
                RunJson.WriteStrings(writer, "tags", e.Tags);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        });
}
