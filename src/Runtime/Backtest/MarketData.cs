using System.Globalization;

namespace Qlib.Tracked.Backtest;

/// <summary>
/// Daily market data as Qlib's backtest reads it (<c>$open, $close, $high, $low, $volume, $factor, $change</c>
/// per instrument and calendar day), held columnar: one dense array per field, indexed
/// <c>instrument * Calendar.Length + day</c>. Qlib stores every feature as float32, so every value is kept as
/// <c>(double)(float)x</c>: the float32 that Qlib reads back, widened. A missing row (or a suspended day) is NaN
/// in every field. The benchmark is an instrument of the same table.
/// Immutable after construction; thread-safe.
/// </summary>
public sealed class MarketData
{
    /// <summary>The CSV header this library reads and writes (the fixture format).</summary>
    public static readonly string[] CsvColumns = ["datetime", "instrument", "open", "close", "high", "low", "volume", "factor", "change"];

    private readonly Dictionary<DateTime, int> _dayIndex;
    private readonly Dictionary<string, int> _instrumentIndex;

    private MarketData(DateTime[] calendar, string[] instruments, double[][] fields)
    {
        Calendar = calendar;
        Instruments = instruments;
        _fields = fields;
        _dayIndex = new Dictionary<DateTime, int>(calendar.Length);
        for (var i = 0; i < calendar.Length; i++) _dayIndex[calendar[i]] = i;
        _instrumentIndex = new Dictionary<string, int>(instruments.Length, StringComparer.Ordinal);
        for (var i = 0; i < instruments.Length; i++) _instrumentIndex[instruments[i]] = i;
        // Qlib's Exchange switches to adjusted-price mode when any row has a close but no factor.
        var close = fields[(int)MarketField.Close];
        var factor = fields[(int)MarketField.Factor];
        for (var i = 0; i < close.Length; i++)
            if (!double.IsNaN(close[i]) && double.IsNaN(factor[i])) { HasMissingFactor = true; break; }
    }

    private readonly double[][] _fields;

    /// <summary>The trading calendar: every date of the table, ascending.</summary>
    public DateTime[] Calendar { get; }

    /// <summary>Every instrument of the table, in ordinal order.</summary>
    public string[] Instruments { get; }

    /// <summary>True when some row has a close but a NaN factor (Qlib then trades without trade-unit rounding).</summary>
    public bool HasMissingFactor { get; }

    /// <summary>The whole column of <paramref name="field"/> (instrument-major).</summary>
    public ReadOnlySpan<double> Column(MarketField field) => _fields[(int)field];

    /// <summary>Index of <paramref name="date"/> in <see cref="Calendar"/>, or -1.</summary>
    public int DayIndex(DateTime date) => _dayIndex.TryGetValue(date, out var i) ? i : -1;

    /// <summary>Index of <paramref name="instrument"/> in <see cref="Instruments"/>, or -1.</summary>
    public int InstrumentIndex(string instrument) => _instrumentIndex.TryGetValue(instrument, out var i) ? i : -1;

    /// <summary>The value of <paramref name="field"/>; NaN when the instrument is unknown or the row missing.</summary>
    public double Get(int instrument, int day, MarketField field) =>
        instrument < 0 || day < 0 ? double.NaN : _fields[(int)field][instrument * Calendar.Length + day];

    /// <summary>The value of <paramref name="field"/> for <paramref name="instrument"/> on calendar day <paramref name="day"/>; NaN when the instrument is unknown or the row missing.</summary>
    public double Get(string instrument, int day, MarketField field) => Get(InstrumentIndex(instrument), day, field);

