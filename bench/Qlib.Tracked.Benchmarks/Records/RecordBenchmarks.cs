using BenchmarkDotNet.Attributes;
using Parquet.Serialization;
using Qlib.Tracked.Analysis;
using Qlib.Tracked.Artifacts;
using Qlib.Tracked.Backtest;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Frames;
using Qlib.Tracked.Records;

namespace Qlib.Tracked.Benchmarks.Records;

// The record templates' speed targets (issue 5; qlib-semantics "Speed of real Qlib/pandas"). Each class has a
// row-object/LINQ Baseline measured in the same run, whose results are checked equal to the library's in setup,
// so the Ratio column compares the same work.

/// <summary>(s) SigAnaRecord's computation on 2,500 dates × 500 instruments: IC, Rank IC and long-short.</summary>
public class SignalAnalysisBench
{
    public const int Dates = 2_500, Instruments = 500;

    private PredictionFrame _pred = null!;
    private LabelFrame _label = null!;
    private List<PanelRow> _rows = null!;
    private BenchStore _store = null!;
    private Recorder _recorder = null!;

    [GlobalSetup]
    public void GlobalSetup()
    {
        (_pred, _label) = SyntheticPanel.Create(Dates, Instruments);
        _rows = LinqSignalAnalysis.Rows(_pred, _label);
        var ours = SignalAnalysis.Analyze(_pred, _label, longShort: true).Metrics.Select(m => m.Value).ToArray();
        var baseline = LinqSignalAnalysis.Analyze(_rows);
        for (var i = 0; i < ours.Length; i++)
        {
            if (!(Math.Abs(ours[i] - baseline[i]) <= 1e-10 + 1e-9 * Math.Abs(baseline[i])))
                throw new InvalidOperationException($"Metric {i}: library {ours[i]:R} but LINQ baseline {baseline[i]:R}; the two must compute the same thing.");
        }

        _store = new BenchStore("s");
        _recorder = _store.NewQlibRecorder("bench-s").GetExp(experimentName: "bench-s").CreateRecorder("sig");
        _recorder.StartRun();
        _recorder.SaveObject(RecordArtifacts.Pred, _pred);
        _recorder.SaveObject(RecordArtifacts.Label, _label);
    }

    [GlobalCleanup]
    public void GlobalCleanup()
    {
        _recorder.EndRun(RunStatus.Finished);
        _store.Dispose();
    }

    [BenchmarkCategory("s"), Benchmark(Baseline = true)]
    public double[] Linq_SignalAnalysis() => LinqSignalAnalysis.Analyze(_rows);

    /// <summary>What Qlib's 2.45 s + 6.0 s measure: calc_ic + calc_long_short_return and the eight metrics (frames in memory).</summary>
    [BenchmarkCategory("s"), Benchmark]
    public SignalAnalysisResult Ours_SignalAnalysis() => SignalAnalysis.Analyze(_pred, _label, longShort: true);

    /// <summary>The whole template on a file store: load pred/label Parquet, compute, log 8 metrics, save 4 Parquet series.</summary>
    [BenchmarkCategory("s"), Benchmark]
    public SignalAnalysisResult? Ours_SigAnaRecord()
    {
        var result = new SigAnaRecord(_recorder, anaLongShort: true).Generate();
        _recorder.Flush();
        return result;
    }
}

/// <summary>(t) TopkDropout(50, 5) daily backtest on 500 instruments, ¼× to 4× of 2,500 days.</summary>
public class BacktestBench
{
    [Params(625, 1_250, 2_500, 5_000, 10_000)]
    public int Days { get; set; }

    private SyntheticMarket _market = null!;
    private RowObjectBacktest _baseline = null!;

    [GlobalSetup]
    public void GlobalSetup()
    {
        _market = SyntheticMarket.Create(Days);
        _baseline = new RowObjectBacktest(_market.Rows, _market.Pred);
        var ours = Ours_Backtest().Report;
        var baseline = RowObject_Backtest();
        if (ours.RowCount != baseline.Count || ours.RowCount != Days)
            throw new InvalidOperationException($"Report rows: library {ours.RowCount}, baseline {baseline.Count}, days {Days}.");
        for (var i = 0; i < baseline.Count; i++)
        {
            if (!(Math.Abs(ours.Account[i] - baseline[i].Account) <= 1e-9 * Math.Abs(baseline[i].Account))
                || !(Math.Abs(ours.Return[i] - baseline[i].Return) <= 1e-12)
                || !(Math.Abs(ours.Bench[i] - baseline[i].Bench) <= 1e-15))
                throw new InvalidOperationException(
                    $"Day {baseline[i].Datetime:yyyy-MM-dd}: library account {ours.Account[i]:R} return {ours.Return[i]:R}, baseline {baseline[i].Account:R} {baseline[i].Return:R}.");
        }
        Console.WriteLine($"// backtest {Days} days: final account {ours.Account[^1]:N2}, {baseline.Sum(r => r.Orders):N0} orders (library = baseline)");
    }

