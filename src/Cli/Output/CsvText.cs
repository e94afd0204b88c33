namespace Qlib.Tracked.Tool.Output;

/// <summary>
/// RFC 4180 CSV rows with <c>\n</c> line ends, the same quoting as the runs export: a field with a comma,
/// quote or line break is quoted and its quotes doubled; everything else is written as is.
/// </summary>
public static class CsvText
{
    public static void WriteRow(TextWriter output, params IEnumerable<string> fields)
    {
        output.Write(string.Join(',', fields.Select(Field)));
        output.Write('\n');
    }

    public static string Field(string text) =>
        text.AsSpan().IndexOfAny(",\"\r\n") < 0 ? text : "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
