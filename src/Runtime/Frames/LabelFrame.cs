using Parquet;
using Parquet.Schema;
using Qlib.Tracked.Artifacts;

namespace Qlib.Tracked.Frames;

/// <summary>
/// Qlib's raw test label (<c>label.pkl</c>): one realised return per (datetime, instrument), a frame
/// indexed by (datetime, instrument) with one label column (Qlib's <c>LABEL0</c>). Stored columnar as
/// Parquet columns <c>datetime</c>, <c>instrument</c> and <c>label</c>; NaN is a missing label.
/// </summary>
public sealed class LabelFrame : IParquetTable<LabelFrame>, IFlatParquetTable
{
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

    public DateTime[] Datetime { get; }
    public string[] Instrument { get; }
    public double[] Label { get; }
    public int RowCount => Label.Length;

    private static readonly DateTimeDataField DatetimeField = FrameColumns.Datetime();
    private static readonly DataField<string> InstrumentField = FrameColumns.Instrument();
    private static readonly DataField<double> LabelField = FrameColumns.Double("label");

    public static ParquetSchema Schema { get; } = new(DatetimeField, InstrumentField, LabelField);

    public Task WriteColumnsAsync(ParquetRowGroupWriter group, CancellationToken cancellationToken) =>
        RowGroupColumns.WriteAsync(this, group, cancellationToken);

    void IFlatParquetTable.AddColumns(IFlatColumnSink writer)
    {
        writer.Add(DatetimeField, Datetime);
        writer.Add(InstrumentField, Instrument);
        writer.Add(LabelField, Label);
    }

    public static async Task<LabelFrame> ReadColumnsAsync(ParquetTableReader reader, CancellationToken cancellationToken)
    {
        var datetime = await reader.ReadDateTimesAsync("datetime", cancellationToken).ConfigureAwait(false);
        var instrument = await reader.ReadStringsAsync("instrument", cancellationToken).ConfigureAwait(false);
        var label = await reader.ReadDoublesAsync("label", cancellationToken).ConfigureAwait(false);
        return new LabelFrame(datetime, instrument, label);
    }
}
