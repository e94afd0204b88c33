using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores;

namespace Qlib.Tracked.Tests.Stores;

/// <summary>
/// <see cref="ITrackingStore.CountRuns"/> (what qtrack experiments and the web UI show) must be the number of runs a
/// search of every page returns, through the index, without it, and after another writer changed the store.
/// </summary>
public sealed class CountRunsTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static int CountBySearch(ITrackingStore store, string experimentId, ViewType view) =>
        store.SearchRuns([experimentId], null, view, 50_000, null, null).Items.Count;

    [Theory]
    [InlineData(RunIndexMode.Verified)]
    [InlineData(RunIndexMode.Off)]
    public void On_the_MLflow_fixture_counts_equal_full_searches_per_view(RunIndexMode mode)
    {
        var root = _temp.Combine("fixture");
        TempDirectory.CopyTree(Path.Combine(AppContext.BaseDirectory, "Fixtures", "mlflow-filestore-reference", "mlruns"), root);
        var store = new FileStore(root, new FileStoreOptions { RunIndex = mode });
        var total = 0;
        foreach (var experiment in store.SearchExperiments(ViewType.All))
        {
            foreach (var view in new[] { ViewType.ActiveOnly, ViewType.DeletedOnly, ViewType.All })
                Assert.Equal(CountBySearch(store, experiment.ExperimentId, view), store.CountRuns(experiment.ExperimentId, view));
            total += store.CountRuns(experiment.ExperimentId, ViewType.All);
            // Both counts from one pass (the web UI's experiments list) agree with the searches too.
            Assert.Equal(
                new RunCounts(CountBySearch(store, experiment.ExperimentId, ViewType.ActiveOnly), CountBySearch(store, experiment.ExperimentId, ViewType.DeletedOnly)),
                store.CountRunsByStage(experiment.ExperimentId));
        }
        // Independently of any search: every run folder (a folder with a meta.yaml inside an experiment folder,
        // the trashed experiment's included).
        var runFolders = Directory.GetDirectories(root).Concat(Directory.GetDirectories(Path.Combine(root, ".trash")))
            .Where(e => Path.GetFileName(e) != ".trash")
            .SelectMany(Directory.GetDirectories)
            .Count(r => File.Exists(Path.Combine(r, "meta.yaml")));
        Assert.Equal(runFolders, total);
    }

    [Fact]
    public void Counts_follow_new_deleted_and_foreign_runs()
    {
        var root = _temp.Combine("mlruns");
        var store = new FileStore(root);
        var experiment = store.CreateExperiment("count");
        var ids = Enumerable.Range(0, 5).Select(i => store.CreateRun(experiment, "u", 1000 + i, null, $"r{i}").Info.RunId).ToArray();
        Assert.Equal(5, store.CountRuns(experiment, ViewType.ActiveOnly));

        store.DeleteRun(ids[0]);
        Assert.Equal(4, store.CountRuns(experiment, ViewType.ActiveOnly));
        Assert.Equal(1, store.CountRuns(experiment, ViewType.DeletedOnly));

        // Another process (a second store over the same folder) adds a run: the next count sees it.
        new FileStore(root).CreateRun(experiment, "other", 2000, null, "foreign");
        Assert.Equal(5, store.CountRuns(experiment, ViewType.ActiveOnly));
        Assert.Equal(6, store.CountRuns(experiment, ViewType.All));
    }

    [Fact]
    public void An_invalid_experiment_id_is_refused_by_name()
    {
        var store = new FileStore(_temp.Combine("mlruns"));
        var ex = Assert.Throws<TrackingException>(() => store.CountRuns("../x", ViewType.ActiveOnly));
        Assert.Contains("../x", ex.Message);
    }
}
