using Parquet.Schema;

namespace Qlib.Tracked.Frames;

/// <summary>The Parquet fields Qlib's frames share, spelled once so every table writes them alike.</summary>
internal static class FrameColumns
{
    /// <summary>
    /// <c>datetime</c>: timestamp in milliseconds, naive (what pandas and DuckDB read as a plain TIMESTAMP).
    /// Sub-millisecond ticks are dropped, which daily and minute Qlib data never have. Not microseconds:
    /// Parquet.Net 6.1 writes a micros column's min/max statistics in milliseconds, and readers that prune
    /// by statistics (DuckDB's <c>where datetime = …</c> and joins on datetime, pyarrow's filters) then find no
    /// rows; the millisecond unit's statistics are right.
    /// </summary>
    public static DateTimeDataField Datetime(string name = "datetime") =>
        new(name, DateTimeFormat.Timestamp, isAdjustedToUTC: false, unit: DateTimeTimeUnit.Millis, isNullable: false);

    public static DataField<string> Instrument() => new("instrument", nullable: false);

    /// <summary>A float column; NaN is stored as NaN (pandas reads it back as missing).</summary>
    public static DataField<double> Double(string name) => new(name, nullable: false);

    public static void CheckLengths(string table, params ReadOnlySpan<(string Name, int Length)> columns)
    {
        for (var i = 1; i < columns.Length; i++)
        {
            if (columns[i].Length == columns[0].Length) continue;
            var parts = new string[columns.Length];
            for (var j = 0; j < columns.Length; j++) parts[j] = columns[j].Name + "=" + columns[j].Length;
            throw TrackingException.InvalidParameter($"{table} columns must have equal lengths, got {string.Join(", ", parts)}.");
        }
    }

    public static void CheckNoNull(string table, string column, string?[] values)
    {
        var missing = Array.IndexOf(values, null);
        if (missing >= 0)
            throw TrackingException.InvalidParameter($"{table} {column} at row {missing} is null; every row needs one.");
    }
}
