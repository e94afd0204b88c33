using Parquet;
using Parquet.Schema;
using Qlib.Tracked.Analysis;
using Qlib.Tracked.Artifacts;
using Qlib.Tracked.Artifacts.FlatParquet;

namespace Qlib.Tracked.Frames;

/// <summary>
/// A pandas Series indexed by datetime (Qlib's <c>ic.pkl</c>, <c>ric.pkl</c>, <c>long_short_r.pkl</c>,
/// <c>long_avg_r.pkl</c>): one value per date, dates ascending. Stored as Parquet columns
/// <c>datetime</c> and <c>value</c>; NaN (a date with too few pairs) is stored as NaN.
/// Not thread-safe for writes: the column arrays are exposed, not copied; concurrent reads are safe while nobody writes.
/// </summary>
public sealed class DateSeries : IParquetTable<DateSeries>, IFlatParquetTable
{
    /// <summary>A series from its dates and values; the arrays are kept, not copied.</summary>
    /// <exception cref="ArgumentNullException">A column is null.</exception>
    /// <exception cref="TrackingException">INVALID_PARAMETER_VALUE when the lengths differ.</exception>
    public DateSeries(DateTime[] datetime, double[] value)
    {
        ArgumentNullException.ThrowIfNull(datetime);
        ArgumentNullException.ThrowIfNull(value);
        FrameColumns.CheckLengths(nameof(DateSeries), ("datetime", datetime.Length), ("value", value.Length));
        Datetime = datetime;
        Value = value;
    }

    /// <summary>The date of each value, ascending.</summary>
    public DateTime[] Datetime { get; }
    /// <summary>The value of each date; NaN where it is missing.</summary>
    public double[] Value { get; }
    /// <inheritdoc/>
    public int RowCount => Value.Length;

    /// <summary>pandas' <c>mean()</c>: NaN skipped; NaN when nothing is left.</summary>
    public double Mean() => Stats.NanMean(Value);

    /// <summary>pandas' <c>std()</c>: NaN skipped, sample (ddof=1); NaN with fewer than two values.</summary>
    public double Std() => Stats.NanStd(Value);

    private static readonly DateTimeDataField DatetimeField = FrameColumns.Datetime();
    private static readonly DataField<double> ValueField = FrameColumns.Double("value");

    /// <inheritdoc/>
    public static ParquetSchema Schema { get; } = new(DatetimeField, ValueField);

    /// <inheritdoc/>
    public Task WriteColumnsAsync(ParquetRowGroupWriter group, CancellationToken cancellationToken) =>
        RowGroupColumns.WriteAsync(this, group, cancellationToken);

    void IFlatParquetTable.AddColumns(IFlatColumnSink writer)
    {
        writer.Add(DatetimeField, Datetime);
        writer.Add(ValueField, Value);
    }

    /// <inheritdoc/>
    public static async Task<DateSeries> ReadColumnsAsync(ParquetTableReader reader, CancellationToken cancellationToken)
    {
        var datetime = await reader.ReadDateTimesAsync("datetime", cancellationToken).ConfigureAwait(false);
        var value = await reader.ReadDoublesAsync("value", cancellationToken).ConfigureAwait(false);
        return new DateSeries(datetime, value);
    }
}
