using Qlib.Tracked.Entities;
using Qlib.Tracked.Frames;
using Qlib.Tracked.Records;
using Qlib.Tracked.Tests.Backtest;
using Qlib.Tracked.Tests.Workflow;

namespace Qlib.Tracked.Tests.Records;

/// <summary>SignalRecord → MultiPassPortAnaRecord on the toy backtest case, in a real temp mlruns store.</summary>
public sealed class MultiPassPortAnaRecordTests : IDisposable
{
    private static readonly string[] Keys = ["excess_return_with_cost", "excess_return_without_cost"];
    private static readonly string[] Kept = ["annualized_return", "information_ratio"];

    private readonly TempStore _store = new();
    private readonly Recorder _rec;

    public MultiPassPortAnaRecordTests()
    {
        _rec = _store.Manager().GetExp(experimentName: "multipass").CreateRecorder("r");
        _rec.StartRun();
    }

    public void Dispose()
    {
        if (_rec.IsRunning) _rec.EndRun(RunStatus.Finished);
        _store.Dispose();
    }

    private (Qlib.Tracked.Backtest.MarketData Market, PredictionFrame Pred, Qlib.Tracked.Backtest.BacktestConfig Config) StoreToy()
    {
        var (market, pred, config) = BacktestCase.Load("toy");
        new SignalRecord(_rec).Generate(pred, new LabelFrame(pred.Datetime, pred.Instrument, new double[pred.RowCount]));
        return (market, pred, config);
    }

    private static double Fixture(string key, string metric)
    {
        var (_, rows) = BacktestCase.Csv(Path.Combine(BacktestCase.Root, "toy"), "port_analysis_1day.csv");
        return BacktestCase.Num(rows.Single(r => r[0] == key && r[1] == metric)[2]);
    }

    [Fact]
    public void WithoutShuffle_EveryPassIsPortAnaRecords_MeanIsItsValue_StdZero_MeanStdPositiveInfinity()
    {
        var (market, _, config) = StoreToy();
        var mp = new MultiPassPortAnaRecord(_rec, market, passNum: 3, shuffleInitScore: false, config: config);
        var result = mp.Generate();
        Assert.NotNull(result);
        Assert.Equal([0, 1, 2], result.Passes.Select(p => p.RunId));
        foreach (var pass in result.Passes)
            for (var i = 0; i < pass.Result.PortAnalysis.RowCount; i++)
                Assert.True(BacktestCase.Close(pass.Result.PortAnalysis.Risk[i],
                    Fixture(pass.Result.PortAnalysis.Series[i], pass.Result.PortAnalysis.Metric[i]), true));

        var t = result.Analysis;
        Assert.Equal(["excess_return_with_cost", "excess_return_with_cost", "excess_return_without_cost", "excess_return_without_cost"], t.Series);
        Assert.Equal(["annualized_return", "information_ratio", "annualized_return", "information_ratio"], t.Metric);
        var single = result.Passes[0].Result.PortAnalysis;
        for (var i = 0; i < t.RowCount; i++)
        {
            Assert.Equal(single.Get(t.Series[i], t.Metric[i]), t.Mean[i]); // exact: sum/3 reproduces these values
            Assert.Equal(0.0, t.Std[i]);
            Assert.True(t.Mean[i] > 0);
            Assert.Equal(double.PositiveInfinity, t.MeanStd[i]); // pandas: positive / 0.0 = inf
        }

        // Logged metrics: {stat}.{key}.{metric}, no freq prefix; the per-pass 1day.* metrics too (last pass wins, as Qlib).
        var logged = _rec.ListMetrics();
        foreach (var stat in new[] { "mean", "std", "mean_std" })
            foreach (var key in Keys)
                foreach (var metric in Kept)
                    Assert.True(logged.ContainsKey($"{stat}.{key}.{metric}"), $"{stat}.{key}.{metric}");
        Assert.Equal(Fixture("excess_return_with_cost", "annualized_return"), logged["mean.excess_return_with_cost.annualized_return"], 12);
        Assert.Equal(0.0, logged["std.excess_return_without_cost.information_ratio"]);
        Assert.Equal(double.PositiveInfinity, logged["mean_std.excess_return_without_cost.information_ratio"]);
        Assert.DoesNotContain("mean.excess_return_with_cost.max_drawdown", logged.Keys);
        Assert.Contains("1day.excess_return_with_cost.annualized_return", logged.Keys);

        // Only the multi-pass table is saved: no report, positions or per-pass analysis.
        Assert.Equal(["portfolio_analysis/" + MultiPassPortAnaRecord.MultiPassPortAnalysisFile], _rec.ListArtifacts("portfolio_analysis"));
        Assert.Equal(["multi_pass_port_analysis_1day.parquet"], mp.List());
        mp.Check(includeSelf: true);
    }

