using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores;

namespace Qlib.Tracked.Tests.Stores;

/// <summary>
/// A meta.yaml field that is there but unreadable (a start_time that is not a number, an unknown status) makes the
/// run or experiment unreadable: skipped from listings with a warning naming the file, the field and the rule, and a
/// typed error when asked for by id — never listed with a made-up value (1970, RUNNING, active).
/// </summary>
public sealed class DamagedMetaFieldTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("start_time", "start_time: not-a-number", "not a time")]
    [InlineData("start_time", "start_time: 1.5", "not a time")]
    [InlineData("start_time", "start_time: 99999999999999999", "outside the times a date can show")]
    [InlineData("start_time", "start_time: [1, 2]", "list or mapping")]
    [InlineData("end_time", "end_time: '2024-01-01'", "not a time")]
    [InlineData("status", "status: 9", "not a run status")]
    [InlineData("status", "status: BOGUS", "not a run status")]
    [InlineData("status", "status: {a: b}", "not a run status")]
    [InlineData("lifecycle_stage", "lifecycle_stage: gone", "not a lifecycle stage")]
    [InlineData("deleted_time", "deleted_time: yesterday", "not a time")]
    [InlineData("run_name", "run_name: [a, b]", "not text")]
    [InlineData("user_id", "user_id: {who: me}", "not text")]
    public void AnUnreadableRunField_SkipsTheRunWithAWarning_AndGetRunIsATypedError(string field, string line, string rule)
    {
        foreach (var mode in new[] { RunIndexMode.Verified, RunIndexMode.Off })
        {
            using var dir = new TempDirectory();
            var (experimentId, damagedId, goodId) = StoreWithTwoRuns(dir.Path);
            var meta = Path.Combine(dir.Path, experimentId, damagedId, "meta.yaml");
            File.WriteAllLines(meta, File.ReadAllLines(meta).Where(l => !l.StartsWith(field + ":", StringComparison.Ordinal)).Append(line));

            var store = new FileStore(dir.Path, new FileStoreOptions { RunIndex = mode });
            var warnings = new List<StoreWarning>();
            store.Warning += warnings.Add;

            var listed = store.SearchRuns([experimentId], null, ViewType.All, 100, null, null).Items;
            Assert.Equal([goodId], listed.Select(r => r.Info.RunId));
            var warning = Assert.Single(warnings, w => w.Path.EndsWith("meta.yaml", StringComparison.Ordinal));
            Assert.Contains(damagedId, warning.Path);
            Assert.Contains(field, warning.Message);
            Assert.Contains(rule, warning.Message);

            var error = Assert.Throws<TrackingException>(() => store.GetRun(damagedId));
            Assert.Contains(field, error.Message);
            Assert.Contains(rule, error.Message);
            Assert.Contains("meta.yaml", error.Message);
        }
    }

    [Fact]
    public void AbsentOrNullFields_KeepMlflowsDefaults()
    {
        var (experimentId, runId, _) = StoreWithTwoRuns(_dir.Path);
        var meta = Path.Combine(_dir.Path, experimentId, runId, "meta.yaml");
        File.WriteAllLines(meta, File.ReadAllLines(meta)
            .Where(l => !l.StartsWith("status:", StringComparison.Ordinal) && !l.StartsWith("lifecycle_stage:", StringComparison.Ordinal))
            .Select(l => l.StartsWith("end_time:", StringComparison.Ordinal) ? "end_time: null" : l));

        var info = new FileStore(_dir.Path).GetRun(runId).Info;

        Assert.Equal(RunStatus.Running, info.Status); // MLflow: a meta without status is RUNNING
        Assert.Equal(LifecycleStage.Active, info.LifecycleStage);
        Assert.Null(info.EndTime);
    }

    [Theory]
    [InlineData("creation_time", "creation_time: soon", "not a time")]
    [InlineData("last_update_time", "last_update_time: -99999999999999999", "outside the times a date can show")]
    [InlineData("lifecycle_stage", "lifecycle_stage: archived", "not a lifecycle stage")]
    public void AnUnreadableExperimentField_SkipsTheExperimentWithAWarning(string field, string line, string rule)
    {
        var (experimentId, _, _) = StoreWithTwoRuns(_dir.Path);
        var meta = Path.Combine(_dir.Path, experimentId, "meta.yaml");
        File.WriteAllLines(meta, File.ReadAllLines(meta).Where(l => !l.StartsWith(field + ":", StringComparison.Ordinal)).Append(line));

        var store = new FileStore(_dir.Path);
        var warnings = new List<StoreWarning>();
        store.Warning += warnings.Add;

        Assert.DoesNotContain(experimentId, store.SearchExperiments(ViewType.All).Select(e => e.ExperimentId));
        var warning = Assert.Single(warnings);
        Assert.Contains(experimentId, warning.Path);
        Assert.Contains(field, warning.Message);
        Assert.Contains(rule, warning.Message);
        Assert.Throws<TrackingException>(() => store.GetExperiment(experimentId));
    }

    [Fact]
    public void AQuotedValue_IsShortenedAndItsControlCharactersShownEscaped()
    {
        var (experimentId, runId, _) = StoreWithTwoRuns(_dir.Path);
        var meta = Path.Combine(_dir.Path, experimentId, runId, "meta.yaml");
        var hostile = "\"\\e[31m" + new string('x', 5000) + "\"";
        File.WriteAllLines(meta, File.ReadAllLines(meta).Where(l => !l.StartsWith("status:", StringComparison.Ordinal)).Append("status: " + hostile));

        var error = Assert.Throws<TrackingException>(() => new FileStore(_dir.Path).GetRun(runId));

        Assert.Contains("\\u001b[31m", error.Message);
        Assert.DoesNotContain('\u001b', error.Message);
        Assert.True(error.Message.Length < 600, error.Message);
    }

    private static (string ExperimentId, string FirstRun, string SecondRun) StoreWithTwoRuns(string root)
    {
        var store = new FileStore(root);
        var experimentId = store.CreateExperiment("damaged-fields");
        var first = store.CreateRun(experimentId, "u", 1_700_000_000_000, null, "first").Info.RunId;
        store.UpdateRunInfo(first, RunStatus.Finished, 1_700_000_001_000, null);
        var second = store.CreateRun(experimentId, "u", 1_700_000_002_000, null, "second").Info.RunId;
        return (experimentId, first, second);
    }
}
