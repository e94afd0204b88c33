using Parquet;
using Qlib.Tracked.Artifacts;
using Qlib.Tracked.Backtest;
using Qlib.Tracked.Frames;

namespace Qlib.Tracked.Tests.Artifacts;

/// <summary>
/// A built-in table's <see cref="IParquetTable{TSelf}.WriteColumnsAsync"/> (for callers writing their own row groups
/// with Parquet.Net) writes the same columns as the flat writer, from the same column list: what it writes loads back.
/// </summary>
public sealed class RowGroupColumnsTests
{
    private static async Task<MemoryStream> WriteWithParquetNet<T>(T table) where T : IParquetTable<T>
    {
        var stream = new MemoryStream();
        await using (var writer = await ParquetWriter.CreateAsync(T.Schema, stream))
        {
            using var group = writer.CreateRowGroup();
            await table.WriteColumnsAsync(group, CancellationToken.None);
        }
        stream.Position = 0;
        return stream;
    }

    [Fact]
    public async Task A_prediction_written_through_Parquet_Net_loads_back_column_for_column()
    {
        var day = new DateTime(2021, 1, 4, 0, 0, 0, DateTimeKind.Unspecified);
        var frame = new PredictionFrame([day, day, day.AddDays(1)], ["SH600000", "SZ000001", "SH600000"], [0.5, double.NaN, -1.25]);
        using var stream = await WriteWithParquetNet(frame);
        var back = new ParquetTableSerializer<PredictionFrame>().Deserialize(stream, "pred");
        Assert.Equal(frame.Datetime, back.Datetime);
        Assert.Equal(frame.Instrument, back.Instrument);
        Assert.Equal(frame.Score, back.Score);
    }

    [Fact]
    public async Task Positions_with_an_integer_column_written_through_Parquet_Net_load_back()
    {
        var day = new DateTime(2021, 1, 4, 0, 0, 0, DateTimeKind.Unspecified);
        var frame = new PositionsFrame([day, day], ["SH600000", "SZ000001"], [100, 200], [10.5, 3.25], [0.4, 0.6], [1, 3]);
        using var stream = await WriteWithParquetNet(frame);
        var back = new ParquetTableSerializer<PositionsFrame>().Deserialize(stream, "positions");
        Assert.Equal(frame.Datetime, back.Datetime);
        Assert.Equal(frame.Instrument, back.Instrument);
        Assert.Equal(frame.Amount, back.Amount);
        Assert.Equal(frame.Price, back.Price);
        Assert.Equal(frame.Weight, back.Weight);
        Assert.Equal(frame.CountDay, back.CountDay);
    }
}
