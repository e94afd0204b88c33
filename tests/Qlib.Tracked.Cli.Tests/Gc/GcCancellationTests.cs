using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores;
using Qlib.Tracked.Tool.Gc;

namespace Qlib.Tracked.Cli.Tests;

/// <summary>
/// Ctrl+C during gc: the command's cancellation token is signalled mid-way (here from the step callback,
/// exactly where the console handler would land between two steps); the store must stay whole.
/// </summary>
public sealed class GcCancellationTests : IDisposable
{
    private readonly TempStore _temp = new(copyFixture: false);

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void CancellingAfterTheFirstRemoval_StopsThere_AndLeavesEveryOtherRunWhole()
    {
        var store = new FileStore(_temp.Store);
        var experiment = store.CreateExperiment("e");
        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var id = store.CreateRun(experiment, "u", 1000 + i, [], $"run{i}").Info.RunId;
            store.LogBatch(id, [new Metric("loss", i, 1000 + i, 0)], [new Param("p", i.ToString())], []);
            store.GetArtifactRepository(id).Write("a.txt", [(byte)i]);
            store.DeleteRun(id);
            ids.Add(id);
        }

        var gc = new GarbageCollector(store, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var options = new GcOptions(null, null, DryRun: false);
        var plan = gc.Plan(options);
        Assert.Equal(ids.Order(StringComparer.Ordinal), plan.Select(p => p.Id));

        using var interrupt = new CancellationTokenSource();
        var outcomes = gc.Execute(plan, options, _ => interrupt.Cancel(), interrupt.Token);

        var removed = Assert.Single(outcomes).Item.Id;
        Assert.False(Directory.Exists(Path.Combine(_temp.Store, experiment, removed)));
        var fresh = new FileStore(_temp.Store);
        var warnings = new List<StoreWarning>();
        fresh.Warning += warnings.Add;
        foreach (var id in ids.Where(id => id != removed))
        {
            var run = fresh.GetRun(id);
            Assert.Equal(LifecycleStage.Deleted, run.Info.LifecycleStage);
            Assert.Single(run.Data.Metrics);
            Assert.Single(run.Data.Params);
            Assert.True(fresh.GetArtifactRepository(id).Exists("a.txt"));
        }
        Assert.Equal(3, fresh.SearchRuns([experiment], null, ViewType.All, 100, null, null).Items.Count);
        Assert.Empty(warnings);
        Assert.Empty(Directory.GetDirectories(Path.Combine(_temp.Store, experiment), ".*"));

        // Running gc again finishes the job.
        var rest = new GarbageCollector(fresh, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        Assert.Equal(3, rest.Execute(rest.Plan(options), options, null, CancellationToken.None).Count);
        Assert.Empty(fresh.SearchRuns([experiment], null, ViewType.All, 100, null, null).Items);
    }

    [Fact]
    public void ARunRestoredAfterThePlan_IsSkipped_AndTheOtherStepsStillRun()
    {
        var store = new FileStore(_temp.Store);
        var experiment = store.CreateExperiment("e");
        var restored = store.CreateRun(experiment, "u", 1, [], "restored").Info.RunId;
        var removed = store.CreateRun(experiment, "u", 2, [], "removed").Info.RunId;
        store.DeleteRun(restored);
        store.DeleteRun(removed);
        var gc = new GarbageCollector(store, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var options = new GcOptions(null, null, DryRun: false);
        var plan = gc.Plan(options);
        Assert.Equal(2, plan.Count);

        new FileStore(_temp.Store).RestoreRun(restored); // another process, between plan and execution
        var outcomes = gc.Execute(plan, options, null, CancellationToken.None);

        var skipped = Assert.Single(outcomes, o => o.Item.Id == restored);
        Assert.False(skipped.Done);
        Assert.False(skipped.Failed);
        Assert.Contains("only deleted runs can be removed", skipped.Note);
        Assert.Equal(LifecycleStage.Active, store.GetRun(restored).Info.LifecycleStage);
        Assert.True(Assert.Single(outcomes, o => o.Item.Id == removed).Done);
        Assert.Throws<TrackingException>(() => store.GetRun(removed));
    }

    [Fact]
    public void ADryRun_ReportsEveryStep_AndRemovesNothing()
    {
        var store = new FileStore(_temp.Store);
        var experiment = store.CreateExperiment("e");
        var id = store.CreateRun(experiment, "u", 1, [], "r").Info.RunId;
        store.DeleteRun(id);
        var gc = new GarbageCollector(store, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var options = new GcOptions(null, null, DryRun: true);
        var outcome = Assert.Single(gc.Execute(gc.Plan(options), options, null, CancellationToken.None));
        Assert.True(outcome.Done);
        Assert.Equal(LifecycleStage.Deleted, store.GetRun(id).Info.LifecycleStage);
    }
}

/// <summary>The store-level guards gc relies on.</summary>
public sealed class PurgeGuardTests : IDisposable
{
    private readonly TempStore _temp = new(copyFixture: false);

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void AnActiveRun_OrAnActiveExperiment_CannotBePurged()
    {
        var store = new FileStore(_temp.Store);
        var experiment = store.CreateExperiment("e");
        var run = store.CreateRun(experiment, "u", 1, [], "r").Info.RunId;

        var runError = Assert.Throws<TrackingException>(() => store.PurgeRun(run));
        Assert.Equal(ErrorCode.InvalidState, runError.Code);
        Assert.Contains("only deleted runs", runError.Message);
        var experimentError = Assert.Throws<TrackingException>(() => store.PurgeExperiment(experiment));
        Assert.Equal(ErrorCode.ResourceDoesNotExist, experimentError.Code);
        Assert.Equal(RunStatus.Running, store.GetRun(run).Info.Status);
        Assert.NotNull(store.GetExperiment(experiment));
    }
}
