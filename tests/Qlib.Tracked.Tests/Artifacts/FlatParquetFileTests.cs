using System.Globalization;
using DuckDB.NET.Data;
using Parquet;
using Parquet.Meta;
using Qlib.Tracked.Artifacts;
using Qlib.Tracked.Backtest;
using Qlib.Tracked.Frames;

namespace Qlib.Tracked.Tests.Artifacts;

/// <summary>
/// The files built-in frames are written as (uncompressed, dictionary-encoded where values repeat): what other
/// readers see in them (DuckDB's schema, values and statistics-based filters; Parquet.Net's metadata) and that
/// every value survives, edge values included.
/// </summary>
public class FlatParquetFileTests
{
    private static LocalArtifactRepository Repo(TempDir dir) => new("file://" + dir.Root, dir.Root);

    /// <summary>A sorted panel, as SignalRecord stores it: each date repeats once per instrument.</summary>
    private static PredictionFrame Panel(int dates, int instruments)
    {
        var n = dates * instruments;
        var datetime = new DateTime[n];
        var instrument = new string[n];
        var score = new double[n];
        var random = new Random(7);
        for (var i = 0; i < n; i++)
        {
            datetime[i] = new DateTime(2015, 1, 5).AddDays(i / instruments);
            instrument[i] = "SZ" + (i % instruments).ToString("000000", CultureInfo.InvariantCulture);
            score[i] = i % 37 == 0 ? double.NaN : random.NextDouble() - 0.5;
        }
        return new PredictionFrame(datetime, instrument, score);
    }

    private static DuckDBConnection DuckDb()
    {
        var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        return connection;
    }