    [Fact]
    public void WithShuffle_ThreePasses_MeanAndStdAreTheHandComputationOverThePassTables()
    {
        var (market, _, config) = StoreToy();
        var result = new MultiPassPortAnaRecord(_rec, market, passNum: 3, seed: 11, config: config).Generate();
        Assert.NotNull(result);
        Assert.Equal(3, result.Passes.Count);
        var t = result.Analysis;
        Assert.Equal(4, t.RowCount);
        var anyDiffers = false;
        foreach (var key in Keys)
        {
            foreach (var metric in Kept)
            {
                var x = result.Passes.Select(p => p.Result.PortAnalysis.Get(key, metric)).ToArray();
                var mean = (x[0] + x[1] + x[2]) / 3;
                var std = Math.Sqrt(((x[0] - mean) * (x[0] - mean) + (x[1] - mean) * (x[1] - mean) + (x[2] - mean) * (x[2] - mean)) / 2);
                var i = t.IndexOf(key, metric);
                Assert.Equal(mean, t.Mean[i], 14);
                Assert.Equal(std, t.Std[i], 14);
                Assert.Equal(mean / std, t.MeanStd[i], 10);
                anyDiffers |= std > 0;
            }
        }
        Assert.True(anyDiffers, "seed 11 should give passes with different results on the toy case");

        var logged = _rec.ListMetrics();
        foreach (var kv in result.Metrics) Assert.Equal(kv.Value, logged[kv.Key]);
        Assert.Equal(12, result.Metrics.Count);
        Assert.Equal(t.Mean[t.IndexOf("excess_return_with_cost", "annualized_return")], logged["mean.excess_return_with_cost.annualized_return"]);

        // Seeded: the same seed gives the same passes.
        var again = new MultiPassPortAnaRecord(_rec, market, passNum: 3, seed: 11, config: config).Generate();
        Assert.Equal(t.Mean, again!.Analysis.Mean);
        Assert.Equal(t.Std, again.Analysis.Std);
    }

    [Fact]
    public void ShuffleFirstDate_PermutesOnlyTheFirstPredDateOnOrAfterStart()
    {
        var (_, pred, config) = BacktestCase.Load("toy");
        var first = pred.Datetime.Where(d => d >= config.StartTime!.Value).Min();
        var shuffled = MultiPassPortAnaRecord.ShuffleFirstDate(pred, config.StartTime, new Random(3));
        for (var i = 0; i < pred.RowCount; i++)
            if (pred.Datetime[i] != first) Assert.Equal(pred.Score[i], shuffled.Score[i]);
        var before = Enumerable.Range(0, pred.RowCount).Where(i => pred.Datetime[i] == first).Select(i => pred.Score[i]).Order();
        var after = Enumerable.Range(0, pred.RowCount).Where(i => pred.Datetime[i] == first).Select(i => shuffled.Score[i]).Order();
        Assert.Equal(before, after);
        Assert.NotSame(pred.Score, shuffled.Score);
        // No start: the earliest pred date.
        var noStart = MultiPassPortAnaRecord.ShuffleFirstDate(pred, null, new Random(3));
        var min = pred.Datetime.Min();
        for (var i = 0; i < pred.RowCount; i++)
            if (pred.Datetime[i] != min) Assert.Equal(pred.Score[i], noStart.Score[i]);
    }

    [Fact]
    public void Aggregate_OnePass_StdAndMeanStdNaN_ZeroMeanOverZeroStdNaN()
    {
        var one = RiskAnalysisTable.From(("excess_return_with_cost", new Analysis.RiskAnalysisResult(0.1, 0.2, 0.3, 0.4, -0.5, 252)));
        var t = MultiPassPortAnaRecord.Aggregate([one]);
        Assert.Equal(["annualized_return", "information_ratio"], t.Metric);
        Assert.Equal([0.3, 0.4], t.Mean);
        Assert.All(t.Std, s => Assert.True(double.IsNaN(s)));
        Assert.All(t.MeanStd, s => Assert.True(double.IsNaN(s)));

        var zero = RiskAnalysisTable.From(("k", new Analysis.RiskAnalysisResult(0, 0, 0, -1, 0, 252)));
        var z = MultiPassPortAnaRecord.Aggregate([zero, zero]);
        Assert.True(double.IsNaN(z.MeanStd[0]));             // 0 / 0
        Assert.Equal(double.NegativeInfinity, z.MeanStd[1]); // -1 / 0
    }

    [Fact]
    public void TempStoreRoundTrip_SkipsWithoutPred_SkipExisting_TableReadsBack()
    {
        var (market, _, config) = BacktestCase.Load("toy");
        Assert.Null(new MultiPassPortAnaRecord(_rec, market, passNum: 2, config: config).Generate()); // no pred: skipped
        StoreToy();
        var mp = new MultiPassPortAnaRecord(_rec, market, passNum: 2, seed: 1, config: config);
        var result = mp.Generate();
        Assert.NotNull(result);
        var runId = _rec.Id!;
        _rec.EndRun(RunStatus.Finished);

        var reopened = _store.Manager().GetExp(experimentName: "multipass").GetRecorder(recorderId: runId);
        var loaded = reopened.LoadObject<MultiPassPortAnalysisTable>("portfolio_analysis/" + MultiPassPortAnaRecord.MultiPassPortAnalysisFile);
        Assert.Equal(result.Analysis.Series, loaded.Series);
        Assert.Equal(result.Analysis.Metric, loaded.Metric);
        Assert.Equal(result.Analysis.Mean, loaded.Mean);
        Assert.Equal(result.Analysis.Std, loaded.Std);
        Assert.Equal(result.Analysis.MeanStd, loaded.MeanStd);
        var metrics = reopened.ListMetrics();
        foreach (var kv in result.Metrics) Assert.Equal(kv.Value, metrics[kv.Key]);
        Assert.Null(new MultiPassPortAnaRecord(reopened, market, config: config, skipExisting: true).Generate());
    }
}
