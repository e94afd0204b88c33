using System.Globalization;
using Qlib.Tracked.Frames;

namespace EvaluateCsv;

/// <summary>Input the user must fix (a missing column, an unparsable value, an unsorted panel): exit code 2.</summary>
public sealed class InputException(string message) : Exception(message);

/// <summary>The panel: predictions and labels on the same (datetime, instrument) rows.</summary>
public sealed record Panel(PredictionFrame Pred, LabelFrame Label, bool HasTimeOfDay);

/// <summary>A backtest report's columns PortAnaRecord uses, one entry per day.</summary>
public sealed record Report(DateTime[] Datetime, double[] Return, double[] Bench, double[] Cost);

/// <summary>
/// Reads the CSV files of <c>shared/fixtures/qlib-vectors</c>: comma-separated, one header row, dates
/// <c>YYYY-MM-DD</c> (a time of day is accepted too), floats as Python/pandas write them, missing values
/// as <c>NaN</c> (or an empty field). Columns are found by name, so their order and extra columns do not matter.
/// </summary>
public static class CsvInput
{
    public static readonly string[] PanelColumns = ["datetime", "instrument", "score", "label"];
    public static readonly string[] ReportColumns = ["datetime", "return", "bench", "cost"];

    /// <summary>
    /// <c>datetime,instrument,score,label</c>, sorted by datetime then instrument (ordinal) with no repeated
    /// (datetime, instrument): what Qlib's frames look like after <c>sort_index()</c>.
    /// </summary>
    public static Panel ReadPanel(string path)
    {
        var (columns, rows) = Read(path, PanelColumns);
        int d = columns[0], ins = columns[1], s = columns[2], l = columns[3];
        var n = rows.Count;
        var datetime = new DateTime[n];
        var instrument = new string[n];
        var score = new double[n];
        var label = new double[n];
        var timeOfDay = false;
        for (var i = 0; i < n; i++)
        {
            var (line, fields) = rows[i];
            ReadSortedKey(path, rows, i, d, ins, datetime, instrument, "the panel");
            timeOfDay |= datetime[i].TimeOfDay != TimeSpan.Zero;
            score[i] = ParseNumber(path, line, "score", fields[s]);
            label[i] = ParseNumber(path, line, "label", fields[l]);
        }
        if (n == 0) throw new InputException($"{path} has a header but no rows.");
        return new Panel(new PredictionFrame(datetime, instrument, score), new LabelFrame(datetime, instrument, label), timeOfDay);
    }

    public static readonly string[] PredColumns = ["datetime", "instrument", "score"];

    /// <summary>
    /// <c>datetime,instrument,score</c> (the qlib-backtest fixtures' <c>pred.csv</c>), sorted by datetime then
    /// instrument (ordinal) with no repeated (datetime, instrument); a missing row means no score.
    /// </summary>
    public static PredictionFrame ReadPred(string path)
    {
        var (columns, rows) = Read(path, PredColumns);
        int d = columns[0], ins = columns[1], s = columns[2];
        var n = rows.Count;
        var datetime = new DateTime[n];
        var instrument = new string[n];
        var score = new double[n];
        for (var i = 0; i < n; i++)
        {
            var (line, fields) = rows[i];
            ReadSortedKey(path, rows, i, d, ins, datetime, instrument, "the predictions");
            score[i] = ParseNumber(path, line, "score", fields[s]);
        }
        if (n == 0) throw new InputException($"{path} has a header but no rows.");
        return new PredictionFrame(datetime, instrument, score);
    }

    /// <summary><c>datetime,return,bench,cost</c>, one row per day, dates ascending with none repeated.</summary>
    public static Report ReadReport(string path)
    {
        var (columns, rows) = Read(path, ReportColumns);
        var n = rows.Count;
        var datetime = new DateTime[n];
        var ret = new double[n];
        var bench = new double[n];
        var cost = new double[n];
        for (var i = 0; i < n; i++)
        {
            var (line, fields) = rows[i];
            datetime[i] = ParseDate(path, line, "datetime", fields[columns[0]]);
            ret[i] = ParseNumber(path, line, "return", fields[columns[1]]);
            bench[i] = ParseNumber(path, line, "bench", fields[columns[2]]);
            cost[i] = ParseNumber(path, line, "cost", fields[columns[3]]);
            if (i > 0 && datetime[i] <= datetime[i - 1])
                throw new InputException(
                    $"{path} line {line}: {fields[columns[0]].Trim()} {(datetime[i] == datetime[i - 1] ? "repeats" : "comes after")} " +
                    $"{rows[i - 1].Fields[columns[0]].Trim()} on line {rows[i - 1].Line}; the report must have one row per day, dates ascending.");
        }
        if (n == 0) throw new InputException($"{path} has a header but no rows.");
        return new Report(datetime, ret, bench, cost);
    }

