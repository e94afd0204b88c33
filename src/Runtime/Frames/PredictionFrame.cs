using Parquet;
using Parquet.Schema;
using Qlib.Tracked.Artifacts;
using Qlib.Tracked.Artifacts.FlatParquet;

namespace Qlib.Tracked.Frames;

/// <summary>
/// Qlib's prediction frame (<c>pred.pkl</c>): one score per (datetime, instrument), which pandas
/// holds as a frame indexed by (datetime, instrument) with a <c>score</c> column. Stored columnar
/// as Parquet columns <c>datetime</c> (timestamp, milliseconds, naive), <c>instrument</c> (string)
/// and <c>score</c> (double). Row i is (Datetime[i], Instrument[i], Score[i]).
/// Not thread-safe for writes: the column arrays are exposed, not copied; concurrent reads are safe while nobody writes.
/// </summary>
public sealed class PredictionFrame : IParquetTable<PredictionFrame>, IFlatParquetTable
{
    /// <summary>A prediction frame from its columns, one element per (datetime, instrument); the arrays are kept, not copied.</summary>
    /// <exception cref="ArgumentNullException">A column is null.</exception>
    /// <exception cref="TrackingException">INVALID_PARAMETER_VALUE when the columns' lengths differ or an instrument is null.</exception>
    public PredictionFrame(DateTime[] datetime, string[] instrument, double[] score)
    {
        ArgumentNullException.ThrowIfNull(datetime);
        ArgumentNullException.ThrowIfNull(instrument);
        ArgumentNullException.ThrowIfNull(score);
        if (datetime.Length != instrument.Length || datetime.Length != score.Length)
            throw TrackingException.InvalidParameter(
                $"PredictionFrame columns must have equal lengths, got datetime={datetime.Length}, instrument={instrument.Length}, score={score.Length}.");
        var missing = Array.IndexOf(instrument, null);
        if (missing >= 0)
            throw TrackingException.InvalidParameter($"PredictionFrame instrument at row {missing} is null; every row needs an instrument.");
        Datetime = datetime;
        Instrument = instrument;
        Score = score;
    }

    /// <summary>The date of each row (naive, no time zone).</summary>
    public DateTime[] Datetime { get; }
    /// <summary>The instrument of each row (e.g. <c>SH600000</c>).</summary>
    public string[] Instrument { get; }
    /// <summary>The model's score of each row; higher ranks first in the backtest. NaN where there is none.</summary>
    public double[] Score { get; }
    /// <inheritdoc/>
    public int RowCount => Score.Length;

    // Shared with every frame: milliseconds, naive (see FrameColumns.Datetime for why not microseconds).
    private static readonly DateTimeDataField DatetimeField = FrameColumns.Datetime();
    private static readonly DataField<string> InstrumentField = new("instrument", nullable: false);
    private static readonly DataField<double> ScoreField = new("score", nullable: false);

    /// <inheritdoc/>
    public static ParquetSchema Schema { get; } = new(DatetimeField, InstrumentField, ScoreField);

    /// <inheritdoc/>
    public Task WriteColumnsAsync(ParquetRowGroupWriter group, CancellationToken cancellationToken) =>
        RowGroupColumns.WriteAsync(this, group, cancellationToken);

    void IFlatParquetTable.AddColumns(IFlatColumnSink writer)
    {
        writer.Add(DatetimeField, Datetime);
        writer.Add(InstrumentField, Instrument);
        writer.Add(ScoreField, Score);
    }

    /// <inheritdoc/>
    public static async Task<PredictionFrame> ReadColumnsAsync(ParquetTableReader reader, CancellationToken cancellationToken)
    {
        var datetime = await reader.ReadDateTimesAsync("datetime", cancellationToken).ConfigureAwait(false);
        var instrument = await reader.ReadStringsAsync("instrument", cancellationToken).ConfigureAwait(false);
        var score = await reader.ReadDoublesAsync("score", cancellationToken).ConfigureAwait(false);
        return new PredictionFrame(datetime, instrument, score);
    }
}
