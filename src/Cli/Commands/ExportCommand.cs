using System.CommandLine;
using Qlib.Tracked.Export;

namespace Qlib.Tracked.Tool.Commands;

/// <summary>
/// <c>qtrack export --out FILE</c>: the runs table of a search (info, params, latest metrics, tags) as one
/// Parquet file for pandas or DuckDB. Same search options as <c>qtrack runs</c>, but every match by default.
/// </summary>
internal static class ExportCommand
{
    public static Command Create(CliContext context)
    {
        var output = new Option<string>("--out")
        {
            Description = "The file to write (replaced atomically if it exists).",
            HelpName = "FILE",
            Required = true,
        }.NotBlank();
        var experiments = new Option<string[]>("--experiment", "-e")
        {
            Description = "An experiment name or id (repeatable; default: every active experiment).",
            HelpName = "NAME|ID",
        }.NotBlank();
        var filter = new Option<string?>("--filter", "-f") { Description = "An MLflow filter string.", HelpName = "F" };
        var orderBy = new Option<string[]>("--order-by", "-o") { Description = "\"KEY [ASC|DESC]\" (repeatable).", HelpName = "KEY [ASC|DESC]" };
        var max = new Option<int?>("--max", "-n") { Description = "At most this many runs (default: all)." }.AtLeast(1);
        var view = CommonOptions.View("runs");
        var format = new Option<string?>("--format")
        {
            Description = "parquet or csv (default: from the file's extension, .csv for CSV, else Parquet).",
        }.AcceptOnlyFromAmong("parquet", "csv");
        var command = new Command("export", "Write the runs table of a search to a Parquet (or CSV) file.")
        {
            output, experiments, filter, orderBy, max, view, format,
        };
        command.SetAction(parsed => context.Execute(() =>
        {
            using var store = context.OpenStore(parsed);
            var requested = parsed.GetValue(experiments) ?? [];
            var experimentIds = requested.Length == 0 ? ExperimentResolver.AllActive(store) : ExperimentResolver.Resolve(store, requested);
            var path = parsed.GetValue(output)!;
            if (Directory.Exists(path))
                throw TrackingException.InvalidParameter($"Invalid --out '{path}': it is a folder; give the file to write, e.g. {Path.Combine(path, "runs.parquet")}.");
            var table = context.WithStatus("Reading runs...", () => RunsSearch.Table(store, experimentIds, parsed.GetValue(filter),
                CliContext.ParseView(parsed.GetValue(view)), parsed.GetValue(orderBy) ?? [], parsed.GetValue(max)));
            var csv = parsed.GetValue(format) is { } chosen
                ? chosen == "csv"
                : path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase);
            context.WithStatus($"Writing {table.RowCount} run(s) to {path}...", () =>
            {
                if (csv) RunsTableCsv.Write(table, path);
                else RunsTableParquet.Write(table, path);
                return true;
            });
            context.Out.WriteLine($"Wrote {table.RowCount} run(s) and {table.ColumnNames.Count()} column(s) to {path}");
            return ExitCodes.Success;
        }));
        return command;
    }
}
