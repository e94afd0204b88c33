using Qlib.Tracked.Entities;

namespace Qlib.Tracked.Tests.Workflow;

/// <summary>Recorder, Experiment and ExperimentManager used as explicit objects (no ambient R).</summary>
public sealed class RecorderTests : IDisposable
{
    private readonly TempStore _store = new();

    public void Dispose() => _store.Dispose();

    [Fact]
    public void NewRecorder_IsScheduled_WithoutId_UntilStarted()
    {
        var exp = _store.Manager().GetExp(experimentName: "explicit");
        var rec = exp.CreateRecorder("r");
        Assert.Null(rec.Id);
        Assert.Equal(RunStatus.Scheduled, rec.Status);
        Assert.Equal(ErrorCode.InvalidState, Assert.Throws<TrackingException>(() => rec.LogMetrics(("a", 1.0))).Code);
        Assert.Throws<TrackingException>(rec.GetLocalDir);

        rec.EndRun(RunStatus.Finished); // never started: keeps SCHEDULED locally (Qlib)
        Assert.Equal(RunStatus.Scheduled, rec.Status);

        rec.StartRun();
        Assert.Matches("^[0-9a-f]{32}$", rec.Id!);
        Assert.Equal(RunStatus.Running, rec.Status);
        Assert.NotNull(rec.StartTime);
        Assert.Null(rec.EndTime);
        Assert.Equal(exp.Id, rec.ExperimentId);
        Assert.Equal(_store.Uri, rec.Uri);
        rec.EndRun(RunStatus.Failed);
        Assert.Equal(RunStatus.Failed, rec.Status);
        Assert.NotNull(rec.EndTime);
    }

    [Fact]
    public void Info_HasQlibsKeys()
    {
        var rec = _store.Manager().GetExp().CreateRecorder();
        rec.StartRun();
        var info = rec.Info;
        Assert.Equal(["class", "id", "name", "experiment_id", "start_time", "end_time", "status"], info.Keys);
        Assert.Equal("Recorder", info["class"]);
        Assert.Equal("RUNNING", info["status"]);
        Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$", (string)info["start_time"]!);
        rec.EndRun();

        var expInfo = _store.Manager().GetExp().Info;
        Assert.Equal("Experiment", expInfo["class"]);
        Assert.Equal(new List<string> { rec.Id! }, expInfo["recorders"]);
    }

    [Fact]
    public void Recorders_AreEqualByRunId()
    {
        var exp = _store.Manager().GetExp();
        var rec = exp.Start();
        exp.End();
        var again = exp.GetRecorder(recorderId: rec.Id);
        Assert.NotSame(rec, again);
        Assert.Equal(rec, again);
        Assert.Equal(rec.GetHashCode(), again.GetHashCode());
        Assert.Equal(RunStatus.Finished, again.Status);
    }

    [Fact]
    public void ListMetrics_LatestIsTheHighestStep_ListParams_Strings()
    {
        var exp = _store.Manager().GetExp();
        var rec = exp.Start();
        rec.LogMetrics(5, ("loss", 0.1));
        rec.LogMetrics(2, ("loss", 9.0));
        rec.LogMetric("acc", 0.9);
        rec.LogParams(new Dictionary<string, object?> { ["model.kwargs.lr"] = 1e-05, ["segments"] = new[] { "2020-01-01", "2020-12-31" } });
        var metrics = rec.ListMetrics();
        Assert.Equal(0.1, metrics["loss"]);
        Assert.Equal(0.9, metrics["acc"]);
        var ps = rec.ListParams();
        Assert.Equal("1e-05", ps["model.kwargs.lr"]);
        Assert.Equal("['2020-01-01', '2020-12-31']", ps["segments"]);
        Assert.Equal([5L, 2L], rec.GetMetricHistory("loss").Select(m => m.Step));
        exp.End();
    }

    [Fact]
    public void GetLocalDir_IsTheRunFolder()
    {
        var exp = _store.Manager().GetExp();
        var rec = exp.Start();
        Assert.Equal(Path.Combine(_store.Root, exp.Id, rec.Id!), rec.GetLocalDir());
        Assert.True(File.Exists(Path.Combine(rec.GetLocalDir(), "meta.yaml")));
        exp.End();
    }

    [Fact]
    public void LoggingAfterEndRun_WritesDirectly()
    {
        var exp = _store.Manager().GetExp();
        var rec = exp.Start();
        exp.End();
        rec.LogMetrics(("late", 1.0));
        rec.SetTags(("late", "yes"));
        Assert.Equal(1.0, rec.ListMetrics()["late"]);
        Assert.Equal("yes", rec.ListTags()["late"]);
    }

    [Fact]
    public void EndRun_Killed_IsNotAQlibStatus()
    {
        var rec = _store.Manager().GetExp().Start();
        Assert.Throws<TrackingException>(() => rec.EndRun(RunStatus.Killed));
        rec.EndRun();
    }

    [Fact]
    public void SyncLogging_Option_WritesBeforeReturning()
    {
        var manager = _store.Manager(new RecorderOptions { CaptureSource = false, AsyncLogging = false });
        var rec = manager.GetExp().Start();
        rec.LogMetrics(("m", 2.0));
        Assert.True(File.Exists(Path.Combine(rec.GetLocalDir(), "metrics", "m")));
        rec.EndRun();
    }

    [Fact]
    public void RunFolderDeletedUnderTheWriter_FailureSurfacesAtEndRun()
    {
        var exp = _store.Manager().GetExp();
        var rec = exp.Start();
        rec.Flush();
        Directory.Delete(rec.GetLocalDir(), recursive: true);
        rec.LogMetrics(("lost", 1.0));
        var ex = Assert.ThrowsAny<Exception>(() => exp.End());
        Assert.True(ex is TrackingException or AggregateException, ex.ToString());
        Assert.Equal(RunStatus.Failed, rec.Status);
        // Nothing more is silently accepted.
        Assert.ThrowsAny<Exception>(() => rec.LogMetrics(("later", 2.0)));
    }

    [Fact]
    public void ExperimentManager_GetExp_CreateFalse_Missing_IsDoesNotExist()
    {
        var manager = _store.Manager();
        Assert.Equal(ErrorCode.ResourceDoesNotExist,
            Assert.Throws<TrackingException>(() => manager.GetExp(experimentName: "ghost", create: false)).Code);
        Assert.Null(manager.Client.GetExperimentByName("ghost"));
        Assert.Equal("ghost", manager.GetExp(experimentName: "ghost").Name); // create=True makes it
    }

    [Fact]
    public void ExperimentManager_GetExp_StartTrue_ActivatesAndStarts_OnlyWhenNoneActive()
    {
        var manager = _store.Manager();
        var exp = manager.GetExp(start: true);
        Assert.Same(exp, manager.ActiveExperiment);
        Assert.True(exp.ActiveRecorder!.IsRunning);
        Assert.Same(exp, manager.GetExp(start: true));
        manager.EndExp();
        Assert.Null(manager.ActiveExperiment);
        Assert.Equal(RunStatus.Finished, exp.ListRecorders().Values.Single().Status);
    }

    [Fact]
    public void Experiment_Start_WithoutResume_AlwaysCreatesANewRun()
    {
        var exp = _store.Manager().GetExp();
        var a = exp.Start(recorderName: "same");
        exp.End();
        var b = exp.Start(recorderName: "same");
        exp.End();
        Assert.NotEqual(a.Id, b.Id);
        Assert.Equal(2, exp.ListRecorders().Count);
        Assert.Single(exp.ListRecorders(status: RunStatus.Finished).Values, r => r.Id == a.Id);
    }
}
