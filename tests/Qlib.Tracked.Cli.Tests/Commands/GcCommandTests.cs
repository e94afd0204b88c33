using System.Text.Json;
using System.Text.RegularExpressions;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores;

namespace Qlib.Tracked.Cli.Tests;

/// <summary><c>qtrack gc</c> on copies of the MLflow fixture and on temp stores with chosen deletion times.</summary>
public sealed class GcCommandTests : IDisposable
{
    private const string AlphaExperiment = "589343488860478676";
    private const string DeletedRun = "ecb982f911e548b49c5748830038873b";
    private const string TrashedExperiment = "458801662008474272";
    private const string RunningRun = "17661fc856b14151b9b7066eb6e5cb82";

    private static readonly long Now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
    private static readonly long Day = (long)TimeSpan.FromDays(1).TotalMilliseconds;

    private readonly TempStore _fixture = new(copyFixture: true);
    private readonly TempStore _temp = new(copyFixture: false);

    public void Dispose()
    {
        _fixture.Dispose();
        _temp.Dispose();
    }

    private static string[] RunIds(string store, string view = "all")
    {
        using var json = CliRunner.Run("runs", "--store", store, "--view", view, "--format", "json").Json();
        return json.RootElement.EnumerateArray().Select(r => r.GetProperty("run_id").GetString()!).Order(StringComparer.Ordinal).ToArray();
    }