    /// <summary>The index of each of <paramref name="required"/> in the header, and every data row with its 1-based line number.</summary>
    /// <summary>
    /// Reads row <paramref name="i"/>'s (datetime, instrument) into the arrays and checks it comes strictly after
    /// row i−1: sorted by datetime, then instrument (ordinal), each pair once — what Qlib's frames look like after
    /// <c>sort_index()</c>. <paramref name="what"/> names the file's content in the error.
    /// </summary>
    private static void ReadSortedKey(string path, List<(int Line, string[] Fields)> rows, int i, int d, int ins,
        DateTime[] datetime, string[] instrument, string what)
    {
        var (line, fields) = rows[i];
        datetime[i] = ParseDate(path, line, "datetime", fields[d]);
        instrument[i] = fields[ins].Trim();
        if (instrument[i].Length == 0) throw new InputException($"{path} line {line}: the instrument is empty.");
        if (i == 0) return;
        var order = datetime[i].CompareTo(datetime[i - 1]);
        if (order == 0) order = string.CompareOrdinal(instrument[i], instrument[i - 1]);
        if (order <= 0)
            throw new InputException(
                $"{path} line {line}: ({fields[d].Trim()}, {instrument[i]}) {(order == 0 ? "repeats" : "comes after")} " +
                $"({rows[i - 1].Fields[d].Trim()}, {instrument[i - 1]}) on line {rows[i - 1].Line}; {what} must be sorted by " +
                "datetime, then instrument (ordinal), with each (datetime, instrument) once.");
    }

    private static (int[] Columns, List<(int Line, string[] Fields)> Rows) Read(string path, string[] required)
    {
        if (!File.Exists(path)) throw new InputException($"{path}: no such file.");
        using var reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
        var headerLine = reader.ReadLine();
        if (headerLine is null) throw new InputException($"{path} is empty; it needs the header {string.Join(',', required)}.");
        var header = headerLine.Split(',').Select(h => h.Trim()).ToArray();
        var columns = new int[required.Length];
        for (var c = 0; c < required.Length; c++)
        {
            columns[c] = Array.IndexOf(header, required[c]);
            if (columns[c] < 0)
                throw new InputException(
                    $"{path}: no '{required[c]}' column; the header is '{headerLine}' and it needs {string.Join(',', required)}.");
            if (Array.IndexOf(header, required[c], columns[c] + 1) >= 0)
                throw new InputException($"{path}: the column '{required[c]}' appears twice in the header.");
        }
        var rows = new List<(int, string[])>();
        var lineNumber = 1;
        for (var line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            lineNumber++;
            if (line.Length == 0) continue;
            var fields = line.Split(',');
            if (fields.Length != header.Length)
                throw new InputException($"{path} line {lineNumber}: {fields.Length} fields, but the header has {header.Length}.");
            rows.Add((lineNumber, fields));
        }
        return (columns, rows);
    }

    private static readonly string[] DateFormats = ["yyyy-MM-dd", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-dd HH:mm"];

    private static DateTime ParseDate(string path, int line, string column, string text)
    {
        if (DateTime.TryParseExact(text.Trim(), DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value)) return value;
        throw new InputException($"{path} line {line}: {column} '{text}' is not a date (YYYY-MM-DD).");
    }

    /// <summary>A float as Python and pandas write one; <c>NaN</c>, <c>nan</c> or an empty field is missing.</summary>
    public static double ParseNumber(string path, int line, string column, string text)
    {
        var t = text.Trim();
        if (t.Length == 0 || t.Equals("nan", StringComparison.OrdinalIgnoreCase)) return double.NaN;
        if (t.Equals("inf", StringComparison.OrdinalIgnoreCase) || t.Equals("+inf", StringComparison.OrdinalIgnoreCase)) return double.PositiveInfinity;
        if (t.Equals("-inf", StringComparison.OrdinalIgnoreCase)) return double.NegativeInfinity;
        if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)) return value;
        throw new InputException($"{path} line {line}: {column} '{text}' is not a number.");
    }
}
