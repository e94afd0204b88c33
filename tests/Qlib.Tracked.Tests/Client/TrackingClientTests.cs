using Qlib.Tracked.Entities;
using Qlib.Tracked.Tests.Workflow;
using Qlib.Tracked.Client;

namespace Qlib.Tracked.Tests.Tracking;

public sealed class TrackingClientTests : IDisposable
{
    private readonly TempStore _store = new();
    private readonly TrackingClient _client;

    public TrackingClientTests() => _client = new TrackingClient(_store.Uri);

    public void Dispose() => _store.Dispose();

    private string NewRun(string name = "r") => _client.CreateRun(_client.CreateExperiment("e-" + Guid.NewGuid().ToString("N")[..6]), runName: name).Info.RunId;

    [Fact]
    public void LogParam_StoresPythonSpelling_InTheParamFile()
    {
        var run = NewRun();
        Assert.Equal("True", _client.LogParam(run, "flag", true));
        _client.LogParam(run, "nothing", null);
        _client.LogParam(run, "list", new object[] { 1, 2, "a" });
        var info = _client.GetRun(run);
        Assert.Equal("True", info.Data.Params["flag"]);
        Assert.Equal("None", info.Data.Params["nothing"]);
        Assert.Equal("[1, 2, 'a']", info.Data.Params["list"]);
    }

    [Fact]
    public void LogMetric_Defaults_StepZero_TimestampNow()
    {
        var run = NewRun();
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        _client.LogMetric(run, "m", 1.5);
        var m = Assert.Single(_client.GetMetricHistory(run, "m"));
        Assert.Equal(0, m.Step);
        Assert.InRange(m.Timestamp, before, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
    }

    [Fact]
    public void LogBatch_OverTheLimits_OrDuplicateParams_IsInvalid()
    {
        var run = NewRun();
        var tooMany = Enumerable.Range(0, 1001).Select(i => new Metric("m", i, 0, i));
        Assert.Equal(ErrorCode.InvalidParameterValue, Assert.Throws<TrackingException>(() => _client.LogBatch(run, tooMany)).Code);
        var dup = new[] { new Param("a", "1"), new Param("a", "1") };
        Assert.Contains("Duplicate", Assert.Throws<TrackingException>(() => _client.LogBatch(run, parameters: dup)).Message);
    }

    [Fact]
    public void SetTerminated_And_UpdateRun()
    {
        var run = NewRun();
        _client.SetTerminated(run);
        Assert.Equal(RunStatus.Finished, _client.GetRun(run).Info.Status);
        Assert.NotNull(_client.GetRun(run).Info.EndTime);
        _client.UpdateRun(run, RunStatus.Running);
        Assert.Equal(RunStatus.Running, _client.GetRun(run).Info.Status);
        Assert.Null(_client.GetRun(run).Info.EndTime);
    }

    [Fact]
    public void SearchRuns_MaxResultsOutOfRange_IsInvalid()
    {
        Assert.Throws<TrackingException>(() => _client.SearchRuns(["0"], maxResults: 50_001));
        Assert.Throws<TrackingException>(() => _client.SearchRuns(["0"], maxResults: 0));
    }

    [Fact]
    public void SearchAllRuns_CrossesPages()
    {
        var exp = _client.CreateExperiment("paged");
        for (var i = 0; i < 5; i++) _client.CreateRun(exp, startTime: 1000 + i, runName: $"r{i}");
        var page = _client.SearchRuns([exp], maxResults: 2);
        Assert.Equal(2, page.Items.Count);
        Assert.NotNull(page.NextPageToken);
        Assert.Equal(["r4", "r3", "r2", "r1", "r0"], _client.SearchAllRuns([exp]).Select(r => r.Info.RunName));
    }

    [Fact]
    public void InvalidIds_AndNames_AreRejectedBeforeTheStore()
    {
        Assert.Throws<TrackingException>(() => _client.GetRun("bad!id"));
        Assert.Throws<TrackingException>(() => _client.CreateExperiment(""));
        Assert.Throws<TrackingException>(() => _client.LogMetric(NewRun(), "bad!name", 1));
    }

    [Fact]
    public void Experiments_Rename_Tag_Delete_Restore()
    {
        var id = _client.CreateExperiment("old");
        _client.RenameExperiment(id, "new");
        _client.SetExperimentTag(id, "team", "alpha");
        Assert.Equal("alpha", _client.GetExperimentByName("new")!.Tags["team"]);
        _client.DeleteExperiment(id);
        Assert.Null(_client.GetExperimentByName("new"));
        _client.RestoreExperiment(id);
        Assert.Equal(LifecycleStage.Active, _client.GetExperiment(id).LifecycleStage);
    }

    [Fact]
    public void LogArtifact_File_AndDirectoryAsAFolder()
    {
        var run = NewRun();
        var file = Path.Combine(_store.Folder, "note.txt");
        File.WriteAllText(file, "hi");
        var dir = Path.Combine(_store.Folder, "plots");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "a.txt"), "a");
        _client.LogArtifact(run, file);
        _client.LogArtifact(run, dir, "figs");
        var root = _client.ListArtifacts(run).Select(a => a.Path).ToList();
        Assert.Contains("note.txt", root);
        Assert.Contains("figs", root);
        Assert.Contains("figs/plots", _client.ListArtifacts(run, "figs").Select(a => a.Path));
        var local = _client.DownloadArtifacts(run, "note.txt", Path.Combine(_store.Folder, "dl"));
        Assert.Equal("hi", File.ReadAllText(local));
        Assert.Throws<TrackingException>(() => _client.LogArtifact(run, Path.Combine(_store.Folder, "missing.txt")));
    }
}
