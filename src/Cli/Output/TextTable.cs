namespace Qlib.Tracked.Tool.Output;

/// <summary>
/// A plain-text table with aligned columns: a header, a dashed rule, then rows. Control characters in
/// cells are shown escaped (<c>\n</c>, <c>\t</c>) so a multi-line tag cannot break the alignment.
/// </summary>
public sealed class TextTable
{
    private const string Gap = "  ";
    private readonly string[] _headers;
    private readonly bool[] _rightAligned;
    private readonly List<string[]> _rows = [];

    public TextTable(params string[] headers)
    {
        _headers = headers;
        _rightAligned = new bool[headers.Length];
    }

    /// <summary>Right-aligns a column (numbers read better that way).</summary>
    public TextTable AlignRight(int column)
    {
        _rightAligned[column] = true;
        return this;
    }

    public int RowCount => _rows.Count;

    public void AddRow(params string[] cells)
    {
        if (cells.Length != _headers.Length)
            throw new ArgumentException($"A row needs {_headers.Length} cells, got {cells.Length}.", nameof(cells));
        _rows.Add(cells.Select(Escape).ToArray());
    }

    public void Write(TextWriter writer)
    {
        var widths = new int[_headers.Length];
        for (var c = 0; c < widths.Length; c++)
            widths[c] = Math.Max(_headers[c].Length, _rows.Count == 0 ? 0 : _rows.Max(r => r[c].Length));
        WriteLine(writer, _headers, widths);
        WriteLine(writer, widths.Select(w => new string('-', w)).ToArray(), widths);
        foreach (var row in _rows) WriteLine(writer, row, widths);
    }

    private void WriteLine(TextWriter writer, string[] cells, int[] widths)
    {
        var parts = new string[cells.Length];
        for (var c = 0; c < cells.Length; c++)
        {
            var last = c == cells.Length - 1;
            parts[c] = _rightAligned[c] ? cells[c].PadLeft(widths[c]) : last ? cells[c] : cells[c].PadRight(widths[c]);
        }
        writer.WriteLine(string.Join(Gap, parts).TrimEnd());
    }

    /// <summary>Shows control characters as escapes; everything else is printed as is.</summary>
    public static string Escape(string text)
    {
        if (!text.Any(char.IsControl)) return text;
        var builder = new System.Text.StringBuilder(text.Length + 8);
        foreach (var ch in text)
        {
            builder.Append(ch switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(ch) => $"\\u{(int)ch:x4}",
                _ => ch.ToString(),
            });
        }
        return builder.ToString();
    }
}