    /// <summary>Builds the table from rows; values are rounded to float32. Duplicate (date, instrument) rows are an error.</summary>
    public static MarketData FromRows(IReadOnlyList<MarketRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var calendar = rows.Select(r => r.Datetime).Distinct().Order().ToArray();
        var instruments = rows.Select(r => r.Instrument).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var dayIndex = new Dictionary<DateTime, int>();
        for (var i = 0; i < calendar.Length; i++) dayIndex[calendar[i]] = i;
        var instIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < instruments.Length; i++) instIndex[instruments[i]] = i;
        var n = calendar.Length * instruments.Length;
        var fields = new double[FieldCount][];
        for (var f = 0; f < FieldCount; f++)
        {
            fields[f] = new double[n];
            Array.Fill(fields[f], double.NaN);
        }
        var seen = new bool[n];
        foreach (var r in rows)
        {
            var at = instIndex[r.Instrument] * calendar.Length + dayIndex[r.Datetime];
            if (seen[at])
                throw TrackingException.InvalidParameter($"Market data has two rows for ({r.Datetime:yyyy-MM-dd}, {r.Instrument}).");
            seen[at] = true;
            fields[(int)MarketField.Open][at] = F32(r.Open);
            fields[(int)MarketField.Close][at] = F32(r.Close);
            fields[(int)MarketField.High][at] = F32(r.High);
            fields[(int)MarketField.Low][at] = F32(r.Low);
            fields[(int)MarketField.Volume][at] = F32(r.Volume);
            fields[(int)MarketField.Factor][at] = F32(r.Factor);
            fields[(int)MarketField.Change][at] = F32(r.Change);
        }
        return new MarketData(calendar, instruments, fields);
    }

    /// <summary>Reads one or more CSV files in the fixture format (<see cref="CsvColumns"/>; <c>NaN</c> or empty = missing).</summary>
    public static MarketData ReadCsv(params string[] paths)
    {
        var rows = new List<MarketRow>();
        foreach (var path in paths)
        {
            using var reader = new StreamReader(path);
            ReadCsvRows(reader, path, rows);
        }
        return FromRows(rows);
    }

    /// <summary>Parses CSV rows (header first) into <paramref name="rows"/>.</summary>
    public static void ReadCsvRows(TextReader reader, string source, List<MarketRow> rows)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(rows);
        var header = reader.ReadLine()?.Split(',') ?? throw TrackingException.InvalidParameter($"{source} is empty.");
        var col = new int[CsvColumns.Length];
        for (var c = 0; c < CsvColumns.Length; c++)
        {
            col[c] = Array.IndexOf(header, CsvColumns[c]);
            if (col[c] < 0)
                throw TrackingException.InvalidParameter($"{source} has no '{CsvColumns[c]}' column; the header must name {string.Join(",", CsvColumns)}.");
        }
        string? line;
        var lineNo = 1;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNo++;
            if (line.Length == 0) continue;
            var p = line.Split(',');
            if (p.Length != header.Length)
                throw TrackingException.InvalidParameter($"{source} line {lineNo} has {p.Length} fields, the header {header.Length}.");
            rows.Add(new MarketRow(ParseDate(p[col[0]], source, lineNo), p[col[1]],
                Num(p[col[2]]), Num(p[col[3]]), Num(p[col[4]]), Num(p[col[5]]), Num(p[col[6]]), Num(p[col[7]]), Num(p[col[8]])));
        }
    }

    internal static DateTime ParseDate(string s, string source, int line) =>
        DateTime.TryParseExact(s, ["yyyy-MM-dd", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-ddTHH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d
            : throw TrackingException.InvalidParameter($"{source} line {line}: '{s}' is not a date (yyyy-MM-dd).");

    internal static double Num(string s) =>
        s.Length == 0 || s is "NaN" or "nan" ? double.NaN : double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>The float32 value Qlib stores for <paramref name="x"/>, widened back to double.</summary>
    public static double F32(double x) => (float)x;

    private const int FieldCount = 7;
}

/// <summary>The fields of <see cref="MarketData"/> (Qlib's <c>$open … $change</c>); the value is the field's column index.</summary>
public enum MarketField
{
    /// <summary><c>$open</c>: the opening price.</summary>
    Open,
    /// <summary><c>$close</c>: the closing price; NaN on a suspended day.</summary>
    Close,
    /// <summary><c>$high</c>: the day's highest price.</summary>
    High,
    /// <summary><c>$low</c>: the day's lowest price.</summary>
    Low,
    /// <summary><c>$volume</c>: the traded volume.</summary>
    Volume,
    /// <summary><c>$factor</c>: the adjustment factor (adjusted price = raw price × factor).</summary>
    Factor,
    /// <summary><c>$change</c>: the close's relative change from the previous close, compared with the limit threshold.</summary>
    Change,
}

/// <summary>One row of market data as given (before float32 rounding). Prices are raw or adjusted as the source gives them; <see cref="Factor"/> is Qlib's adjustment factor, <see cref="Change"/> the day's relative price change. Immutable; thread-safe.</summary>
public readonly record struct MarketRow(DateTime Datetime, string Instrument, double Open, double Close, double High, double Low, double Volume, double Factor, double Change);
