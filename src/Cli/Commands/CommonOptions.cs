using System.CommandLine;
using System.Globalization;

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

    /// <summary>The port a listening command (<c>ui</c>, <c>server</c>) binds: 5000 by default, 0 for a free one, 0–65535 checked at parse time.</summary>
    public static Option<int> ListenPort()
    {
        var port = new Option<int>("--port", "-p")
        {
            Description = "The port (default 5000; 0 picks a free one).",
            DefaultValueFactory = _ => 5000,
            HelpName = "N",
        };
        port.Validators.Add(result =>
        {
            // Read from the token: a value that is not a number at all is the parser's error, reported already.
            foreach (var token in result.Tokens)
            {
                if (int.TryParse(token.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value is < 0 or > 65535)
                    result.AddError(string.Create(CultureInfo.InvariantCulture, $"Invalid --port {value}: it must be 0-65535 (0 picks a free port)."));
            }
        });
        return port;
    }

    /// <summary>Refuses values of <paramref name="option"/> below <paramref name="minimum"/> at parse time (exit 2, option named).</summary>
    public static Option<T> AtLeast<T>(this Option<T> option, int minimum)
    {
        option.Validators.Add(result =>
        {
            // Read from the token: a value that is not a number at all is the parser's error, reported already.
            foreach (var token in result.Tokens)
            {
                if (int.TryParse(token.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) && number < minimum)
                    result.AddError(string.Create(CultureInfo.InvariantCulture, $"Invalid {option.Name} {number}: it must be at least {minimum}."));
            }
        });
        return option;
    }

    /// <summary>Refuses an empty or blank value (an unset shell variable, say) instead of passing it on as a path or name.</summary>
    public static Option<T> NotBlank<T>(this Option<T> option)
    {
        option.Validators.Add(result =>
        {
            foreach (var token in result.Tokens)
            {
                if (string.IsNullOrWhiteSpace(token.Value))
                    result.AddError($"Invalid {option.Name} '{token.Value}': it is empty.");
            }
        });
        return option;
    }
}
