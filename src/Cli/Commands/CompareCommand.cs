using System.CommandLine;
using Qlib.Tracked.Artifacts;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Compare;
using Qlib.Tracked.Stores;
using Qlib.Tracked.Tool.Output;

namespace Qlib.Tracked.Tool.Commands;

/// <summary>
/// <c>qtrack compare RUN RUN…</c>: params and latest metrics side by side (only the rows that differ unless
/// <c>--all</c>), and the correlation of the runs' predictions when every run stored <c>pred.parquet</c>.
/// </summary>
internal static class CompareCommand
{
    public static Command Create(CliContext context)
    {
        var runIds = new Argument<string[]>("RUN") { Description = "Two or more run ids.", Arity = new ArgumentArity(2, 100) };
        var all = new Option<bool>("--all") { Description = "Show every param and metric, not only those that differ." };
        var method = new Option<string>("--method")
        {
            Description = "Prediction correlation: pearson (default) or spearman.",
            DefaultValueFactory = _ => "pearson",
        }.AcceptOnlyFromAmong("pearson", "spearman");
        var histories = new Option<string[]>("--history")
        {
            Description = "Also print this metric's histories aligned by step (repeatable).",
            HelpName = "KEY",
        };
        var format = CommonOptions.Format();
        var command = new Command("compare", "Compare runs: params and metrics side by side, and prediction correlation.")
        {
            runIds, all, method, histories, format,
        };
        command.SetAction(parsed => context.Execute(() =>
        {
            using var store = context.OpenStore(parsed);
            var ids = parsed.GetValue(runIds)!;
            var comparison = RunComparer.Compare(store, ids, onlyDifferences: !parsed.GetValue(all));
            var correlation = CorrelateIfAllHavePredictions(context, store, ids,
                parsed.GetValue(method) == "spearman" ? CorrelationMethod.Spearman : CorrelationMethod.Pearson);
            var aligned = (parsed.GetValue(histories) ?? []).Select(key => MetricHistoryAligner.Align(store, ids, key)).ToArray();
            if (parsed.GetValue(format) == CommonOptions.Json) WriteJson(context.Out, comparison, correlation, aligned);
            else WriteText(context.Out, comparison, correlation, aligned);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static PredictionCorrelation? CorrelateIfAllHavePredictions(CliContext context, ITrackingStore store, string[] ids, CorrelationMethod method) =>
        // Every run is checked (no short cut), so each refused run gets its warning.
        ids.Select(id => HasReadablePredictions(context, store, id)).ToArray().All(has => has) ? PredictionCorrelator.Correlate(store, ids, method) : null;

    /// <summary>A run whose artifact location the store refuses has no predictions to compare: said on stderr, not fatal.</summary>
    private static bool HasReadablePredictions(CliContext context, ITrackingStore store, string runId)
    {
        try
        {
            return PredictionCorrelator.HasPredictions(store, runId);
        }
        catch (ArtifactLocationNotAllowedException e)
        {
            context.Error.WriteLine($"warning: predictions not read: {e.Message}");
            return false;
        }
    }

    private static void WriteText(TextWriter output, RunComparison comparison, PredictionCorrelation? correlation, AlignedMetricHistory[] histories)
    {
        var runHeaders = comparison.Runs.Select(r => r.RunName.Length > 0 ? r.RunName : r.RunId).ToArray();
        output.WriteLine("runs");
        var runsTable = new TextTable("column", "run_id", "run_name", "status");
        for (var i = 0; i < comparison.Runs.Count; i++)
            runsTable.AddRow(runHeaders[i], comparison.Runs[i].RunId, comparison.Runs[i].RunName, comparison.Runs[i].Status.ToMlflowString());
        runsTable.Write(output);

        output.WriteLine();
        output.WriteLine($"params ({comparison.Params.Count})");
        var paramsTable = new TextTable(["key", .. runHeaders]);
        foreach (var row in comparison.Params)
            paramsTable.AddRow([Mark(row.Key, row.Differs), .. row.Values.Select(v => v ?? ValueText.Missing)]);
        paramsTable.Write(output);

        output.WriteLine();
        output.WriteLine($"metrics ({comparison.Metrics.Count}, latest values)");
        var metricsTable = new TextTable(["key", .. runHeaders]);
        for (var c = 1; c <= runHeaders.Length; c++) metricsTable.AlignRight(c);
        foreach (var row in comparison.Metrics)
            metricsTable.AddRow([Mark(row.Key, row.Differs), .. row.Values.Select(ValueText.Number)]);
        metricsTable.Write(output);

        foreach (var history in histories)
        {
            output.WriteLine();
            output.WriteLine($"history of {history.MetricKey} by step");
            var historyTable = new TextTable(["step", .. runHeaders]);
            for (var c = 0; c <= runHeaders.Length; c++) historyTable.AlignRight(c);
            for (var i = 0; i < history.Steps.Count; i++)
                historyTable.AddRow([history.Steps[i].ToString(System.Globalization.CultureInfo.InvariantCulture), .. history.Values.Select(row => ValueText.Number(row[i]))]);
            historyTable.Write(output);
        }

        output.WriteLine();
        if (correlation is null)
        {
            output.WriteLine("prediction correlation: not every run has pred.parquet");
            return;
        }
        output.WriteLine($"prediction correlation ({correlation.Method.ToString().ToLowerInvariant()}, {correlation.CommonRowCount} common (datetime, instrument) rows)");
        var corrTable = new TextTable(["", .. runHeaders]);
        for (var c = 1; c <= runHeaders.Length; c++) corrTable.AlignRight(c);
        for (var i = 0; i < runHeaders.Length; i++)
            corrTable.AddRow([runHeaders[i], .. correlation.Matrix[i].Select(v => double.IsNaN(v) ? "NaN" : v.ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture))]);
        corrTable.Write(output);
    }

    /// <summary>A leading '*' marks differing rows when --all shows identical ones too.</summary>
    private static string Mark(string key, bool differs) => differs ? "* " + key : "  " + key;

    private static void WriteJson(TextWriter output, RunComparison comparison, PredictionCorrelation? correlation, AlignedMetricHistory[] histories) =>
        RunJson.WriteDocument(output, writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("runs");
            foreach (var run in comparison.Runs)
            {
                writer.WriteStartObject();
                writer.WriteString("run_id", run.RunId);
                writer.WriteString("run_name", run.RunName);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            WriteRows(writer, "params", comparison.Params.Select(r => (r.Key, r.Differs, r.Values)), (w, v) =>
            {
                if (v is null) w.WriteNullValue();
                else w.WriteStringValue(v);
            });
            WriteRows(writer, "metrics", comparison.Metrics.Select(r => (r.Key, r.Differs, r.Values)), RunJson.WriteMetricValue);
            writer.WriteStartArray("histories");
            foreach (var history in histories)
            {
                writer.WriteStartObject();
                writer.WriteString("key", history.MetricKey);
                writer.WriteStartArray("steps");
                foreach (var step in history.Steps) writer.WriteNumberValue(step);
                writer.WriteEndArray();
                writer.WriteStartArray("values");
                foreach (var row in history.Values)
                {
                    writer.WriteStartArray();
                    foreach (var v in row) RunJson.WriteMetricValue(writer, v);
                    writer.WriteEndArray();
                }
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            if (correlation is null)
            {
                writer.WriteNull("prediction_correlation");
            }
            else
            {
                writer.WriteStartObject("prediction_correlation");
                writer.WriteString("method", correlation.Method.ToString().ToLowerInvariant());
                writer.WriteNumber("common_rows", correlation.CommonRowCount);
                writer.WriteStartArray("matrix");
                foreach (var row in correlation.Matrix)
                {
                    writer.WriteStartArray();
                    foreach (var v in row) RunJson.WriteMetricValue(writer, v);
                    writer.WriteEndArray();
                }
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        });

    /// <summary>Params and metrics rows share one JSON shape: key, differs, one value per run (null when missing).</summary>
    private static void WriteRows<T>(System.Text.Json.Utf8JsonWriter writer, string name,
        IEnumerable<(string Key, bool Differs, IReadOnlyList<T> Values)> rows, Action<System.Text.Json.Utf8JsonWriter, T> writeValue)
    {
        writer.WriteStartArray(name);
        foreach (var (key, differs, values) in rows)
        {
            writer.WriteStartObject();
            writer.WriteString("key", key);
            writer.WriteBoolean("differs", differs);
            writer.WriteStartArray("values");
            foreach (var v in values) writeValue(writer, v);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }
}
