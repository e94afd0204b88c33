using DuckDB.NET.Data;
using Qlib.Tracked.Artifacts;
using Qlib.Tracked.Frames;

namespace Qlib.Tracked.Tests.Artifacts;

public class PredictionFrameTests
{
    private static LocalArtifactRepository Repo(TempDir dir) => new("file://" + dir.Root, dir.Root);

    private static PredictionFrame Sample() => new(
        [new DateTime(2020, 1, 2), new DateTime(2020, 1, 2), new DateTime(2020, 1, 3, 15, 0, 0)],
        ["SH600000", "SZ000001", "SH600000"],
        [0.25, -1.5, double.NaN]);

    [Fact]
    public void Constructor_UnequalLengths_NamesEachLength()
    {
        var e = Assert.Throws<TrackingException>(() => new PredictionFrame([DateTime.Today], ["a", "b"], [1]));
        Assert.Equal(ErrorCode.InvalidParameterValue, e.Code);
        Assert.Contains("datetime=1, instrument=2, score=1", e.Message);
    }

    [Fact]
    public void Parquet_RoundTrips()
    {
        using var dir = new TempDir();
        var repo = Repo(dir);
        var frame = Sample();
        ArtifactObjects.Save(repo, "pred.pkl", frame);
        var loaded = ArtifactObjects.Load<PredictionFrame>(repo, "pred.pkl");
        Assert.Equal(frame.Datetime, loaded.Datetime);
        Assert.All(loaded.Datetime, d => Assert.Equal(DateTimeKind.Unspecified, d.Kind));
        Assert.Equal(frame.Instrument, loaded.Instrument);
        Assert.Equal(frame.Score, loaded.Score);
    }

    [Fact]
    public async Task Parquet_InstrumentsAreDictionaryEncoded_AndLoadAsOneStringPerDistinctValue()
    {
        using var dir = new TempDir();
        var repo = Repo(dir);
        const int dates = 300, instruments = 40;
        var n = dates * instruments;
        var datetime = new DateTime[n];
        var instrument = new string[n];
        var score = new double[n];
        for (var i = 0; i < n; i++)
        {
            datetime[i] = new DateTime(2020, 1, 1).AddDays(i / instruments);
            // A fresh string per row, as a CSV or another reader would produce them.
            instrument[i] = new string(("SH6" + (i % instruments).ToString("00000", System.Globalization.CultureInfo.InvariantCulture)).AsSpan());
            score[i] = i * 0.001;
        }
        ArtifactObjects.Save(repo, "pred.pkl", new PredictionFrame(datetime, instrument, score));

        var path = repo.GetLocalPath("pred.pkl")!;
        await using (var reader = await Parquet.ParquetReader.CreateAsync(path))
        {
            var field = reader.Schema.DataFields.Single(f => f.Name == "instrument");
            var chunk = reader.OpenRowGroupReader(0).GetMetadata(field)!.MetaData!;
            Assert.Contains(chunk.Encodings, e => e is Parquet.Meta.Encoding.RLE_DICTIONARY or Parquet.Meta.Encoding.PLAIN_DICTIONARY);
        }

        var loaded = ArtifactObjects.Load<PredictionFrame>(repo, "pred.pkl");
        Assert.Equal(instrument, loaded.Instrument);
        Assert.Equal(instruments, loaded.Instrument.Distinct(ReferenceEqualityComparer.Instance).Count());
    }

    [Fact]
    public void Parquet_EmptyFrameRoundTrips()
    {
        using var dir = new TempDir();
        var repo = Repo(dir);
        ArtifactObjects.Save(repo, "pred.pkl", new PredictionFrame([], [], []));
        Assert.Equal(0, ArtifactObjects.Load<PredictionFrame>(repo, "pred.pkl").RowCount);
    }

    [Fact]
    public void Parquet_IsReadByDuckDbWithQlibColumns()
    {
        using var dir = new TempDir();
        var repo = Repo(dir);
        ArtifactObjects.Save(repo, "pred.pkl", Sample());
        var file = repo.GetLocalPath("pred.pkl")!.Replace("'", "''");

        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"select column_name, column_type from (describe select * from read_parquet('{file}'))";
        var columns = new List<(string, string)>();
        using (var reader = command.ExecuteReader())
            while (reader.Read()) columns.Add((reader.GetString(0), reader.GetString(1)));
        Assert.Equal([("datetime", "TIMESTAMP"), ("instrument", "VARCHAR"), ("score", "DOUBLE")], columns);

        command.CommandText = $"select datetime, instrument, score from read_parquet('{file}') order by datetime, instrument";
        var rows = new List<(DateTime, string, double)>();
        using (var reader = command.ExecuteReader())
            while (reader.Read()) rows.Add((reader.GetDateTime(0), reader.GetString(1), reader.GetDouble(2)));
        Assert.Equal(
            [
                (new DateTime(2020, 1, 2), "SH600000", 0.25),
                (new DateTime(2020, 1, 2), "SZ000001", -1.5),
                (new DateTime(2020, 1, 3, 15, 0, 0), "SH600000", double.NaN),
            ],
            rows);
    }

    [Fact]
    public void Parquet_WrittenByDuckDb_LoadsWhenColumnsFit()
    {
        using var dir = new TempDir();
        var repo = Repo(dir);
        Directory.CreateDirectory(dir.Root);
        var file = Path.Combine(dir.Root, "foreign.parquet").Replace("'", "''");
        using (var connection = new DuckDBConnection("Data Source=:memory:"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            // Nullable columns and a missing score, as pandas would write them.
            command.CommandText =
                $"copy (select * from (values (timestamp '2021-03-04 00:00:00', 'SH600519', 2.5::double), (timestamp '2021-03-05 00:00:00', 'SH600519', null)) t(datetime, instrument, score)) to '{file}' (format parquet)";
            command.ExecuteNonQuery();
        }
        var loaded = ArtifactObjects.Load<PredictionFrame>(repo, "foreign.parquet");
        Assert.Equal([new DateTime(2021, 3, 4), new DateTime(2021, 3, 5)], loaded.Datetime);
        Assert.Equal(["SH600519", "SH600519"], loaded.Instrument);
        Assert.Equal(2.5, loaded.Score[0]);
        Assert.True(double.IsNaN(loaded.Score[1]));
    }

    [Fact]
    public void Parquet_WithMissingOrWrongColumns_IsMismatch()
    {
        using var dir = new TempDir();
        var repo = Repo(dir);
        Directory.CreateDirectory(dir.Root);
        var file = Path.Combine(dir.Root, "label.parquet").Replace("'", "''");
        using (var connection = new DuckDBConnection("Data Source=:memory:"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"copy (select timestamp '2021-03-04' as datetime, 'a' as instrument, 1::bigint as label) to '{file}' (format parquet)";
            command.ExecuteNonQuery();
        }
        var e = Assert.Throws<ArtifactTypeMismatchException>(() => ArtifactObjects.Load<PredictionFrame>(repo, "label.parquet"));
        Assert.Contains("column 'score' is missing", e.Message);
        Assert.Contains("label", e.StoredType);
    }
}
