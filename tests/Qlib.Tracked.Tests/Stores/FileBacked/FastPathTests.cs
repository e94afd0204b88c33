using System.Text;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Formats;
using Qlib.Tracked.Formats.Python;
using Qlib.Tracked.Stores;

namespace Qlib.Tracked.Tests;

/// <summary>The speed paths (UTF-8 float spelling, metric-line fast parser, chunked history read) agree with the general ones.</summary>
public sealed class FastPathTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly FileStore _store;
    private readonly List<StoreWarning> _warnings = [];

    public FastPathTests()
    {
        _store = new FileStore(_temp.Combine("mlruns"));
        _store.Warning += _warnings.Add;
    }

    public void Dispose() => _temp.Dispose();

    private static IEnumerable<double> Values()
    {
        var rng = new Random(7);
        double[] edges =
        [
            0.0, -0.0, 1.0, 100.0, -100.0, 0.1, 0.30000000000000004, 1e-4, 1e-5, 9.999999999999999e-5, 1.2345e-4, 1e15, 1e16, 1e17,
            9999999999999998.0, 999999999999999.9, 1234567890123456.0, 12345678901234567.0, 123456789012345.6, 5e-324,
            double.MaxValue, double.MinValue, double.Epsilon, 2.0, 0.5, 1e22, 1e23, 4.35, 1.7976931348623157e+308,
        ];
        foreach (var v in edges) yield return v;
        for (var i = 0; i < 20_000; i++)
        {
            var magnitude = Math.Pow(10, rng.Next(-30, 31));
            var v = rng.NextDouble() * magnitude * (rng.Next(2) == 0 ? 1 : -1);
            yield return v;
            yield return Math.Round(v, rng.Next(0, 6)); // short decimals
            yield return (double)rng.Next(-100_000, 100_000);
        }
    }

    [Fact]
    public void FormatUtf8_SpellsEveryValueAsTheCharFormatter()
    {
        Span<byte> utf8 = stackalloc byte[PythonFloat.MaxLength];
        foreach (var value in Values())
        {
            var length = PythonFloat.FormatUtf8(value, utf8);
            Assert.Equal(PythonFloat.ToString(value), Encoding.ASCII.GetString(utf8[..length]));
        }
    }

    [Fact]
    public void MetricHistory_ReadsBackEveryValueBitExactly_AcrossChunks()
    {
        var experiment = _store.CreateExperiment("fast");
        var run = _store.CreateRun(experiment, null, 1, null, "r").Info.RunId;
        var values = Values().ToArray(); // > 60,000 points: several 256 KiB chunks
        var batch = new List<Metric>();
        for (var i = 0; i < values.Length; i++)
        {
            batch.Add(new Metric("m", values[i], 1_700_000_000_000 + i, i - 5));
            if (batch.Count == 1000) { _store.LogBatch(run, batch, [], []); batch.Clear(); }
        }
        _store.LogBatch(run, batch, [], []);

        var history = _store.GetMetricHistory(run, "m");
        Assert.Equal(values.Length, history.Count);
        for (var i = 0; i < values.Length; i++)
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(values[i]), BitConverter.DoubleToInt64Bits(history[i].Value));
            Assert.Equal(i - 5, history[i].Step);
            Assert.Equal(1_700_000_000_000 + i, history[i].Timestamp);
        }
        Assert.Empty(_warnings);
    }

    [Fact]
    public void MetricHistory_OddLinesStillTakeTheGeneralPath_WithLineNumbersAcrossChunks()
    {
        var experiment = _store.CreateExperiment("odd");
        var run = _store.CreateRun(experiment, null, 1, null, "r").Info.RunId;
        var path = Path.Combine(_temp.Combine("mlruns"), experiment, run, "metrics", "m");
        var text = new StringBuilder();
        for (var i = 0; i < 20_000; i++) text.Append("1700000000000 0.25 ").Append(i).Append('\n'); // ~500 KB
        text.Append("5 2\n");                         // 2 fields: step 0
        text.Append("6 1e-05 3\r\n");                 // CRLF
        text.Append("7 nan 4 ds digest\n");           // 5 fields
        text.Append("8 +inf 5\n");
        text.Append("9 12345678901234567890 6\n");    // long integer value
        text.Append("x 1 7\n");                       // bad timestamp: line 20,006
        text.Append("10 0.5 8");                      // unfinished last line: reported, not a point (it may be "10 0.5 81")
        File.WriteAllText(path, text.ToString());

        var history = _store.GetMetricHistory(run, "m");
        Assert.Equal(20_005, history.Count);
        Assert.Equal(new Metric("m", 2, 5, 0), history[20_000]);
        Assert.Equal(new Metric("m", 1e-05, 6, 3), history[20_001]);
        Assert.True(double.IsNaN(history[20_002].Value));
        Assert.Equal(double.PositiveInfinity, history[20_003].Value);
        Assert.Equal(12345678901234567890.0, history[20_004].Value);
        Assert.Equal(2, _warnings.Count);
        Assert.Contains("line 20006", _warnings[0].Message);
        Assert.Contains("line 20007", _warnings[1].Message);
        Assert.Contains("the last line has no trailing newline", _warnings[1].Message);
    }
}
