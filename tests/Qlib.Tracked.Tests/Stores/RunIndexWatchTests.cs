using System.Globalization;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores;

namespace Qlib.Tracked.Tests.Stores;

/// <summary>
/// The verified index with change notification (inotify): a watched run without events is answered with no stat,
/// and every write behind the index's back — as MLflow's Python store and editors make them — is still in the next
/// query's answer, including after a lost event queue, with a tiny watch budget, and when watching is unavailable.
/// </summary>
public sealed class RunIndexWatchTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _root;
    private readonly string _experimentId;
    private readonly string _experimentFolder;
    private readonly Dictionary<string, string> _ids = [];

    public RunIndexWatchTests()
    {
        _root = _temp.Combine("mlruns");
        var writer = new FileStore(_root, new FileStoreOptions { RunIndexWatch = RunIndexWatch.Never });
        _experimentId = writer.CreateExperiment("watched");
        _experimentFolder = Path.Combine(_root, _experimentId);
        foreach (var (name, score, group) in new[] { ("a", 0.3, "g1"), ("b", 0.6, "g3"), ("c", 0.9, "g3") })
        {
            var id = writer.CreateRun(_experimentId, "u", 100, [new RunTag("team", "t1")], name).Info.RunId;
            writer.LogBatch(id, [new Metric("score", score, 1, 0)], [new Param("group", group)], []);
            writer.UpdateRunInfo(id, RunStatus.Finished, 200, null);
            _ids[name] = id;
        }
        RunIndexTestKit.Age(_root);
    }

    public void Dispose() => _temp.Dispose();

    private FileStore Watched(int? budget = null) =>
        new(_root, new FileStoreOptions { RunIndexWatch = RunIndexWatch.Always, RunIndexWatchBudget = budget });

    private string[] Names(FileStore store, string? filter, params string[] orderBy) =>
        [.. store.SearchRuns([_experimentId], filter, ViewType.ActiveOnly, 1000, orderBy, null).Items.Select(r => r.Info.RunName)];

    /// <summary>The full answer (every returned run's data) of the watched store equals a full scan's; returns the run names.</summary>
    private string[] SameAsFullScan(FileStore store, string? filter, params string[] orderBy)
    {
        var actual = store.SearchRuns([_experimentId], filter, ViewType.ActiveOnly, 1000, orderBy, null).Items;
        var expected = RunIndexTestKit.FullScan(_root).SearchRuns([_experimentId], filter, ViewType.ActiveOnly, 1000, orderBy, null).Items;
        Assert.Equal(RunIndexTestKit.Describe(expected), RunIndexTestKit.Describe(actual));
        return [.. actual.Select(r => r.Info.RunName)];
    }

    /// <summary>Stats the store's index issued for one query.</summary>
    private static long StatsOf(FileStore store, Action query)
    {
        var before = store.RunIndexCounters().Stats;
        query();
        return store.RunIndexCounters().Stats - before;
    }

    private string RunFolder(string name) => Path.Combine(_experimentFolder, _ids[name]);

    /// <summary>A warm watched store whose runs are all clean: the next quiet query stats only the experiment folder.</summary>
    private FileStore WarmWatched()
    {
        var store = Watched();
        Assert.Equal(["c", "b"], SameAsFullScan(store, "params.group = 'g3'", "metrics.score DESC"));
        // Elsewhere there is no inotify: the same tests then check the stats fallback.
        if (OperatingSystem.IsLinux()) Assert.True(StatsOf(store, () => Names(store, "params.group = 'g3'", "metrics.score DESC")) <= 1);
        return store;
    }

    [Fact]
    public void A_watched_run_without_events_is_answered_without_stats_and_an_unwatched_one_is_stat_checked()
    {
        if (!OperatingSystem.IsLinux()) return;
        var watched = Watched();
        var plain = new FileStore(_root, new FileStoreOptions { RunIndexWatch = RunIndexWatch.Never });
        const string filter = "params.group = 'g3' AND tags.team = 't1'";
        foreach (var store in new[] { watched, plain }) Assert.Equal(["c", "b"], SameAsFullScan(store, filter, "metrics.score DESC"));

        // Watched: one stat (the experiment folder's listing), whatever the filter, ordering and returned runs need.
        Assert.Equal(1, StatsOf(watched, () => SameAsFullScan(watched, filter, "metrics.score DESC")));
        // Verified by stats: at least meta.yaml, params/ and the tag per run, and every file of the returned runs.
        Assert.True(StatsOf(plain, () => SameAsFullScan(plain, filter, "metrics.score DESC")) >= 3 * 3);
        var (_, watches, _) = watched.RunIndexCounters();
        Assert.True(watches >= 3 * 4, $"{watches} watches for 3 runs (folder, metrics/, params/, tags/ each) and the experiment");
        Assert.Equal(0, plain.RunIndexCounters().Watches);
    }

    [Fact]
    public void Meta_rewritten_in_place_is_in_the_next_answer()
    {
        var store = WarmWatched();
        var meta = Path.Combine(RunFolder("a"), "meta.yaml");
        File.WriteAllText(meta, File.ReadAllText(meta).Replace("status: 3", "status: 4", StringComparison.Ordinal));
        Assert.Equal(["a"], SameAsFullScan(store, "status = 'FAILED'"));
        var metaC = Path.Combine(RunFolder("c"), "meta.yaml");
        File.WriteAllText(metaC, File.ReadAllText(metaC).Replace("lifecycle_stage: active", "deleted_time: 500\nlifecycle_stage: deleted", StringComparison.Ordinal));
        Assert.Equal(["b"], SameAsFullScan(store, "params.group = 'g3'"));
    }

    [Fact]
    public void A_metric_line_appended_in_place_is_in_the_next_answer()
    {
        var store = WarmWatched();
        File.AppendAllText(Path.Combine(RunFolder("a"), "metrics", "score"), "1700000000009 0.99 5\n");
        Assert.Equal(["a", "c", "b"], SameAsFullScan(store, null, "metrics.score DESC"));
    }

    [Fact]
    public void A_tag_overwritten_in_place_is_in_the_next_answer()
    {
        var store = WarmWatched();
        File.WriteAllText(Path.Combine(RunFolder("b"), "tags", "team"), "t2");
        Assert.Equal(["b"], SameAsFullScan(store, "tags.team = 't2'"));
        Assert.Equal(["c", "a"], SameAsFullScan(store, "tags.team = 't1'", "metrics.score DESC"));
    }

    [Fact]
    public void A_new_param_file_and_a_key_in_a_new_sub_folder_are_in_the_next_answer()
    {
        var store = WarmWatched();
        File.WriteAllText(Path.Combine(RunFolder("a"), "params", "window"), "20");
        Assert.Equal(["a"], SameAsFullScan(store, "params.window = '20'"));
        Directory.CreateDirectory(Path.Combine(RunFolder("b"), "metrics", "train", "epoch"));
        File.WriteAllText(Path.Combine(RunFolder("b"), "metrics", "train", "epoch", "loss"), "1700000000000 0.5 0\n");
        Assert.Equal(["b"], SameAsFullScan(store, "metrics.`train/epoch/loss` < 1"));
        // The new sub-folder is watched now too: a line appended there is seen.
        File.AppendAllText(Path.Combine(RunFolder("b"), "metrics", "train", "epoch", "loss"), "1700000000001 2.5 1\n");
        Assert.Empty(SameAsFullScan(store, "metrics.`train/epoch/loss` < 1"));
    }

    [Fact]
    public void A_watched_sub_folder_removed_and_made_again_is_watched_again()
    {
        var store = WarmWatched();
        var train = Path.Combine(RunFolder("c"), "metrics", "train");
        Directory.CreateDirectory(train);
        File.WriteAllText(Path.Combine(train, "loss"), "1700000000000 0.5 0\n");
        Assert.Equal(["c"], SameAsFullScan(store, "metrics.`train/loss` < 1"));
        Names(store, null); // the new folder is watched from here on
        var watches = store.RunIndexCounters().Watches;
        Directory.Delete(train, recursive: true); // its watch ends (IN_DELETE_SELF, IN_IGNORED)
        Assert.Empty(SameAsFullScan(store, "metrics.`train/loss` < 1"));
        if (OperatingSystem.IsLinux()) Assert.Equal(watches - 1, store.RunIndexCounters().Watches);
        Directory.CreateDirectory(train);
        File.WriteAllText(Path.Combine(train, "loss"), "1700000000000 0.25 0\n");
        Assert.Equal(["c"], SameAsFullScan(store, "metrics.`train/loss` < 0.3"));
        Names(store, null);
        File.AppendAllText(Path.Combine(train, "loss"), "1700000000001 3 1\n"); // seen only if the new folder is watched (or stat'ed)
        Assert.Empty(SameAsFullScan(store, "metrics.`train/loss` < 0.3"));
    }

    [Fact]
    public void The_temp_folder_counts_as_a_local_file_system_and_a_missing_folder_does_not()
    {
        Assert.Equal(OperatingSystem.IsLinux(), Qlib.Tracked.Stores.FileBacked.Index.LocalFileSystem.IsLocal(_root));
        Assert.False(Qlib.Tracked.Stores.FileBacked.Index.LocalFileSystem.IsLocal(Path.Combine(_root, "no-such-folder")));
    }

    [Fact]
    public void A_new_run_folder_and_a_removed_one_are_in_the_next_answer()
    {
        var store = WarmWatched();
        var runId = "0123456789abcdef0123456789abcdef";
        var folder = Path.Combine(_experimentFolder, runId);
        Directory.CreateDirectory(Path.Combine(folder, "params"));
        File.WriteAllText(Path.Combine(folder, "meta.yaml"), Meta(runId, "py-run"));
        File.WriteAllText(Path.Combine(folder, "params", "group"), "g3");
        Directory.Delete(RunFolder("b"), recursive: true);
        Assert.Equal(["c", "py-run"], SameAsFullScan(store, "params.group = 'g3'", "metrics.score DESC"));
    }

    [Fact]
    public void A_metrics_folder_created_after_the_run_was_first_seen_is_in_the_next_answer()
    {
        var runId = "fedcba9876543210fedcba9876543210";
        var folder = Path.Combine(_experimentFolder, runId);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "meta.yaml"), Meta(runId, "late"));
        RunIndexTestKit.Age(_root);
        var store = WarmWatched();
        Directory.CreateDirectory(Path.Combine(folder, "metrics"));
        File.WriteAllText(Path.Combine(folder, "metrics", "score"), "1700000000000 5 0\n");
        Assert.Equal(["late", "c"], SameAsFullScan(store, "metrics.score > 0.7", "metrics.score DESC"));
        // metrics/ is watched from that check on: an append is seen without any other change to the run.
        File.AppendAllText(Path.Combine(folder, "metrics", "score"), "1700000000001 0.1 1\n");
        Assert.Equal(["c"], SameAsFullScan(store, "metrics.score > 0.7"));
    }

    [Fact]
    public void Writes_through_another_store_instance_are_in_the_next_answer()
    {
        var store = WarmWatched();
        var other = new FileStore(_root);
        other.LogBatch(_ids["b"], [new Metric("score", 5, 2, 3)], [], [new RunTag("team", "winners")]);
        other.DeleteRun(_ids["c"]);
        Assert.Equal(["b"], SameAsFullScan(store, "tags.team = 'winners' AND metrics.score >= 5"));
        Assert.Equal(["b", "a"], SameAsFullScan(store, null, "metrics.score DESC"));
    }

    [Fact]
    public void A_lost_event_queue_leaves_answers_exact()
    {
        if (!OperatingSystem.IsLinux()) return;
        var store = WarmWatched();
        // Fill the kernel's queue past max_queued_events: alternating files, so no two events in a row merge.
        var limit = int.Parse(File.ReadAllText("/proc/sys/fs/inotify/max_queued_events").Trim(), CultureInfo.InvariantCulture);
        var first = Path.Combine(RunFolder("a"), "metrics", "noise1");
        var second = Path.Combine(RunFolder("a"), "metrics", "noise2");
        using (var one = new FileStream(first, FileMode.Append))
        using (var two = new FileStream(second, FileMode.Append))
        {
            var line = "1700000000000 1 0\n"u8.ToArray();
            for (var i = 0; i <= limit; i++)
            {
                one.Write(line);
                one.Flush();
                two.Write(line);
                two.Flush();
            }
        }
        // Written after the queue overflowed: its event is dropped, only the overflow says anything changed.
        File.WriteAllText(Path.Combine(RunFolder("c"), "tags", "team"), "late-change");
        Assert.Equal(["c"], SameAsFullScan(store, "tags.team = 'late-change'"));
        Assert.True(store.RunIndexCounters().Overflows > 0, "the event queue never overflowed");
        Assert.True(StatsOf(store, () => Names(store, "tags.team = 'late-change'")) <= 1, "runs were not watched again after the overflow");
    }

    [Fact]
    public void A_tiny_watch_budget_leaves_answers_exact()
    {
        foreach (var budget in new[] { 0, 3, 6 })
        {
            var store = Watched(budget);
            Assert.Equal(["c", "b"], SameAsFullScan(store, "params.group = 'g3'", "metrics.score DESC"));
            Assert.True(store.RunIndexCounters().Watches <= budget);
            File.WriteAllText(Path.Combine(RunFolder("b"), "tags", "team"), "budget" + budget);
            File.AppendAllText(Path.Combine(RunFolder("a"), "metrics", "score"), $"17000000000{10 + budget} {budget} {10 + budget}\n");
            Assert.Equal(["b"], SameAsFullScan(store, $"tags.team = 'budget{budget}'"));
            Assert.Equal(SameAsFullScan(RunIndexTestKit.FullScan(_root), null, "metrics.score DESC"), SameAsFullScan(store, null, "metrics.score DESC"));
        }
    }

    [Fact]
    public void Without_inotify_the_index_falls_back_to_stats()
    {
        var store = new FileStore(_root, new FileStoreOptions { RunIndexWatch = RunIndexWatch.Always, SimulateWatchInitFailure = true });
        Assert.Equal(["c", "b"], SameAsFullScan(store, "params.group = 'g3'", "metrics.score DESC"));
        Assert.True(StatsOf(store, () => SameAsFullScan(store, "params.group = 'g3'", "metrics.score DESC")) >= 3 * 2);
        File.WriteAllText(Path.Combine(RunFolder("b"), "tags", "team"), "t9");
        Assert.Equal(["b"], SameAsFullScan(store, "tags.team = 't9'"));
        Assert.Equal(0, store.RunIndexCounters().Watches);
    }

    [Fact]
    public void Never_mode_does_not_watch()
    {
        var store = new FileStore(_root, new FileStoreOptions { RunIndexWatch = RunIndexWatch.Never });
        for (var i = 0; i < 3; i++) Names(store, "params.group = 'g3'");
        Assert.Equal(0, store.RunIndexCounters().Watches);
    }

    [Fact]
    public void The_removed_trusted_mode_is_refused_by_name()
    {
        var refused = Assert.Throws<ArgumentOutOfRangeException>(() => new FileStoreOptions { RunIndex = (RunIndexMode)2 });
        Assert.Equal("value", refused.ParamName);
        Assert.Contains("Trusted = 2 was removed", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Auto_watches_a_large_experiment_from_its_second_search_and_never_a_small_one()
    {
        if (!OperatingSystem.IsLinux()) return;
        var small = new FileStore(_root);
        for (var i = 0; i < 3; i++) Names(small, null);
        Assert.Equal(0, small.RunIndexCounters().Watches);

        var large = new FileStore(_root).CreateExperiment("large");
        var folder = Path.Combine(_root, large);
        for (var i = 0; i < 1000; i++)
        {
            var runId = i.ToString("x32", CultureInfo.InvariantCulture);
            Directory.CreateDirectory(Path.Combine(folder, runId));
            File.WriteAllText(Path.Combine(folder, runId, "meta.yaml"), Meta(runId, "r" + i, large));
        }
        var store = new FileStore(_root);
        Assert.Equal(1000, store.SearchRuns([large], null, ViewType.ActiveOnly, 10, null, null).Items.Count + 990);
        Assert.Equal(0, store.RunIndexCounters().Watches); // a one-shot query pays for no watch
        store.SearchRuns([large], null, ViewType.ActiveOnly, 10, null, null);
        Assert.True(store.RunIndexCounters().Watches >= 1000);
        File.WriteAllText(Path.Combine(folder, 7.ToString("x32", CultureInfo.InvariantCulture), "meta.yaml"), Meta(7.ToString("x32", CultureInfo.InvariantCulture), "renamed", large));
        Assert.Equal(["renamed"], store.SearchRuns([large], "run_name = 'renamed'", ViewType.ActiveOnly, 10, null, null).Items.Select(r => r.Info.RunName));
    }

    private string Meta(string runId, string name, string? experimentId = null) =>
        $"artifact_uri: file:///elsewhere/{runId}/artifacts\nend_time: 300\nentry_point_name: ''\nexperiment_id: '{experimentId ?? _experimentId}'\n" +
        $"lifecycle_stage: active\nrun_id: {runId}\nrun_name: {name}\nrun_uuid: {runId}\nsource_name: ''\nsource_type: 4\n" +
        "source_version: ''\nstart_time: 150\nstatus: 3\ntags: []\nuser_id: python\n";
}
