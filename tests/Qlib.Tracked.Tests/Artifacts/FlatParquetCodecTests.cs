using System.Buffers;
using Parquet;
using Parquet.Schema;
using Qlib.Tracked.Artifacts;
using Qlib.Tracked.Artifacts.FlatParquet;
using Qlib.Tracked.Frames;

namespace Qlib.Tracked.Tests.Artifacts;

/// <summary>The flat Parquet writer's and reader's own pieces: the index encoding, and which files the reader decodes itself.</summary>
public class FlatParquetCodecTests
{
    [Theory]
    [InlineData(1, 2)]
    [InlineData(9, 500)]
    [InlineData(12, 4_000)]
    [InlineData(17, 100_000)]
    public void RleBitPacking_DecodesToTheSameIndices(int expectedWidth, int distinct)
    {
        Assert.Equal(expectedWidth, RleBitPackedEncoder.BitWidth(distinct));
        var random = new Random(distinct);
        // Runs of every length (1 to 40) mixed with cycling values, ending on a partial group.
        var values = new List<int>();
        while (values.Count < 20_003)
        {
            var value = random.Next(distinct);
            var run = random.Next(3) == 0 ? random.Next(1, 41) : 1;
            for (var i = 0; i < run && values.Count < 20_003; i++) values.Add(value);
        }
        using var output = new PooledBufferWriter();
        RleBitPackedEncoder.Encode(values.ToArray(), expectedWidth, output);
        var decoded = new int[values.Count];
        RleBitPackedDecoder.Decode(output.WrittenSpan, expectedWidth, decoded);
        Assert.Equal(values, decoded);
    }

    [Fact]
    public void PooledBufferWriter_GrowsKeepingWhatWasWritten_AndResets()
    {
        using var output = new PooledBufferWriter(16);
        var expected = new List<byte>();
        for (var i = 0; i < 100_000; i++)
        {
            var span = output.GetSpan(3);
            span[0] = (byte)i;
            span[1] = (byte)(i >> 8);
            output.Advance(2);
            expected.Add((byte)i);
            expected.Add((byte)(i >> 8));
        }
        Assert.Equal(expected.ToArray(), output.WrittenSpan.ToArray());
        Assert.Throws<InvalidOperationException>(() => output.Advance(output.GetSpan(1).Length + 1));
        output.ResetWrittenCount();
        Assert.Equal(0, output.WrittenCount);
        output.Write("abc"u8);
        Assert.Equal("abc"u8.ToArray(), output.WrittenSpan.ToArray());
    }

    [Fact]
    public void RleBitPacking_TruncatedInput_IsInvalidData()
    {
        using var output = new PooledBufferWriter();
        RleBitPackedEncoder.Encode(Enumerable.Range(0, 64).ToArray(), 6, output);
        Assert.Throws<InvalidDataException>(() => RleBitPackedDecoder.Decode(output.WrittenSpan[..^5], 6, new int[64]));
    }

    [Fact]
    public async Task OwnFiles_AreDecodedByTheFlatReader()
    {
        using var dir = new TempDir();
        var repo = new LocalArtifactRepository("file://" + dir.Root, dir.Root);
        var frame = new PredictionFrame(
            Enumerable.Range(0, 1_000).Select(i => new DateTime(2020, 1, 1).AddDays(i / 10)).ToArray(),
            Enumerable.Range(0, 1_000).Select(i => "SH60000" + (i % 10)).ToArray(),
            Enumerable.Range(0, 1_000).Select(i => i * 0.5).ToArray());
        ArtifactObjects.Save(repo, "pred.parquet", frame);

        await using var stream = File.OpenRead(repo.GetLocalPath("pred.parquet")!);
        await using var reader = await ParquetReader.CreateAsync(stream, leaveStreamOpen: true);
        var chunks = reader.Metadata!.RowGroups[0].Columns;
        var fields = reader.Schema.DataFields;
        var millis = new long[1_000];
        Assert.True(FlatChunkReader.TryRead(stream, chunks[0].MetaData!, fields[0].SchemaElement!, millis.AsSpan(), PlainDecoders.Int64));
        Assert.Equal(frame.Datetime.Select(d => (d - DateTime.UnixEpoch).Ticks / TimeSpan.TicksPerMillisecond), millis);
        var strings = new string?[1_000];
        Assert.True(FlatChunkReader.TryRead(stream, chunks[1].MetaData!, fields[1].SchemaElement!, strings.AsSpan(), PlainDecoders.Strings(new StringInterner())));
        Assert.Equal(frame.Instrument, strings);
        var scores = new double[1_000];
        Assert.True(FlatChunkReader.TryRead(stream, chunks[2].MetaData!, fields[2].SchemaElement!, scores.AsSpan(), PlainDecoders.Double));
        Assert.Equal(frame.Score, scores);
    }