    private static string[] ExperimentIds(string store)
    {
        using var json = CliRunner.Run("experiments", "--store", store, "--view", "all", "--format", "json").Json();
        return json.RootElement.EnumerateArray().Select(e => e.GetProperty("experiment_id").GetString()!).Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>
    /// Every file of the store with its bytes, to prove a dry run (or a no-op) changes nothing. The run
    /// index's cache files are left out: reading the store may (re)build them, and they hold no data.
    /// </summary>
    private static Dictionary<string, byte[]> Snapshot(string store) =>
        Directory.EnumerateFiles(store, "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetFileName(f).StartsWith(".qtrk-run-index", StringComparison.Ordinal))
            .ToDictionary(f => Path.GetRelativePath(store, f), File.ReadAllBytes);

    private static void SetMetaTime(string metaPath, string key, long value)
    {
        var text = File.ReadAllText(metaPath);
        var replaced = Regex.Replace(text, $"^{key}: .*$", $"{key}: {value}", RegexOptions.Multiline);
        Assert.NotEqual(text, replaced);
        File.WriteAllText(metaPath, replaced);
    }

    [Fact]
    public void Fixture_DryRun_ListsTheDeletedRunAndTheTrashedExperiment_AndChangesNothing()
    {
        var before = Snapshot(_fixture.Store);
        var result = CliRunner.Run("gc", "--dry-run", "--store", _fixture.Store);
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(
            $"would remove experiment {TrashedExperiment} 'qlib_ref_deleted' with 1 run(s) (deleted 2026-11-26 19:40:50)\n"
            + $"would remove run {DeletedRun} 'alpha-deleted' of experiment {AlphaExperiment} (deleted 2026-11-26 19:40:50)\n"
            + "dry run: 1 run(s) and 1 experiment(s) would be removed; 0 run(s) would be marked KILLED\n",
            result.Out);
        Assert.Equal(before.Keys.Order(), Snapshot(_fixture.Store).Keys.Order());
        Assert.All(Snapshot(_fixture.Store), f => Assert.Equal(before[f.Key], f.Value));
    }

    [Fact]
    public void Fixture_Gc_RemovesTheDeletedRunAndTheTrashedExperiment_AndKeepsEverythingElse()
    {
        var activeBefore = CliRunner.Run("runs", "--store", _fixture.Store, "--format", "json").Out;
        var runsBefore = RunIds(_fixture.Store);
        Assert.Contains(DeletedRun, runsBefore);

        var result = CliRunner.Run("gc", "--store", _fixture.Store);
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.EndsWith("1 run(s) and 1 experiment(s) removed; 0 run(s) marked KILLED\n", result.Out);

        Assert.False(Directory.Exists(Path.Combine(_fixture.Store, AlphaExperiment, DeletedRun)));
        Assert.False(Directory.Exists(Path.Combine(_fixture.Store, ".trash", TrashedExperiment)));
        Assert.Empty(Directory.GetDirectories(Path.Combine(_fixture.Store, ".trash")));
        Assert.DoesNotContain(TrashedExperiment, ExperimentIds(_fixture.Store));
        Assert.Equal(runsBefore.Where(id => id != DeletedRun && id != "fb86dd44cb4a40d99e4d95443f286626"), RunIds(_fixture.Store));
        // Active runs read back byte for byte as before: nothing else was touched.
        Assert.Equal(activeBefore, CliRunner.Run("runs", "--store", _fixture.Store, "--format", "json").Out);
        Assert.Equal("", CliRunner.Run("runs", "--store", _fixture.Store, "--view", "all").Error);

        var again = CliRunner.Run("gc", "--store", _fixture.Store);
        Assert.Equal("0 run(s) and 0 experiment(s) removed; 0 run(s) marked KILLED\n", again.Out);
    }

    [Fact]
    public void Fixture_OlderThanACentury_RemovesNothing()
    {
        var before = Snapshot(_fixture.Store);
        var result = CliRunner.Run("gc", "--older-than", "36500d", "--store", _fixture.Store);
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal("0 run(s) and 0 experiment(s) removed; 0 run(s) marked KILLED\n", result.Out);
        Assert.Equal(before.Keys.Order(), Snapshot(_fixture.Store).Keys.Order());
    }

    [Fact]
    public void OlderThan_RemovesOnlyWhatWasDeletedLongerAgo()
    {
        var store = new FileStore(_temp.Store);
        var experiment = store.CreateExperiment("e");
        string NewDeletedRun(string name, long? deletedAt)
        {
            var id = store.CreateRun(experiment, "u", Now - 100 * Day, [], name).Info.RunId;
            store.LogBatch(id, [new Metric("loss", 0.5, Now - 100 * Day, 0)], [], []);
            store.DeleteRun(id);
            var meta = Path.Combine(_temp.Store, experiment, id, "meta.yaml");
            if (deletedAt is { } t) SetMetaTime(meta, "deleted_time", t);
            else File.WriteAllLines(meta, File.ReadAllLines(meta).Where(l => !l.StartsWith("deleted_time:", StringComparison.Ordinal))); // MLflow < 1.28
            return id;
        }
        var old = NewDeletedRun("old", Now - 40 * Day);
        var recent = NewDeletedRun("recent", Now - 1 * Day);
        var undated = NewDeletedRun("undated", null);
        var active = store.CreateRun(experiment, "u", Now, [], "active").Info.RunId;

        var oldExperiment = store.CreateExperiment("old-exp");
        store.CreateRun(oldExperiment, "u", Now - 50 * Day, [], "in-old-exp");
        store.DeleteExperiment(oldExperiment);
        SetMetaTime(Path.Combine(_temp.Store, ".trash", oldExperiment, "meta.yaml"), "last_update_time", Now - 45 * Day);
        var recentExperiment = store.CreateExperiment("recent-exp");
        store.DeleteExperiment(recentExperiment);

        var result = CliRunner.Run("gc", "--older-than", "30d", "--store", _temp.Store);
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains($"removed experiment {oldExperiment} 'old-exp' with 1 run(s)", result.Out);
        Assert.Contains($"removed run {old} 'old'", result.Out);
        Assert.EndsWith("1 run(s) and 1 experiment(s) removed; 0 run(s) marked KILLED\n", result.Out);
        Assert.Equal(new[] { active, recent, undated }.Order(StringComparer.Ordinal), RunIds(_temp.Store));
        Assert.Equal(new[] { "0", experiment, recentExperiment }.Order(StringComparer.Ordinal), ExperimentIds(_temp.Store));

        // Without an age limit everything deleted goes, including the run whose deletion time is unknown.
        var all = CliRunner.Run("gc", "--store", _temp.Store);
        Assert.True(all.ExitCode == 0, all.Error);
        Assert.EndsWith("2 run(s) and 1 experiment(s) removed; 0 run(s) marked KILLED\n", all.Out);
        Assert.Equal([active], RunIds(_temp.Store));
    }

    [Fact]
    public void StaleAfter_MarksARunningRunKilled_EndedAtItsLastFileActivity()
    {
        var folder = Path.Combine(_fixture.Store, AlphaExperiment, RunningRun);
        var lastTouch = new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
            File.SetLastWriteTimeUtc(file, lastTouch.AddHours(-5));
        File.SetLastWriteTimeUtc(Path.Combine(folder, "params", Directory.GetFiles(Path.Combine(folder, "params"))[0]), lastTouch);

        var dry = CliRunner.Run("gc", "--stale-after", "30d", "--dry-run", "--store", _fixture.Store);
        Assert.True(dry.ExitCode == 0, dry.Error);
        Assert.Contains($"would mark run {RunningRun} 'alpha-running' of experiment {AlphaExperiment} KILLED (last activity 2024-01-02 03:04:05)", dry.Out);
        Assert.Contains("status: 1", File.ReadAllText(Path.Combine(folder, "meta.yaml")));

        var result = CliRunner.Run("gc", "--stale-after", "30d", "--older-than", "36500d", "--store", _fixture.Store);
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal($"marked run {RunningRun} 'alpha-running' of experiment {AlphaExperiment} KILLED (last activity 2024-01-02 03:04:05)\n"
            + "0 run(s) and 0 experiment(s) removed; 1 run(s) marked KILLED\n", result.Out);
        using var json = CliRunner.Run("show", RunningRun, "--format", "json", "--store", _fixture.Store).Json();
        var run = json.RootElement.GetProperty("run");
        Assert.Equal("KILLED", run.GetProperty("status").GetString());
        Assert.Equal(new DateTimeOffset(lastTouch).ToUnixTimeMilliseconds(), run.GetProperty("end_time").GetInt64());
    }

    [Fact]
    public void StaleAfter_LeavesRecentlyActiveRuns_AndUsesALaterMetricTimestamp()
    {
        var store = new FileStore(_temp.Store);
        var experiment = store.CreateExperiment("e");
        var fresh = store.CreateRun(experiment, "u", Now - 60 * Day, [], "fresh").Info.RunId; // files written just now
        var copied = store.CreateRun(experiment, "u", Now - 60 * Day, [], "copied").Info.RunId;
        var lastMetric = Now - 40 * Day;
        store.LogBatch(copied, [new Metric("loss", 1, Now - 59 * Day, 0), new Metric("loss", 0.5, lastMetric, 1)], [], []);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(_temp.Store, experiment, copied), "*", SearchOption.AllDirectories))
            File.SetLastWriteTimeUtc(file, DateTimeOffset.FromUnixTimeMilliseconds(Now - 50 * Day).UtcDateTime);

        var result = CliRunner.Run("gc", "--stale-after", "30d", "--store", _temp.Store);
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.EndsWith("1 run(s) marked KILLED\n", result.Out);
        Assert.Equal(RunStatus.Running, store.GetRun(fresh).Info.Status);
        var killed = store.GetRun(copied).Info;
        Assert.Equal(RunStatus.Killed, killed.Status);
        Assert.Equal(lastMetric, killed.EndTime);
    }

