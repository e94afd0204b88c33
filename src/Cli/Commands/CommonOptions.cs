using System.CommandLine;

namespace Qlib.Tracked.Tool.Commands;

/// <summary>Options several commands share, built fresh per command (System.CommandLine symbols have one parent).</summary>
internal static class CommonOptions
{
    public const string Table = "table";
    public const string Json = "json";
    public const string Csv = "csv";

    public static Option<string> Format() =>
        new Option<string>("--format")
        {
            Description = "Output format: an aligned table for people, or JSON for scripts.",
            DefaultValueFactory = _ => Table,
        }.AcceptOnlyFromAmong(Table, Json);

    /// <summary>For tabular output: table, json or csv (the runs table with export's columns).</summary>
    public static Option<string> TabularFormat() =>
        new Option<string>("--format")
        {
            Description = "Output format: an aligned table, JSON, or CSV (for runs: the export's columns).",
            DefaultValueFactory = _ => Table,
        }.AcceptOnlyFromAmong(Table, Json, Csv);

    public static Option<string> View(string what) =>
        new Option<string>("--view")
        {
            Description = $"Which {what} to include: active (default), deleted (soft-deleted only) or all.",
            DefaultValueFactory = _ => "active",
        }.AcceptOnlyFromAmong("active", "deleted", "all");
}
