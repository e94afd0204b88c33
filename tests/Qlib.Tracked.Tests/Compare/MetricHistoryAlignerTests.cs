using Qlib.Tracked.Compare;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores;

namespace Qlib.Tracked.Tests.Compare;

public sealed class MetricHistoryAlignerTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Histories_AreOuterJoinedOnStep_WithTheLatestPointPerRepeatedStep()
    {
        var store = new FileStore(_temp.Combine("mlruns"));
        var experiment = store.CreateExperiment("align");
        var a = store.CreateRun(experiment, "u", 1, null, "a").Info.RunId;
        var b = store.CreateRun(experiment, "u", 1, null, "b").Info.RunId;
        var c = store.CreateRun(experiment, "u", 1, null, "c").Info.RunId;
        // a: steps 0,1,2, step 1 logged twice (the later timestamp wins even though it was written first).
        store.LogBatch(a, [new Metric("loss", 1.0, 10, 0), new Metric("loss", 0.7, 30, 1), new Metric("loss", 0.9, 20, 1), new Metric("loss", 0.5, 40, 2)], [], []);
        // b: steps 1 and 3, a NaN at 3.
        store.LogBatch(b, [new Metric("loss", 0.8, 10, 1), new Metric("loss", double.NaN, 20, 3)], [], []);
        // c never logged loss.
        store.LogBatch(c, [new Metric("acc", 0.1, 10, 0)], [], []);

        var aligned = MetricHistoryAligner.Align(store, [a, b, c], "loss");

        Assert.Equal([0L, 1, 2, 3], aligned.Steps);
        Assert.Equal([a, b, c], aligned.RunIds);
        Assert.Equal([1.0, 0.7, 0.5, null], aligned.Values[0]);
        Assert.Equal([null, 0.8, null], aligned.Values[1].Take(3));
        Assert.True(double.IsNaN(aligned.Values[1][3]!.Value));
        Assert.All(aligned.Values[2], v => Assert.Null(v));
        // The last aligned value of a run is the latest value the run reports.
        Assert.Equal(store.GetRun(a).Data.Metrics["loss"].Value, aligned.Values[0][2]);
    }

    [Fact]
    public void EqualTimestampsOnAStep_KeepTheHigherValue_AsMlflowsLatest()
    {
        var aligned = MetricHistoryAligner.Align("m", [("r", [new Metric("m", 2.0, 5, 0), new Metric("m", 3.0, 5, 0), new Metric("m", 1.0, 5, 0)])]);
        Assert.Equal([3.0], aligned.Values[0]);
    }

    [Fact]
    public void AHistoryOfAnotherMetric_IsRefused() =>
        Assert.Equal(ErrorCode.InvalidParameterValue, Assert.Throws<TrackingException>(
            () => MetricHistoryAligner.Align("m", [("r", [new Metric("other", 1, 1, 0)])])).Code);

    [Fact]
    public void FixtureHistory_AlignsMlflowWrittenSteps()
    {
        var fixture = Path.Combine(AppContext.BaseDirectory, "Fixtures", "mlflow-filestore-reference", "mlruns");
        TempDirectory.CopyTree(fixture, _temp.Combine("fixture"));
        var store = new FileStore(_temp.Combine("fixture"));
        var runs = store.SearchRuns(store.SearchExperiments().Select(e => e.ExperimentId).ToArray(), "metrics.loss < 0.5", ViewType.ActiveOnly, 100, null, null).Items;
        var aligned = MetricHistoryAligner.Align(store, runs.Select(r => r.Info.RunId).ToArray(), "loss");

        var expectedSteps = runs.SelectMany(r => store.GetMetricHistory(r.Info.RunId, "loss")).Select(m => m.Step).Distinct().Order().ToArray();
        Assert.Equal(expectedSteps, aligned.Steps);
        for (var r = 0; r < runs.Count; r++)
        {
            var lastLogged = aligned.Values[r].Last(v => v is not null);
            Assert.Equal(runs[r].Data.Metrics["loss"].Value, lastLogged);
        }
    }
}
