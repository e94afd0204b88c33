using System.CommandLine;
using System.Globalization;
using Qlib.Tracked.Compare;
using Qlib.Tracked.Tool.Output;

namespace Qlib.Tracked.Tool.Commands;

/// <summary><c>qtrack metrics RUN KEY</c>: every logged point of one metric, in file order.</summary>
internal static class MetricsCommand
{
    public static Command Create(CliContext context)
    {
        var runId = new Argument<string>("RUN") { Description = "The run id." };
        var key = new Argument<string>("KEY") { Description = "The metric key, e.g. valid.ic or train/loss." };
        var format = CommonOptions.Format();
        var command = new Command("metrics", "Print a metric's history (every logged point, duplicates kept, as MLflow).") { runId, key, format };
        command.SetAction(parsed => context.Execute(() =>
        {
            using var store = context.OpenStore(parsed);
            var id = parsed.GetValue(runId)!;
            var metricKey = parsed.GetValue(key)!;
            var run = store.GetRun(id);
            if (!run.Data.Metrics.ContainsKey(metricKey))
            {
                var known = run.Data.Metrics.Count == 0 ? "none" : string.Join(", ", RunJson.Sorted(run.Data.Metrics.Keys));
                throw TrackingException.DoesNotExist($"Run '{id}' has no metric '{metricKey}'. Its metrics: {known}.");
            }
            var history = store.GetMetricHistory(id, metricKey);
            if (parsed.GetValue(format) == CommonOptions.Json)
            {
                RunJson.WriteDocument(context.Out, writer =>
                {
                    writer.WriteStartObject();
                    writer.WriteString("run_id", id);
                    writer.WriteString("key", metricKey);
                    writer.WriteStartArray("history");
                    foreach (var point in history)
                    {
                        writer.WriteStartObject();
                        writer.WriteNumber("step", point.Step);
                        writer.WriteNumber("timestamp", point.Timestamp);
                        writer.WritePropertyName("value");
                        RunJson.WriteMetricValue(writer, point.Value);
                        writer.WriteEndObject();
                    }
                    writer.WriteEndArray();
                    writer.WriteEndObject();
                });
                return ExitCodes.Success;
            }
            var table = new TextTable("step", "timestamp", "value").AlignRight(0).AlignRight(2);
            foreach (var point in history)
                table.AddRow(point.Step.ToString(CultureInfo.InvariantCulture), ValueText.PreciseTime(point.Timestamp), ValueText.Number(point.Value));
            table.Write(context.Out);
            // The chart shows one value per step, chosen as everywhere else (MLflow's latest point of the step).
            var curve = MetricHistoryAligner.Align(metricKey, [(id, history)]);
            if (curve.Steps.Count >= 2)
            {
                context.Out.WriteLine();
                AsciiChart.Write(context.Out, curve.Steps, curve.Values[0].Select(v => v!.Value).ToArray());
            }
            return ExitCodes.Success;
        }));
        return command;
    }
}