    [Theory]
    [InlineData("--older-than", "30")]
    [InlineData("--older-than", "5x")]
    [InlineData("--stale-after", "d")]
    [InlineData("--stale-after", "-3d")]
    public void BadDurations_AreUsageErrors_AndChangeNothing(string option, string value)
    {
        var before = Snapshot(_fixture.Store);
        var result = CliRunner.Run("gc", option, value, "--store", _fixture.Store);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"Invalid {option} '{value}'", result.Error);
        Assert.Equal(before.Keys.Order(), Snapshot(_fixture.Store).Keys.Order());
    }

    [Fact]
    public void AnInterruptedRemoval_IsNeverSeenAsARun_AndTheNextGcFinishesIt()
    {
        // What a gc killed between its rename and its last delete leaves behind.
        var runFolder = Path.Combine(_fixture.Store, AlphaExperiment, DeletedRun);
        var leftover = Path.Combine(_fixture.Store, AlphaExperiment, $".qtrk-purge-{DeletedRun}-0123");
        Directory.Move(runFolder, leftover);

        var listing = CliRunner.Run("runs", "--store", _fixture.Store, "--view", "all", "--format", "json");
        Assert.Equal(0, listing.ExitCode);
        Assert.Equal("", listing.Error); // not even a warning: a hidden folder is never a run
        Assert.DoesNotContain(DeletedRun, listing.Out);
        Assert.Equal(1, CliRunner.Run("show", DeletedRun, "--store", _fixture.Store).ExitCode);

        var result = CliRunner.Run("gc", "--older-than", "36500d", "--store", _fixture.Store);
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.StartsWith("finished 1 removal(s) an earlier gc left incomplete\n", result.Out);
        Assert.False(Directory.Exists(leftover));
    }

    [Fact]
    public void ANonDefaultArtifactLocation_IsLeftInPlace_AndSaidSo()
    {
        var elsewhere = _temp.Combine("artifact-store");
        var store = new FileStore(_temp.Store, new FileStoreOptions { ArtifactRoots = [elsewhere] });
        var experiment = store.CreateExperiment("external", elsewhere);
        var run = store.CreateRun(experiment, "u", Now, [], "r").Info.RunId;
        store.GetArtifactRepository(run).Write("model.bin", [1, 2, 3]);
        store.DeleteRun(run);

        var result = CliRunner.Run("gc", "--store", _temp.Store);
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("are outside the store and were left in place", result.Out);
        Assert.False(Directory.Exists(Path.Combine(_temp.Store, experiment, run)));
        Assert.True(File.Exists(Path.Combine(elsewhere, run, "artifacts", "model.bin")));
    }
}
