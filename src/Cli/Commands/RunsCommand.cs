using System.CommandLine;
using System.Globalization;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Export;
using Qlib.Tracked.Stores;
using Qlib.Tracked.Tool.Output;

namespace Qlib.Tracked.Tool.Commands;

/// <summary>
/// <c>qtrack runs</c>: MLflow's run search (filter, order-by, view type) over chosen experiments, or over
/// every active experiment. The grammar is the store's: this command passes the strings through.
/// </summary>
internal static class RunsCommand
{
    /// <summary>MLflow's default <c>max_results</c>.</summary>
    public const int DefaultMax = 1000;

    public static Command Create(CliContext context)
    {
        var experiments = new Option<string[]>("--experiment", "-e")
        {
            Description = "An experiment name or id to search (repeatable; default: every active experiment).",
            HelpName = "NAME|ID",
        }.NotBlank();
        var filter = new Option<string?>("--filter", "-f")
        {
            Description = "An MLflow filter, e.g. \"metrics.ic > 0.02 AND params.model_class = 'LGBModel'\".",
            HelpName = "F",
        };
        var orderBy = new Option<string[]>("--order-by", "-o")
        {
            Description = "\"KEY [ASC|DESC]\", e.g. \"metrics.ic DESC\" (repeatable; first is primary). Default: start_time DESC, run_id.",
            HelpName = "KEY [ASC|DESC]",
        };
        var max = new Option<int>("--max", "-n")
        {
            Description = $"At most this many runs (default {DefaultMax}).",
            DefaultValueFactory = _ => DefaultMax,
        }.AtLeast(1);
        var columns = new Option<string[]>("--columns", "-c")
        {
            Description = "Extra table columns: params.KEY, metrics.KEY or tags.KEY (repeatable).",
            HelpName = "COLUMN",
        };
        var view = CommonOptions.View("runs");
        var format = CommonOptions.TabularFormat();
        var command = new Command("runs", "Search runs with MLflow's filter and order-by grammar.")
        {
            experiments, filter, orderBy, max, view, format, columns,
        };
        command.SetAction(parsed => context.Execute(() =>
        {
            var extraColumns = (parsed.GetValue(columns) ?? []).Select(RunColumn.Parse).ToArray();
            using var store = context.OpenStore(parsed);
            var requested = parsed.GetValue(experiments) ?? [];
            var experimentIds = requested.Length == 0 ? ExperimentResolver.AllActive(store) : ExperimentResolver.Resolve(store, requested);
            var limit = parsed.GetValue(max);
            var result = RunsSearch.All(store, experimentIds, parsed.GetValue(filter), CliContext.ParseView(parsed.GetValue(view)),
                parsed.GetValue(orderBy) ?? [], limit);

            switch (parsed.GetValue(format))
            {
                case CommonOptions.Json:
                    RunJson.WriteDocument(context.Out, writer => RunJson.WriteRuns(writer, result.Items));
                    break;
                case CommonOptions.Csv:
                    RunsTableCsv.Write(RunsTable.FromRuns(result.Items), context.Out);
                    break;
                default:
                    WriteTable(context.Out, store, result.Items, extraColumns);
                    break;
            }
            if (result.NextPageToken is not null)
                context.Error.WriteLine($"note: showing the first {result.Items.Count} runs; more match (raise --max).");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static void WriteTable(TextWriter output, ITrackingStore store, IReadOnlyList<Run> runs, RunColumn[] extra)
    {
        var names = store.SearchExperiments(ViewType.All).ToDictionary(e => e.ExperimentId, e => e.Name);
        string[] fixedHeaders = ["run_id", "run_name", "experiment", "status", "start_time", "duration"];
        var table = new TextTable([.. fixedHeaders, .. extra.Select(c => c.Header)]);
        for (var c = 0; c < extra.Length; c++)
            if (extra[c].IsNumber) table.AlignRight(fixedHeaders.Length + c);
        foreach (var run in runs)
        {
            var info = run.Info;
            table.AddRow([
                info.RunId, info.RunName, names.GetValueOrDefault(info.ExperimentId, info.ExperimentId),
                info.Status.ToMlflowString(), ValueText.Time(info.StartTime), ValueText.Duration(info),
                .. extra.Select(c => c.Cell(run)),
            ]);
        }
        table.Write(output);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{runs.Count} run(s)"));
    }
}