    private static object? Scalar(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static string Quoted(string path) => "'" + path.Replace("'", "''") + "'";

    /// <summary>A panel saved as <c>pred.parquet</c> in <paramref name="dir"/>: the repository, the frame and the file's path.</summary>
    private static (LocalArtifactRepository Repo, PredictionFrame Frame, string Path) SavedPanel(TempDir dir, int dates, int instruments)
    {
        var repo = Repo(dir);
        var frame = Panel(dates, instruments);
        ArtifactObjects.Save(repo, "pred.parquet", frame);
        return (repo, frame, repo.GetLocalPath("pred.parquet")!);
    }

    [Fact]
    public async Task Panel_IsUncompressed_WithDatesAndInstrumentsAsDictionaries_AndScoresPlain()
    {
        using var dir = new TempDir();
        var (repo, frame, path) = SavedPanel(dir, dates: 400, instruments: 250);

        await using (var reader = await ParquetReader.CreateAsync(path))
        {
            Assert.Equal(1, reader.RowGroupCount);
            using var group = reader.OpenRowGroupReader(0);
            var chunks = reader.Schema.DataFields.ToDictionary(f => f.Name, f => group.GetMetadata(f)!.MetaData!);
            Assert.All(chunks.Values, c => Assert.Equal(CompressionCodec.UNCOMPRESSED, c.Codec));
            Assert.Contains(Encoding.RLE_DICTIONARY, chunks["datetime"].Encodings);
            Assert.Contains(Encoding.RLE_DICTIONARY, chunks["instrument"].Encodings);
            Assert.DoesNotContain(Encoding.RLE_DICTIONARY, chunks["score"].Encodings);
            // Dates collapse to one run each and instruments to 8 bits a row: the scores' 8 bytes dominate.
            Assert.True(chunks["datetime"].TotalCompressedSize < 20_000, $"datetime chunk {chunks["datetime"].TotalCompressedSize} bytes");
            Assert.True(chunks["instrument"].TotalCompressedSize < frame.RowCount * 1.1 + 10_000, $"instrument chunk {chunks["instrument"].TotalCompressedSize} bytes");
        }
        Assert.True(new FileInfo(path).Length < frame.RowCount * 9.2, $"file {new FileInfo(path).Length} bytes for {frame.RowCount} rows");

        var loaded = ArtifactObjects.Load<PredictionFrame>(repo, "pred.parquet");
        Assert.Equal(frame.Datetime, loaded.Datetime);
        Assert.Equal(frame.Instrument, loaded.Instrument);
        Assert.Equal(frame.Score, loaded.Score);
    }

    [Fact]
    public void DuckDb_SeesMillisecondTimestamps_AndItsStatisticFiltersFindTheRightRows()
    {
        using var dir = new TempDir();
        var (_, frame, path) = SavedPanel(dir, dates: 300, instruments: 40);
        var file = Quoted(path);

        using var duck = DuckDb();
        // pandas/pyarrow map this logical type to datetime64[ms]; a plain INT64 would come back as integers.
        var logical = (string)Scalar(duck, $"select logical_type from parquet_schema({file}) where name = 'datetime'")!;
        Assert.Contains("TimestampType", logical);
        Assert.Contains("isAdjustedToUTC=0", logical);
        Assert.Contains("MILLIS", logical);

        // Row-group pruning uses the min/max statistics: wrong ones would drop rows that match.
        var day = frame.Datetime[frame.RowCount / 2];
        Assert.Equal(40L, Convert.ToInt64(Scalar(duck, $"select count(*) from read_parquet({file}) where datetime = timestamp '{day:yyyy-MM-dd}'")));
        Assert.Equal(1L, Convert.ToInt64(Scalar(duck, $"select count(*) from read_parquet({file}) where datetime = (select max(datetime) from read_parquet({file})) and instrument = 'SZ000039'")));
        Assert.Equal(300L, Convert.ToInt64(Scalar(duck, $"select count(*) from read_parquet({file}) where instrument = 'SZ000000'")));
        var top = frame.Score.Where(s => !double.IsNaN(s)).Max();
        // DuckDB orders NaN above every number, so it is excluded explicitly.
        Assert.Equal(1L, Convert.ToInt64(Scalar(duck, $"select count(*) from read_parquet({file}) where score >= {top.ToString("R", CultureInfo.InvariantCulture)} and not isnan(score)")));
        Assert.Equal((long)frame.Score.Count(double.IsNaN), Convert.ToInt64(Scalar(duck, $"select count(*) from read_parquet({file}) where isnan(score)")));
    }

    [Fact]
    public void EdgeValues_RoundTrip_AndDuckDbReadsTheSameValues()
    {
        using var dir = new TempDir();
        var repo = Repo(dir);
        var before1970 = new DateTime(1969, 12, 31, 23, 59, 59, 999).AddTicks(5_000);
        DateTime[] datetime =
        [
            new DateTime(1, 1, 1), new DateTime(9999, 12, 31, 23, 59, 59, 999), before1970,
            new DateTime(2024, 2, 29, 9, 30, 0, 123, DateTimeKind.Local), new DateTime(2024, 2, 29, 9, 30, 0, DateTimeKind.Utc),
        ];
        string[] instrument = ["平安银行", "", "😀 emoji", "SH600000", "a'b\"c"];
        double[] score = [double.NegativeInfinity, double.PositiveInfinity, -0.0, double.NaN, double.Epsilon];
        ArtifactObjects.Save(repo, "pred.parquet", new PredictionFrame(datetime, instrument, score));

        var loaded = ArtifactObjects.Load<PredictionFrame>(repo, "pred.parquet");
        // Wall-clock values whatever the Kind; sub-millisecond ticks rounded down (also before 1970).
        DateTime[] expected =
        [
            new DateTime(1, 1, 1), new DateTime(9999, 12, 31, 23, 59, 59, 999), new DateTime(1969, 12, 31, 23, 59, 59, 999),
            new DateTime(2024, 2, 29, 9, 30, 0, 123), new DateTime(2024, 2, 29, 9, 30, 0),
        ];
        Assert.Equal(expected, loaded.Datetime);
        Assert.Equal(instrument, loaded.Instrument);
        Assert.Equal(score.Select(BitConverter.DoubleToInt64Bits), loaded.Score.Select(BitConverter.DoubleToInt64Bits));

        using var duck = DuckDb();
        using var command = duck.CreateCommand();
        command.CommandText = $"select instrument, epoch_ms(datetime), score from read_parquet({Quoted(repo.GetLocalPath("pred.parquet")!)})";
        var rows = new List<(string, long, double)>();
        using (var reader = command.ExecuteReader())
            while (reader.Read()) rows.Add((reader.GetString(0), reader.GetInt64(1), reader.GetDouble(2)));
        Assert.Equal(instrument, rows.Select(r => r.Item1));
        Assert.Equal(expected.Select(d => (d.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMillisecond), rows.Select(r => r.Item2));
        Assert.Equal(score.Take(3), rows.Select(r => r.Item3).Take(3));
        Assert.True(double.IsNaN(rows[3].Item3));
    }

    [Fact]
    public async Task ColumnsWithoutRepeats_ArePlain_AndStillRoundTrip()
    {
        using var dir = new TempDir();
        var repo = Repo(dir);
        var days = Enumerable.Range(0, 500).Select(i => new DateTime(2020, 1, 1).AddDays(i)).ToArray();
        var series = new DateSeries(days, days.Select(d => (double)d.DayOfYear).ToArray());
        ArtifactObjects.Save(repo, "ic.parquet", series);
        var path = repo.GetLocalPath("ic.parquet")!;
        await using (var reader = await ParquetReader.CreateAsync(path))
        {
            using var group = reader.OpenRowGroupReader(0);
            var datetime = group.GetMetadata(reader.Schema.DataFields[0])!.MetaData!;
            Assert.DoesNotContain(Encoding.RLE_DICTIONARY, datetime.Encodings);
        }
        var loaded = ArtifactObjects.Load<DateSeries>(repo, "ic.parquet");
        Assert.Equal(days, loaded.Datetime);
        Assert.Equal(series.Value, loaded.Value);

        using var duck = DuckDb();
        Assert.Equal(500L, Convert.ToInt64(Scalar(duck, $"select count(distinct datetime) from read_parquet({Quoted(path)})")));
    }

    [Fact]
    public void MoreRowsThanOnePage_RoundTrip_AndDuckDbCountsEveryRow()
    {
        using var dir = new TempDir();
        var (repo, frame, _) = SavedPanel(dir, dates: 2_200, instruments: 500); // 1.1 M rows: two data pages per column
        var loaded = ArtifactObjects.Load<PredictionFrame>(repo, "pred.parquet");
        Assert.Equal(frame.Datetime, loaded.Datetime);
        Assert.Equal(frame.Instrument, loaded.Instrument);
        Assert.Equal(frame.Score, loaded.Score);

        using var duck = DuckDb();
        var file = Quoted(repo.GetLocalPath("pred.parquet")!);
        Assert.Equal(1_100_000L, Convert.ToInt64(Scalar(duck, $"select count(*) from read_parquet({file})")));
        Assert.Equal(2_200L, Convert.ToInt64(Scalar(duck, $"select count(distinct datetime) from read_parquet({file})")));
        Assert.Equal(frame.Instrument[^1], (string)Scalar(duck, $"select instrument from read_parquet({file}) offset 1099999")!);
    }

    [Fact]
    public async Task DamagedPageHeaders_OfThePlainScoreColumn_AreReportedAsCorrupt_NeverAnotherError()
    {
        using var dir = new TempDir();
        var (repo, frame, path) = SavedPanel(dir, dates: 40, instruments: 50);
        var original = await File.ReadAllBytesAsync(path);
        long scorePage;
        await using (var stream = File.OpenRead(path))
        await using (var reader = await ParquetReader.CreateAsync(stream))
            scorePage = reader.Metadata!.RowGroups[0].Columns[2].MetaData!.DataPageOffset;

        // Every byte of the score page's header (and a little of its values), each set to several values: the
        // load either succeeds (a value byte, or a change the header tolerates) or says the artifact is corrupt.
        var random = new Random(11);
        for (var offset = 0; offset < 40; offset++)
        {
            foreach (var value in new[] { 0x00, 0xFF, 0x15, random.Next(256) })
            {
                var damaged = (byte[])original.Clone();
                damaged[scorePage + offset] = (byte)value;
                await File.WriteAllBytesAsync(path, damaged);
                try
                {
                    var loaded = ArtifactObjects.Load<PredictionFrame>(repo, "pred.parquet");
                    Assert.Equal(frame.RowCount, loaded.RowCount);
                }
                catch (ArtifactCorruptException)
                {
                }
            }
        }
    }

    [Fact]
    public void MillisecondTimestampsWrittenByDuckDb_LoadThroughTheIntegerPath_IncludingNulls()
    {
        using var dir = new TempDir();
        var repo = Repo(dir);
        var file = Path.Combine(dir.Root, "foreign.parquet");
        Directory.CreateDirectory(dir.Root);
        using (var duck = DuckDb())
        {
            Scalar(duck, $"copy (select * from (values (timestamp_ms '1960-05-06 07:08:09.123', 'SH600519', 1.5::double), (timestamp_ms '2021-03-05 10:00:00.5', 'SH600519', 2.5::double)) t(datetime, instrument, score)) to {Quoted(file)} (format parquet)");
        }
        var loaded = ArtifactObjects.Load<PredictionFrame>(repo, "foreign.parquet");
        Assert.Equal([new DateTime(1960, 5, 6, 7, 8, 9, 123), new DateTime(2021, 3, 5, 10, 0, 0, 500)], loaded.Datetime);

        using (var duck = DuckDb())
        {
            Scalar(duck, $"copy (select * from (values (timestamp_ms '2021-03-04 00:00:00', 'SH600519', 1.5::double), (null::timestamp_ms, 'SH600519', 2.5::double)) t(datetime, instrument, score)) to {Quoted(file)} (format parquet)");
        }
        var e = Assert.Throws<ArtifactCorruptException>(() => ArtifactObjects.Load<PredictionFrame>(repo, "foreign.parquet"));
        Assert.Contains("column 'datetime' is null at row 1", e.Message);
    }

    [Fact]
    public void Report_IsReadByDuckDbWithItsColumnTypes()
    {
        using var dir = new TempDir();
        var repo = Repo(dir);
        var report = new BacktestReport([new DateTime(2020, 1, 2), new DateTime(2020, 1, 3)],
            BacktestReport.ColumnNames.Select((_, i) => new[] { i + 0.5, i + 1.5 }).ToArray());
        ArtifactObjects.Save(repo, "report.parquet", report);
        using var duck = DuckDb();
        using var command = duck.CreateCommand();
        command.CommandText = $"select column_name, column_type from (describe select * from read_parquet({Quoted(repo.GetLocalPath("report.parquet")!)}))";
        var columns = new List<(string, string)>();
        using (var reader = command.ExecuteReader())
            while (reader.Read()) columns.Add((reader.GetString(0), reader.GetString(1)));
        Assert.Equal([("datetime", "TIMESTAMP"), .. BacktestReport.ColumnNames.Select(c => (c, "DOUBLE"))], columns);
        Assert.Equal(report.Bench, ArtifactObjects.Load<BacktestReport>(repo, "report.parquet").Bench);
    }
}