    [BenchmarkCategory("t"), Benchmark(Baseline = true)]
    public List<RowObjectBacktest.ReportRow> RowObject_Backtest() =>
        _baseline.Run(_market.Start, _market.End, 100_000_000, SyntheticMarket.Benchmark);

    /// <summary><c>DailyBacktest.Run</c> from the prediction frame (signal table built inside) on loaded market data.</summary>
    [BenchmarkCategory("t"), Benchmark]
    public BacktestResult Ours_Backtest() => DailyBacktest.Run(_market.Market, _market.Pred, _market.Config);
}

/// <summary>(p) The 1.25 M-row prediction frame (2,500 dates × 500 instruments) written and read back as Parquet.</summary>
public class PredictionParquetBench
{
    /// <summary>Bytes of the last file each method wrote (printed next to the times).</summary>
    public static readonly Dictionary<string, long> FileBytes = new(StringComparer.Ordinal);

    private PredictionFrame _pred = null!;
    private List<PredRowObject> _rows = null!;
    private string _folder = null!;
    private LocalArtifactRepository? _repo;

    /// <summary>A prediction row as a plain object (Parquet.Net's reflection serializer maps its properties).</summary>
    public sealed class PredRowObject
    {
        public DateTime Datetime { get; set; }
        public string Instrument { get; set; } = "";
        public double Score { get; set; }
    }

    [GlobalSetup]
    public void GlobalSetup()
    {
        if (_repo is not null) return; // BenchmarkDotNet runs one setup per benchmark, the quick runner both
        (_pred, _) = SyntheticPanel.Create(SignalAnalysisBench.Dates, SignalAnalysisBench.Instruments);
        using var store = new BenchStore("p");
        _folder = Path.GetDirectoryName(store.Root)!;
        Directory.CreateDirectory(_folder);
        _repo = new LocalArtifactRepository("file://" + _folder, _folder);
        var back = Ours_WriteRead();
        if (!back.Score.AsSpan().SequenceEqual(_pred.Score) || !back.Instrument.AsSpan().SequenceEqual(_pred.Instrument)
            || !back.Datetime.AsSpan().SequenceEqual(_pred.Datetime))
            throw new InvalidOperationException("The prediction frame did not round-trip.");
    }

    /// <summary>
    /// The baseline's 1.25 M row objects exist only around the baseline: kept alive during the library's
    /// measurement they would make every full collection there mark them too.
    /// </summary>
    [GlobalSetup(Target = nameof(RowObject_WriteRead))]
    public void SetupRowObjects()
    {
        GlobalSetup();
        _rows = Enumerable.Range(0, _pred.RowCount)
            .Select(i => new PredRowObject { Datetime = _pred.Datetime[i], Instrument = _pred.Instrument[i], Score = _pred.Score[i] }).ToList();
        if (RowObject_WriteRead().Data.Count != _pred.RowCount) throw new InvalidOperationException("The row-object baseline lost rows.");
    }

    [GlobalCleanup(Target = nameof(RowObject_WriteRead))]
    public void CleanupRowObjects() => _rows = null!;

    [BenchmarkCategory("p"), Benchmark(Baseline = true)]
    public DeserializationResult<PredRowObject> RowObject_WriteRead()
    {
        var path = Path.Combine(_folder, "pred_rows.parquet");
        using (var output = File.Create(path))
            ParquetSerializer.SerializeAsync(_rows, output).GetAwaiter().GetResult();
        FileBytes[nameof(RowObject_WriteRead)] = new FileInfo(path).Length;
        using var input = File.OpenRead(path);
        return ParquetSerializer.DeserializeAsync<PredRowObject>(input).GetAwaiter().GetResult();
    }

    /// <summary>The artifact path a run takes: <c>ArtifactObjects.Save</c> (atomic write) then <c>Load</c>.</summary>
    [BenchmarkCategory("p"), Benchmark]
    public PredictionFrame Ours_WriteRead()
    {
        var repo = _repo!;
        ArtifactObjects.Save(repo, RecordArtifacts.Pred, _pred);
        FileBytes[nameof(Ours_WriteRead)] = new FileInfo(repo.GetLocalPath(RecordArtifacts.Pred)!).Length;
        return ArtifactObjects.Load<PredictionFrame>(repo, RecordArtifacts.Pred);
    }
}
