using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores;

namespace Qlib.Tracked.Tests.Stores;

/// <summary>
/// <see cref="RunIndexMode.Trusted"/> is opt-in and not exact: it sees new and removed run folders and its
/// own writes, and (as documented) not other processes' in-place edits of runs it already holds.
/// </summary>
public sealed class RunIndexTrustedModeTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _root;
    private readonly FileStore _trusted;
    private readonly string _experimentId;
    private readonly string _runA;

    public RunIndexTrustedModeTests()
    {
        _root = _temp.Combine("mlruns");
        _trusted = new FileStore(_root, new FileStoreOptions { RunIndex = RunIndexMode.Trusted });
        _experimentId = _trusted.CreateExperiment("trusted");
        _runA = _trusted.CreateRun(_experimentId, "u", 100, [], "a").Info.RunId;
        _trusted.LogBatch(_runA, [new Metric("score", 0.5, 1, 0)], [new Param("group", "g3")], []);
        RunIndexTestKit.Age(_root);
        Assert.Equal(["a"], Names(_trusted, "metrics.score > 0.1"));
    }

    public void Dispose() => _temp.Dispose();

    private string[] Names(FileStore store, string? filter, params string[] orderBy) =>
        [.. store.SearchRuns([_experimentId], filter, ViewType.ActiveOnly, 1000, orderBy, null).Items.Select(r => r.Info.RunName)];

    [Fact]
    public void Its_own_writes_are_seen()
    {
        _trusted.LogBatch(_runA, [new Metric("score", 0.05, 2, 1)], [], [new RunTag("team", "t1")]);
        Assert.Empty(Names(_trusted, "metrics.score > 0.1"));
        Assert.Equal(["a"], Names(_trusted, "tags.team = 't1'"));
        _trusted.DeleteRun(_runA);
        Assert.Empty(Names(_trusted, null));
    }

    [Fact]
    public void Run_folders_added_by_other_processes_are_seen()
    {
        var other = new FileStore(_root);
        var b = other.CreateRun(_experimentId, "u", 200, [], "b").Info.RunId;
        other.LogBatch(b, [new Metric("score", 0.9, 1, 0)], [], []);
        Assert.Equal(["b", "a"], Names(_trusted, "metrics.score > 0.1", "metrics.score DESC"));
    }

    [Fact]
    public void Other_processes_in_place_edits_of_known_runs_are_not_seen_but_a_verified_store_sees_them()
    {
        File.AppendAllText(Path.Combine(_root, _experimentId, _runA, "metrics", "score"), "5 0.01 9\n");
        Assert.Equal(["a"], Names(_trusted, "metrics.score > 0.1")); // stale by design: the documented price of Trusted
        Assert.Empty(Names(new FileStore(_root), "metrics.score > 0.1"));
    }
}
