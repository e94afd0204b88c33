using Parquet;
using Parquet.Schema;
using Qlib.Tracked.Artifacts;
using Qlib.Tracked.Artifacts.FlatParquet;

namespace Qlib.Tracked.Frames;

/// <summary>
/// Qlib's raw test label (<c>label.pkl</c>): one realised return per (datetime, instrument), a frame
/// indexed by (datetime, instrument) with one label column (Qlib's <c>LABEL0</c>). Stored columnar as
/// Parquet columns <c>datetime</c>, <c>instrument</c> and <c>label</c>; NaN is a missing label.
/// Not thread-safe for writes: the column arrays are exposed, not copied; concurrent reads are safe while nobody writes.
/// </summary>
public sealed class LabelFrame : IParquetTable<LabelFrame>, IFlatParquetTable
{
    /// <summary>A label frame from its columns, one element per (datetime, instrument); the arrays are kept, not copied.</summary>
    /// <exception cref="ArgumentNullException">A column is null.</exception>
    /// <exception cref="TrackingException">INVALID_PARAMETER_VALUE when the columns' lengths differ or an instrument is null.</exception>
    public LabelFrame(DateTime[] datetime, string[] instrument, double[] label)
    {
        ArgumentNullException.ThrowIfNull(datetime);
        ArgumentNullException.ThrowIfNull(instrument);
        ArgumentNullException.ThrowIfNull(label);
        FrameColumns.CheckLengths(nameof(LabelFrame), ("datetime", datetime.Length), ("instrument", instrument.Length), ("label", label.Length));
        FrameColumns.CheckNoNull(nameof(LabelFrame), "instrument", instrument);
        Datetime = datetime;
        Instrument = instrument;
        Label = label;
    }

    /// <summary>A frame with no rows (what Qlib's SigAnaRecord reports as "Empty label.").</summary>
    public static LabelFrame Empty { get; } = new([], [], []);

    /// <summary>The date of each row.</summary>
    public DateTime[] Datetime { get; }
    /// <summary>The instrument of each row (e.g. <c>SH600000</c>).</summary>
    public string[] Instrument { get; }
    /// <summary>The realised label of each row (typically a forward return); NaN where it is missing.</summary>
    public double[] Label { get; }
    /// <inheritdoc/>
    public int RowCount => Label.Length;

    private static readonly DateTimeDataField DatetimeField = FrameColumns.Datetime();
    private static readonly DataField<string> InstrumentField = FrameColumns.Instrument();
    private static readonly DataField<double> LabelField = FrameColumns.Double("label");

    /// <inheritdoc/>
    public static ParquetSchema Schema { get; } = new(DatetimeField, InstrumentField, LabelField);

    /// <inheritdoc/>
    public Task WriteColumnsAsync(ParquetRowGroupWriter group, CancellationToken cancellationToken) =>
        RowGroupColumns.WriteAsync(this, group, cancellationToken);

    void IFlatParquetTable.AddColumns(IFlatColumnSink writer)
    {
        writer.Add(DatetimeField, Datetime);
        writer.Add(InstrumentField, Instrument);
        writer.Add(LabelField, Label);
    }

    /// <inheritdoc/>
    public static async Task<LabelFrame> ReadColumnsAsync(ParquetTableReader reader, CancellationToken cancellationToken)
    {
        var datetime = await reader.ReadDateTimesAsync("datetime", cancellationToken).ConfigureAwait(false);
        var instrument = await reader.ReadStringsAsync("instrument", cancellationToken).ConfigureAwait(false);
        var label = await reader.ReadDoublesAsync("label", cancellationToken).ConfigureAwait(false);
        return new LabelFrame(datetime, instrument, label);
    }
}
