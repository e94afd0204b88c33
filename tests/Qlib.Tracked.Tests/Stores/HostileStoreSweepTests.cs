using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores;
using Qlib.Tracked.TestCorpus;

namespace Qlib.Tracked.Tests.Stores;

/// <summary>
/// Every store and <c>R</c>-side reader over <see cref="HostileStoreCorpus"/>: each call answers with a value or a
/// <see cref="TrackingException"/>; listings skip what they cannot read with a warning; the healthy run reads back
/// exactly. Any other exception (a crash a user would see as a stack trace) fails the sweep, naming the damage and the call.
/// </summary>
public sealed class HostileStoreSweepTests : IDisposable
{
    private readonly HostileStoreCorpus _corpus = new();

    public void Dispose() => _corpus.Dispose();

    [Fact]
    public void EveryReader_AnswersOrThrowsTyped_AndListingsSkipWithAWarning()
    {
        var store = new FileStore(_corpus.Root);
        var warnings = new List<StoreWarning>();
        store.Warning += warnings.Add;
        var crashes = new List<string>();
        T? Call<T>(string what, Func<T> call)
        {
            try { return call(); }
            catch (TrackingException) { return default; }
            catch (Exception e) { crashes.Add($"{what}: {e.GetType().Name}: {e.Message}"); return default; }
        }

        var experiments = Call("SearchExperiments(All)", () => store.SearchExperiments(ViewType.All));
        Assert.NotNull(experiments);
        foreach (var experiment in experiments)
        {
            foreach (var view in new[] { ViewType.ActiveOnly, ViewType.DeletedOnly, ViewType.All })
            {
                var page = Call($"SearchRuns({experiment.ExperimentId}, {view})", () => store.SearchRuns([experiment.ExperimentId], null, view, 1000, null, null));
                Assert.True(page is not null || crashes.Count > 0, $"listing the runs of {experiment.ExperimentId} ({view}) was refused");
            }
            Call($"SearchRuns ordered and filtered in {experiment.ExperimentId}", () =>
                store.SearchRuns([experiment.ExperimentId], "metrics.loss >= 0 and params.p = '1'", ViewType.All, 1000, ["metrics.loss DESC", "start_time"], null));
            Call($"CountRunsByStage({experiment.ExperimentId})", () => store.CountRunsByStage(experiment.ExperimentId));
        }

        foreach (var (damage, runId) in _corpus.DamagedRuns.Prepend(new("healthy", _corpus.HealthyRunId)))
        {
            var run = Call($"{damage}: GetRun", () => store.GetRun(runId));
            if (run is null) continue;
            foreach (var key in run.Data.Metrics.Keys)
                Call($"{damage}: GetMetricHistory({key})", () => store.GetMetricHistory(runId, key));
            Call($"{damage}: GetMetricHistory(folder-metric)", () => store.GetMetricHistory(runId, "folder-metric"));
            Call($"{damage}: artifacts", () => store.GetArtifactRepository(runId).List());
        }
        Assert.True(crashes.Count == 0, "untyped failures:\n" + string.Join('\n', crashes));

        // The listing shows the healthy run as written, and says why the unreadable ones are missing.
        var active = store.SearchRuns([_corpus.ExperimentId], null, ViewType.All, 1000, null, null).Items;
        var healthy = Assert.Single(active, r => r.Info.RunId == _corpus.HealthyRunId);
        Assert.Equal([0.5, 0.25], store.GetMetricHistory(_corpus.HealthyRunId, "loss").Select(m => m.Value));
        Assert.True(double.IsNaN(healthy.Data.Metrics["odd/nested key"].Value));
        Assert.Equal("значение ✓", healthy.Data.Params["ключ"]);
        Assert.Equal("<script>alert(1)</script>", healthy.Data.Tags["note"]);
        Assert.NotEmpty(warnings);
        foreach (var unreadable in new[] { "meta is binary garbage", "meta is empty", "meta is a YAML list", "meta is a folder" })
        {
            var runId = _corpus.DamagedRuns[unreadable];
            Assert.DoesNotContain(active, r => r.Info.RunId == runId);
            Assert.Contains(warnings, w => w.Path.Contains(runId, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void R_ListsExperimentsAndRecorders_OverTheDamagedStore()
    {
        var manager = new ExperimentManager(TrackingUri.FromLocalPath(_corpus.Root), options: new RecorderOptions { CaptureSource = false });
        var experiments = manager.ListExperiments();
        Assert.Contains("hostile", experiments.Keys);
        var recorders = experiments["hostile"].ListRecorders();
        Assert.Contains(_corpus.HealthyRunId, recorders.Keys);
        var healthy = recorders[_corpus.HealthyRunId];
        Assert.Equal("0.1", healthy.ListParams()["lr"]);
    }
}
