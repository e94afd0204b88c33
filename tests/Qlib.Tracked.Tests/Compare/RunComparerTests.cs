using Qlib.Tracked.Compare;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores;

namespace Qlib.Tracked.Tests.Compare;

public sealed class RunComparerTests : IDisposable
{
    private static readonly string FixtureRuns = Path.Combine(AppContext.BaseDirectory, "Fixtures", "mlflow-filestore-reference", "mlruns");
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private FileStore CopyOfFixture()
    {
        TempDirectory.CopyTree(FixtureRuns, _temp.Combine("mlruns"));
        return new FileStore(_temp.Combine("mlruns"));
    }

    private static Run Named(FileStore store, string name) =>
        store.SearchRuns(store.SearchExperiments().Select(e => e.ExperimentId).ToArray(), null, ViewType.All, 1000, null, null)
            .Items.Single(r => r.Info.RunName == name);

    [Fact]
    public void FixtureRuns_SideBySide_KeepMissingAsNullAndNaNAsNaN()
    {
        var store = CopyOfFixture();
        var lgb = Named(store, "alpha-lgb");
        var edge = Named(store, "beta-edge");

        var comparison = RunComparer.Compare(store, [lgb.Info.RunId, edge.Info.RunId]);

        Assert.Equal(["alpha-lgb", "beta-edge"], comparison.Runs.Select(r => r.RunName));
        // Union of both runs' keys, ordinal order.
        Assert.Equal(["desc", "empty", "lr", "model_class", "n_estimators", "train/window"], comparison.Params.Select(p => p.Key));
        var lr = comparison.Params.Single(p => p.Key == "lr");
        Assert.Equal(["0.01", null], lr.Values);
        Assert.True(lr.Differs);
        var empty = comparison.Params.Single(p => p.Key == "empty");
        Assert.Equal([null, ""], empty.Values); // an empty value is a value, not missing

        var nan = comparison.Metrics.Single(m => m.Key == "nan_metric");
        Assert.Null(nan.Values[0]);
        Assert.True(double.IsNaN(nan.Values[1]!.Value));
        Assert.Equal(double.PositiveInfinity, comparison.Metrics.Single(m => m.Key == "inf_metric").Values[1]);
        Assert.Equal(0.05, comparison.Metrics.Single(m => m.Key == "loss").Values[0]); // latest (step 19), not first
    }

    [Fact]
    public void OnlyDifferences_DropsRowsWhereEveryRunAgrees_IncludingTwoNaNs()
    {
        var store = new FileStore(_temp.Combine("mlruns"));
        var experiment = store.CreateExperiment("cmp");
        string NewRun(string name, double loss, double ic, string lr, string seed)
        {
            var id = store.CreateRun(experiment, "u", 1, null, name).Info.RunId;
            store.LogBatch(id, [new Metric("loss", loss, 1, 0), new Metric("ic", ic, 1, 0)], [new Param("lr", lr), new Param("seed", seed)], []);
            return id;
        }
        var a = NewRun("a", 0.5, double.NaN, "0.1", "1");
        var b = NewRun("b", 0.4, double.NaN, "0.1", "2");

        var all = RunComparer.Compare(store, [a, b]);
        var diff = RunComparer.Compare(store, [a, b], onlyDifferences: true);

        Assert.Equal(["ic", "loss"], all.Metrics.Select(m => m.Key));
        Assert.False(all.Metrics.Single(m => m.Key == "ic").Differs);
        Assert.Equal(["loss"], diff.Metrics.Select(m => m.Key));
        Assert.Equal(["seed"], diff.Params.Select(p => p.Key));
        Assert.Equal(["1", "2"], diff.Params[0].Values);
    }

    [Fact]
    public void UnknownRun_IsResourceDoesNotExist()
    {
        var store = CopyOfFixture();
        var e = Assert.Throws<TrackingException>(() => RunComparer.Compare(store, ["0123456789abcdef0123456789abcdef"]));
        Assert.Equal(ErrorCode.ResourceDoesNotExist, e.Code);
    }

    [Fact]
    public void NoRuns_IsInvalidParameter() =>
        Assert.Equal(ErrorCode.InvalidParameterValue, Assert.Throws<TrackingException>(() => RunComparer.Compare(Array.Empty<Run>())).Code);
}
