using System.Globalization;
using System.Text;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Formats;
using Qlib.Tracked.Formats.Python;
using Qlib.Tracked.Stores;
using Qlib.Tracked.Client;

namespace Qlib.Tracked.Tests;

/// <summary>
/// The later speed paths agree with the general ones: Ryu digits vs Python and .NET, the one-pread
/// end check of metric appends vs lseek + pread, per-distinct-key grouping and validation vs per point.
/// </summary>
public sealed class HotPathEquivalenceTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    // Python 3.11's repr of doubles .NET's "R" spells differently (and not round-trip) and a few ordinary ones.
    [Theory]
    [InlineData(0x3E60000000000000L, "2.9802322387695312e-08")]
    [InlineData(0x0410000000000000L, "4.1045368012983762e-289")]
    [InlineData(0x3FF0000000000000L, "1.0")]
    [InlineData(0x3FB999999999999AL, "0.1")]
    [InlineData(0x0000000000000001L, "5e-324")]
    [InlineData(0x7FEFFFFFFFFFFFFFL, "1.7976931348623157e+308")]
    [InlineData(0x4340000000000000L, "9007199254740992.0")]
    [InlineData(0x4341C37937E08000L, "1e+16")]
    public void Ryu_MatchesPythonRepr(long bits, string python)
    {
        var value = BitConverter.Int64BitsToDouble(bits);
        Assert.Equal(python, PythonFloat.ToString(value));
        Span<byte> utf8 = stackalloc byte[PythonFloat.MaxLength];
        Assert.Equal(python, Encoding.ASCII.GetString(utf8[..PythonFloat.FormatUtf8(value, utf8)]));
    }

    [Fact]
    public void Ryu_RoundTripsAndAgreesWithDotNetDigitsWheneverThoseRoundTrip()
    {
        var rng = new Random(2024);
        Span<char> ours = stackalloc char[PythonFloat.MaxLength];
        Span<char> net = stackalloc char[PythonFloat.MaxLength];
        var values = new List<double>();
        for (var i = 0; i < 200_000; i++)
        {
            values.Add(BitConverter.Int64BitsToDouble(rng.NextInt64()));
            values.Add(rng.NextDouble() * Math.Pow(10, rng.Next(-30, 31)));
            values.Add(Math.Round(rng.NextDouble() * 1000, rng.Next(0, 8)));
        }
        for (var e = -1074; e <= 1023; e++)
        {
            var p = Math.ScaleB(1.0, e);
            values.AddRange([p, Math.BitIncrement(p), Math.BitDecrement(p), -p]);
        }
        foreach (var value in values)
        {
            if (!double.IsFinite(value)) continue;
            var text = ours[..PythonFloat.Format(value, ours)].ToString();
            Assert.Equal(BitConverter.DoubleToInt64Bits(value), BitConverter.DoubleToInt64Bits(double.Parse(text, CultureInfo.InvariantCulture)));
            var reference = net[..PythonFloat.FormatFromDotNetDigits(value, net)].ToString();
            if (BitConverter.DoubleToInt64Bits(double.Parse(reference, CultureInfo.InvariantCulture)) == BitConverter.DoubleToInt64Bits(value))
                Assert.Equal(reference, text);
            else
                Assert.True(text.Length >= reference.Length, $"{text} vs {reference}"); // .NET was too short to round-trip
        }
    }

    private (FileStore Store, string RunId, string MetricsFolder) NewRun()
    {
        var root = _temp.Combine("mlruns-" + Guid.NewGuid().ToString("N"));
        var store = new FileStore(root);
        var experiment = store.CreateExperiment("e");
        var run = store.CreateRun(experiment, null, 1, null, "r").Info.RunId;
        return (store, run, Path.Combine(root, experiment, run, "metrics"));
    }

    [Fact]
    public void Append_AfterAnotherWriterLeftATornLine_StartsANewLine_WhetherTheLengthMovedOrNot()
    {
        var (store, run, metrics) = NewRun();
        var path = Path.Combine(metrics, "m");
        store.LogBatch(run, [new Metric("m", 1, 10, 0)], [], []);           // this process now expects the file to end here

        File.AppendAllText(path, "11 2");                                     // longer: the one-pread check sees 2 bytes
        store.LogBatch(run, [new Metric("m", 3, 12, 1)], [], []);
        Assert.Equal("10 1.0 0\n11 2\n12 3.0 1\n", File.ReadAllText(path));

        var bytes = File.ReadAllBytes(path);                                  // same length, last byte no longer '\n'
        bytes[^1] = (byte)'9';
        File.WriteAllBytes(path, bytes);
        store.LogBatch(run, [new Metric("m", 4, 13, 2)], [], []);
        Assert.Equal("10 1.0 0\n11 2\n12 3.0 19\n13 4.0 2\n", File.ReadAllText(path));

        File.WriteAllText(path, "");                                          // shorter (truncated): found again with lseek
        store.LogBatch(run, [new Metric("m", 5, 14, 3)], [], []);
        File.Delete(path);                                                    // deleted: created again
        store.LogBatch(run, [new Metric("m", 6, 15, 4)], [], []);
        Assert.Equal("15 6.0 4\n", File.ReadAllText(path));
    }

    [Fact]
    public void Grouping_ManyKeys_EqualKeysAsDistinctStrings_KeepBatchOrderPerKey()
    {
        var (store, run, metrics) = NewRun();
        var batch = new List<Metric>();
        for (var step = 0; step < 30; step++)
        {
            for (var k = 0; k < 20; k++) // more keys than the linear scan handles: the dictionary takes over
                batch.Add(new Metric(new string(("k" + k).ToCharArray()), step + (k / 100.0), 1000 + step, step)); // a new string object each time
        }
        store.LogBatch(run, batch, [], []);
        for (var k = 0; k < 20; k++)
        {
            var expected = string.Concat(Enumerable.Range(0, 30).Select(step =>
                $"{1000 + step} {PythonFloat.ToString(step + (k / 100.0))} {step}\n"));
            Assert.Equal(expected, File.ReadAllText(Path.Combine(metrics, "k" + k)));
        }
    }

    [Fact]
    public void BadKeyOrTimestamp_AnywhereInTheBatch_WritesNothing_InStoreAndClient()
    {
        var (store, run, metrics) = NewRun();
        var client = new TrackingClient(store);
        for (var distinct = 1; distinct <= 20; distinct += 19)
        {
            var good = Enumerable.Range(0, 100).Select(i => new Metric("g" + (i % distinct), i, 1, i)).ToList();
            Metric[] badKey = [.. good, new Metric("../escape", 1, 1, 1), .. good];
            Metric[] badTimestamp = [.. good, new Metric("g0", 1, -1, 1)];
            Assert.Throws<TrackingException>(() => store.LogBatch(run, badKey, [], []));
            Assert.Throws<TrackingException>(() => client.LogBatch(run, badKey));
            Assert.Throws<TrackingException>(() => store.LogBatch(run, badTimestamp, [], []));
            Assert.Throws<TrackingException>(() => client.LogBatch(run, badTimestamp));
            Assert.Throws<TrackingException>(() => store.LogBatch(run, [.. good, new Metric(null!, 1, 1, 1)], [], []));
            Assert.Empty(Directory.EnumerateFileSystemEntries(metrics));
        }
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(metrics)!)!, "escape")));
    }
}
