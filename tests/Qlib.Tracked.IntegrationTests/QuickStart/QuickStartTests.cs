using Qlib.Tracked.Entities;
using Qlib.Tracked.Frames;
using Qlib.Tracked.Records;
using Qlib.Tracked.Stores;
using QuickStart;

namespace Qlib.Tracked.IntegrationTests;

/// <summary>
/// Runs the QuickStart workflow end to end on a temp store and reads the run back through a fresh
/// store instance, the way a later process (or MLflow) would.
/// </summary>
[Collection("ambient R")]
public class QuickStartTests
{
    private static readonly QuickStartOptions Small = new() { Instruments = 60, Days = 80, Seed = 7 };

    [Fact]
    public void QuickStart_RecordsAFinishedRunWithParamsMetricsAndTypedArtifacts()
    {
        using var store = new TempStore();
        var result = QuickStartWorkflow.Run(Small with { Uri = store.Uri });

        var files = new FileStore(store.Root);
        var experiment = files.GetExperimentByName("quickstart");
        Assert.NotNull(experiment);
        var run = files.GetRun(result.RunId);
        Assert.Equal(RunStatus.Finished, run.Info.Status);
        Assert.Equal(experiment.ExperimentId, run.Info.ExperimentId);
        Assert.NotNull(run.Info.EndTime);

        Assert.Equal("7", run.Data.Params["dataset.seed"]);
        Assert.Equal("60", run.Data.Params["dataset.instruments"]);
        Assert.Equal("[0.1, 1.0, 10.0, 100.0, 1000.0, 10000.0]", run.Data.Params["model.kwargs.alphas"]);

        // One step per candidate penalty, in order; the final metrics are what the workflow reported.
        var validIc = files.GetMetricHistory(result.RunId, "valid.ic");
        Assert.Equal(Enumerable.Range(0, 6).Select(s => (long)s), validIc.Select(m => m.Step));
        Assert.Equal(result.Metrics["IC"], run.Data.Metrics["IC"].Value);
        // A small panel's test window is a few days: its IC is noise around a weak signal (QuickStartCommandTests
        // checks the default run's), never the strong, clean fit a noise-free panel gave.
        Assert.InRange(run.Data.Metrics["IC"].Value, -0.3, 0.3);

        using var _ = R.UriContext(store.Uri);
        var recorder = R.GetRecorder(recorderId: result.RunId, experimentName: "quickstart");
        var model = recorder.LoadObject<RidgeModel>("params");
        Assert.Equal(result.Model.Weights, model.Weights);
        Assert.Equal(result.BestAlpha, model.Alpha);

        var pred = recorder.LoadObject<PredictionFrame>("pred.parquet");
        var testDays = Small.Days - Small.Days * 6 / 10 - Small.Days * 2 / 10;
        Assert.Equal(testDays * Small.Instruments, pred.RowCount);
        Assert.Equal(model.Predict(FeaturesOf(pred.Instrument[0], pred.Datetime[0])), pred.Score[0], 12);

        // The same run read back through the generated [Tracked] code.
        var task = QuickStartTask.Load(recorder);
        Assert.Equal("RidgeModel", task.Model.Class);
        Assert.Equal(Small.Alphas, task.Model.Kwargs.Alphas);
        Assert.Equal(Small.Instruments, task.Dataset.Instruments);
        Assert.Equal(run.Data.Params["dataset.segments.valid"], task.Dataset.Segments.Valid);
        Assert.Equal(result.Metrics["Rank IC"], task.RankIc);
        Assert.Equal(result.BestAlpha, task.BestAlpha);
        Assert.Equal(model.Weights, task.Fitted!.Weights);
        Assert.Equal(pred.Score, task.Pred!.Score);
    }