    [Fact]
    public async Task CompressedFiles_AreLeftToParquetNet_AndStillLoad()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.Root);
        var path = Path.Combine(dir.Root, "snappy.parquet");
        var datetime = new DateTimeDataField("datetime", DateTimeFormat.Timestamp, isAdjustedToUTC: false, unit: DateTimeTimeUnit.Millis, isNullable: false);
        var instrument = new DataField<string>("instrument", nullable: false);
        var score = new DataField<double>("score", nullable: false);
        await using (var file = File.Create(path))
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(datetime, instrument, score), file, new ParquetOptions { CompressionMethod = CompressionMethod.Snappy }))
        {
            using var group = writer.CreateRowGroup();
            await group.WriteAsync<DateTime>(datetime, new[] { new DateTime(2020, 1, 2, 9, 30, 0, 250), new DateTime(2020, 1, 3) }, null, null, default);
            await group.WriteAsync(instrument, ["SH600000", "SH600000"], null);
            await group.WriteAsync<double>(score, new[] { 1.5, -2.5 }, null, null, default);
        }

        await using (var stream = File.OpenRead(path))
        await using (var reader = await ParquetReader.CreateAsync(stream, leaveStreamOpen: true))
        {
            var chunk = reader.Metadata!.RowGroups[0].Columns[2].MetaData!;
            Assert.False(FlatChunkReader.TryRead(stream, chunk, reader.Schema.DataFields[2].SchemaElement!, new double[2].AsSpan(), PlainDecoders.Double));
        }
        var loaded = ArtifactObjects.Load<PredictionFrame>(new LocalArtifactRepository("file://" + dir.Root, dir.Root), "snappy.parquet");
        Assert.Equal([new DateTime(2020, 1, 2, 9, 30, 0, 250), new DateTime(2020, 1, 3)], loaded.Datetime);
        Assert.Equal([1.5, -2.5], loaded.Score);
    }

    [Fact]
    public async Task DictionaryIndexPastTheDictionary_IsACorruptArtifact()
    {
        using var dir = new TempDir();
        var repo = new LocalArtifactRepository("file://" + dir.Root, dir.Root);
        // Three instruments over 16 rows: 2-bit indices, so index 3 is past the dictionary.
        var frame = new PredictionFrame(
            Enumerable.Range(0, 16).Select(i => new DateTime(2020, 1, 1).AddDays(i / 3)).ToArray(),
            Enumerable.Range(0, 16).Select(i => "SH60000" + (i % 3)).ToArray(),
            Enumerable.Range(0, 16).Select(i => (double)i).ToArray());
        ArtifactObjects.Save(repo, "pred.parquet", frame);
        var path = repo.GetLocalPath("pred.parquet")!;
        long dataPage;
        await using (var reader = await ParquetReader.CreateAsync(path))
            dataPage = reader.Metadata!.RowGroups[0].Columns[1].MetaData!.DataPageOffset;
        var bytes = File.ReadAllBytes(path);
        PageHeader.Read(bytes.AsSpan((int)dataPage), out var headerLength);
        var body = (int)dataPage + headerLength;
        Assert.Equal(2, bytes[body]); // bit width
        Assert.Equal(0x05, bytes[body + 1]); // one bit-packed run of two groups
        bytes.AsSpan(body + 2, 4).Fill(0xFF); // every index of the first group becomes 3
        File.WriteAllBytes(path, bytes);

        var e = Assert.Throws<ArtifactCorruptException>(() => ArtifactObjects.Load<PredictionFrame>(repo, "pred.parquet"));
        Assert.Contains("dictionary index 3", e.Message);
    }
}
