using Qlib.Tracked.Entities;
using Qlib.Tracked.Frames;
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
        Assert.True(run.Data.Metrics["IC"].Value > 0.2, "the synthetic signal is strong enough to find");

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
