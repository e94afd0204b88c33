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
        var format = CommonOptions.TabularFormat();
        var command = new Command("experiments", "List experiments (newest first, as MLflow) with their active run counts.") { view, format };
        command.SetAction(parsed => context.Execute(() =>
        {
            using var store = context.OpenStore(parsed);
            var experiments = store.SearchExperiments(CliContext.ParseView(parsed.GetValue(view)));
            var counts = experiments.Select(e => CountRuns(store, e.ExperimentId)).ToArray();
            switch (parsed.GetValue(format))
            {
                case CommonOptions.Json: WriteJson(context.Out, experiments, counts); break;
                case CommonOptions.Csv: WriteCsv(context.Out, experiments, counts); break;
                default: WriteTable(context.Out, experiments, counts); break;
            }
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>Active runs of the experiment, counted by the store (an indexed store counts without reading run data).</summary>
    private static int CountRuns(ITrackingStore store, string experimentId) =>
        store.CountRuns(experimentId, ViewType.ActiveOnly);

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

    /// <summary>The JSON fields minus tags, times as epoch milliseconds (empty when the store has none).</summary>
    private static void WriteCsv(TextWriter output, IReadOnlyList<ExperimentInfo> experiments, int[] counts)
    {
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        CsvText.WriteRow(output, "experiment_id", "name", "artifact_location", "lifecycle_stage", "creation_time", "last_update_time", "run_count");
        for (var i = 0; i < experiments.Count; i++)
        {
            var e = experiments[i];
            CsvText.WriteRow(output, e.ExperimentId, e.Name, e.ArtifactLocation, e.LifecycleStage.ToMlflowString(),
                e.CreationTime?.ToString(invariant) ?? "", e.LastUpdateTime?.ToString(invariant) ?? "", counts[i].ToString(invariant));
        }
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