    [Fact]
    public void QuickStart_RunsSignalSigAnaAndPortAnaRecords_OnTheSyntheticMarket()
    {
        using var store = new TempStore();
        var result = QuickStartWorkflow.Run(Small with { Uri = store.Uri });
        var run = new FileStore(store.Root).GetRun(result.RunId);

        // SigAnaRecord's and PortAnaRecord's metrics are logged, and what the workflow reports is what was logged.
        string[] expected =
        [
            "IC", "ICIR", "Rank IC", "Rank ICIR",
            "1day.excess_return_without_cost.mean", "1day.excess_return_without_cost.annualized_return",
            "1day.excess_return_with_cost.annualized_return", "1day.excess_return_with_cost.information_ratio",
            "1day.excess_return_with_cost.max_drawdown", "1day.ffr", "1day.pa", "1day.pos",
        ];
        foreach (var name in expected) Assert.True(run.Data.Metrics.ContainsKey(name), name + " not logged");
        Assert.Equal(13 + 4, result.RecordMetrics.Count);
        foreach (var (key, value) in result.RecordMetrics) Assert.Equal(value, run.Data.Metrics[key].Value);
        Assert.True(double.IsFinite(run.Data.Metrics["1day.excess_return_with_cost.annualized_return"].Value));
        Assert.Equal(result.Metrics["IC"], run.Data.Metrics["IC"].Value);

        using var _ = R.UriContext(store.Uri);
        var recorder = R.GetRecorder(recorderId: result.RunId, experimentName: "quickstart");
        Assert.Equal([RecordArtifacts.SigAnalysisIc, RecordArtifacts.SigAnalysisRankIc], recorder.ListArtifacts(RecordArtifacts.SigAnalysisPath).Order(StringComparer.Ordinal));
        Assert.Equal(
            new[] { PortAnaRecord.IndicatorAnalysisFile, PortAnaRecord.IndicatorsFile, PortAnaRecord.OrdersFile, PortAnaRecord.PortAnalysisFile,
                    PortAnaRecord.PositionsFile, PortAnaRecord.ReportFile }.Select(f => RecordArtifacts.PortfolioAnalysisPath + "/" + f).Order(StringComparer.Ordinal),
            recorder.ListArtifacts(RecordArtifacts.PortfolioAnalysisPath).Order(StringComparer.Ordinal));
        Assert.Contains(RecordArtifacts.Label, recorder.ListArtifacts());

        // The backtest covers the test window (up to the day before its last date) and trades TopkDropout's topk.
        var report = recorder.LoadObject<Backtest.BacktestReport>(RecordArtifacts.PortfolioAnalysisPath + "/" + PortAnaRecord.ReportFile);
        var testDays = Small.Days - Small.Days * 6 / 10 - Small.Days * 2 / 10;
        Assert.Equal(testDays - 1, report.RowCount);
        Assert.Equal(0, report.Turnover[0]); // the first day has no previous-day signal
        Assert.True(report.TotalTurnover[^1] > 0);
        var positions = recorder.LoadObject<Backtest.PositionsFrame>(RecordArtifacts.PortfolioAnalysisPath + "/" + PortAnaRecord.PositionsFile);
        var lastDay = positions.Datetime.Max();
        Assert.True(positions.Datetime.Count(d => d == lastDay) >= SyntheticPrices.Config(Small.Instruments).Strategy.Topk);
    }

    [Fact]
    public void SyntheticPrices_FollowTheLabels_InFloat32()
    {
        var market = SyntheticMarket.Generate(3, 5, 12, 2);
        var prices = SyntheticPrices.Generate(market);
        Assert.Equal(market.Days, prices.Calendar);
        Assert.Equal(6, prices.Instruments.Length); // five instruments and the benchmark
        for (var i = 0; i < 5; i++)
        {
            var inst = prices.InstrumentIndex(market.Instruments[i]);
            Assert.True(double.IsNaN(prices.Get(inst, 0, Backtest.MarketField.Change)));
            for (var d = 2; d < market.Days.Length; d++)
            {
                var close = prices.Get(inst, d, Backtest.MarketField.Close);
                var prev = prices.Get(inst, d - 1, Backtest.MarketField.Close);
                Assert.Equal((double)(float)close, close);
                Assert.Equal((double)(float)(prev * (1 + market.Label[(d - 2) * 5 + i])), close);
                Assert.Equal((double)(float)(close / prev - 1), prices.Get(inst, d, Backtest.MarketField.Change));
                Assert.Equal(prev, prices.Get(inst, d, Backtest.MarketField.Open));
                Assert.Equal(1, prices.Get(inst, d, Backtest.MarketField.Factor));
            }
        }
        var bench = prices.InstrumentIndex(SyntheticPrices.Benchmark);
        var meanLabel = Enumerable.Range(0, 5).Average(i => market.Label[i]);
        Assert.Equal((double)(float)(prices.Get(bench, 1, Backtest.MarketField.Close) * (1 + meanLabel)), prices.Get(bench, 2, Backtest.MarketField.Close), 9);
        Assert.Equal(50, SyntheticPrices.Config(300).Strategy.Topk);
        Assert.Equal(5, SyntheticPrices.Config(300).Strategy.NDrop);
    }

    [Fact]
    public void QuickStart_SameSeed_SameModel_NewRunEachTime()
    {
        using var store = new TempStore();
        var first = QuickStartWorkflow.Run(Small with { Uri = store.Uri });
        var second = QuickStartWorkflow.Run(Small with { Uri = store.Uri });

        Assert.NotEqual(first.RunId, second.RunId);
        Assert.Equal(first.Model.Weights, second.Model.Weights);
        var runs = new FileStore(store.Root).SearchRuns([first.ExperimentId], null, ViewType.ActiveOnly, 100, null, null).Items;
        Assert.Equal([second.RunId, first.RunId], runs.Select(r => r.Info.RunId)); // newest first
    }

    private static double[] FeaturesOf(string instrument, DateTime day)
    {
        var market = SyntheticMarket.Generate(Small.Seed, Small.Instruments, Small.Days, Small.Features);
        var row = Array.IndexOf(market.Days, day) * Small.Instruments + Array.IndexOf(market.Instruments, instrument);
        return market.Features[row];
    }
}
