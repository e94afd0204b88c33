using System.Globalization;
using System.Text;
using Qlib.Tracked.Artifacts;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Formats.Python;

namespace Qlib.Tracked.Export;

/// <summary>
/// A <see cref="RunsTable"/> as CSV (RFC 4180: comma-separated, fields with a comma, quote or line break
/// quoted, quotes doubled, CRLF-free <c>\n</c> line ends), with the same columns in the same order as the
/// Parquet file. Times are epoch milliseconds; metrics are spelled as pandas shows them
/// (<see cref="PandasFloat"/>: Python's repr, <c>NaN</c>, <c>inf</c>, <c>-inf</c>) (which pandas' <c>read_csv</c> parses as floats); an empty field is a
/// missing value. CSV cannot tell an empty string from a missing one: use Parquet when that matters.
/// Stateless; thread-safe.
/// </summary>
public static class RunsTableCsv
{
    /// <summary>Writes <paramref name="table"/> to <paramref name="output"/>: the header line, then one line per run.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static void Write(RunsTable table, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(output);
        output.Write(string.Join(',', table.ColumnNames.Select(Field)));
        output.Write('\n');
        for (var row = 0; row < table.RowCount; row++)
        {
            var info = table.Runs[row];
            IEnumerable<string> cells =
            [
                info.RunId, info.RunName, info.ExperimentId, info.Status.ToMlflowString(),
                info.StartTime.ToString(CultureInfo.InvariantCulture),
                info.EndTime?.ToString(CultureInfo.InvariantCulture) ?? "",
                info.LifecycleStage.ToMlflowString(), info.UserId, info.ArtifactUri,
                .. table.ParamColumns.Select(column => column[row] ?? ""),
                .. table.MetricColumns.Select(column => column[row] is { } v ? Number(v) : ""),
                .. table.TagColumns.Select(column => column[row] ?? ""),
            ];
            output.Write(string.Join(',', cells.Select(Field)));
            output.Write('\n');
        }
    }

    /// <summary>Writes the CSV file at <paramref name="path"/> through a temp file renamed into place.</summary>
    public static void Write(RunsTable table, string path)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(folder))
            throw TrackingException.DoesNotExist($"Cannot export to '{path}': the folder '{folder}' does not exist.");
        using var stream = new AtomicWriteStream(full);
        try
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), leaveOpen: true);
            Write(table, writer);
        }
        catch
        {
            stream.Abort();
            throw;
        }
    }

    private static string Number(double value) => PandasFloat.ToString(value);

    private static string Field(string text) =>
        text.AsSpan().IndexOfAny(",\"\r\n") < 0 ? text : "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
