using Qlib.Tracked.Entities;

namespace Qlib.Tracked.Tests.Workflow;

/// <summary>Every test that touches the static <see cref="R"/> lives in this one collection (run one at a time).</summary>
[CollectionDefinition("ambient R", DisableParallelization = true)]
public sealed class AmbientRCollection;

[Collection("ambient R")]
public sealed class AmbientRTests : IDisposable
{
    private readonly TempStore _store = new();
    private readonly QlibRecorder _previous;

    public AmbientRTests()
    {
        _previous = R.Current;
        _previous.EndExp(RunStatus.Failed);
        R.Register(_store.Recorder());
    }

    public void Dispose()
    {
        try { R.EndExp(RunStatus.Failed); } catch (TrackingException) { } catch (AggregateException) { }
        R.Register(_previous);
        _store.Dispose();
    }

    private static Run StoredRun(string id) => R.Current.ExperimentManager.Client.GetRun(id);

    [Fact]
    public void Start_CompleteThenDispose_EndsFinished()
    {
        string id;
        using (var scope = R.Start(experimentName: "scopes"))
        {
            id = scope.Recorder.Id!;
            Assert.Equal(RunStatus.Running, StoredRun(id).Info.Status);
            R.LogMetrics(("ic", 0.05));
            scope.Complete();
        }
        var run = StoredRun(id);
        Assert.Equal(RunStatus.Finished, run.Info.Status);
        Assert.NotNull(run.Info.EndTime);
        Assert.Equal(0.05, run.Data.Metrics["ic"].Value);
        Assert.Null(R.Current.ExperimentManager.ActiveExperiment);
    }

    [Fact]
    public void Start_DisposeWithoutComplete_EndsFailed()
    {
        string id;
        using (var scope = R.Start(experimentName: "scopes"))
        {
            id = scope.Recorder.Id!;
            R.LogParams(("lr", 0.01));
        }
        Assert.Equal(RunStatus.Failed, StoredRun(id).Info.Status);
        Assert.Equal("0.01", StoredRun(id).Data.Params["lr"]);
    }

    [Fact]
    public async Task Start_DisposeAsync_EndsLikeDispose()
    {
        string id;
        await using (var scope = R.Start(experimentName: "scopes"))
        {
            id = scope.Recorder.Id!;
            scope.Complete();
        }
        Assert.Equal(RunStatus.Finished, StoredRun(id).Info.Status);
    }

    [Fact]
    public void Run_BodyReturns_Finished_AndYieldsTheActiveExperiment()
    {
        string? id = null;
        R.Run(exp =>
        {
            Assert.Same(exp, R.GetExp());
            Assert.Equal("runs", exp.Name);
            id = exp.ActiveRecorder!.Id;
        }, experimentName: "runs");
        Assert.Equal(RunStatus.Finished, StoredRun(id!).Info.Status);
    }

    [Fact]
    public void Run_BodyThrows_Failed_AndRethrows()
    {
        string? id = null;
        var ex = Assert.Throws<InvalidOperationException>(() => R.Run(exp =>
        {
            id = exp.ActiveRecorder!.Id;
            throw new InvalidOperationException("model diverged");
        }));
        Assert.Equal("model diverged", ex.Message);
        Assert.Equal(RunStatus.Failed, StoredRun(id!).Info.Status);
        Assert.Null(R.Current.ExperimentManager.ActiveExperiment);
    }

    [Fact]
    public async Task RunAsync_BodyThrows_Failed_AndRethrows()
    {
        string? id = null;
        await Assert.ThrowsAsync<TimeoutException>(() => R.RunAsync(async exp =>
        {
            await Task.Yield();
            id = exp.ActiveRecorder!.Id;
            throw new TimeoutException();
        }));
        Assert.Equal(RunStatus.Failed, StoredRun(id!).Info.Status);

        await R.RunAsync(async exp => { await Task.Yield(); id = exp.ActiveRecorder!.Id; });
        Assert.Equal(RunStatus.Finished, StoredRun(id!).Info.Status);
    }

    [Fact]
    public void Defaults_ExperimentNamedExperiment_RecorderNamedMlflowRecorder()
    {
        R.Run(exp =>
        {
            Assert.Equal("Experiment", exp.Name);
            Assert.Equal("mlflow_recorder", exp.ActiveRecorder!.Name);
            Assert.Equal("mlflow_recorder", R.GetRecorder().ListTags()["mlflow.runName"]);
        });
    }

    [Fact]
    public void ListRecorders_NewestFirst()
    {
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            R.Run(exp => ids.Add(exp.ActiveRecorder!.Id!), experimentName: "many", recorderName: $"r{i}");
            Thread.Sleep(5); // distinct start times (ms)
        }
        var listed = R.ListRecorders(experimentName: "many");
        Assert.Equal(Enumerable.Reverse(ids), listed.Keys);
        Assert.Equal(["r2", "r1", "r0"], listed.Values.Select(r => r.Name));
        Assert.All(listed.Values, r => Assert.Equal(RunStatus.Finished, r.Status));
    }

    [Fact]
    public void ListRecorders_UnknownExperiment_CreatesIt()
    {
        Assert.Empty(R.ListRecorders(experimentName: "made-by-listing"));
        Assert.Contains("made-by-listing", R.ListExperiments().Keys);
    }

    [Fact]
    public void GetRecorder_ById_ByNameNewest_Active_AndDefault()
    {
        string first = "", second = "";
        R.Run(exp => first = exp.ActiveRecorder!.Id!, recorderName: "train");
        Thread.Sleep(5);
        R.Run(exp => second = exp.ActiveRecorder!.Id!, recorderName: "train");

        Assert.Equal(first, R.GetRecorder(recorderId: first).Id);
        Assert.Equal(second, R.GetRecorder(recorderName: "train", experimentName: "Experiment").Id);

        using (var scope = R.Start())
        {
            Assert.Same(scope.Recorder, R.GetRecorder());
            scope.Complete();
        }
        // Outside a scope with no name: the newest "mlflow_recorder" (Qlib, despite its docstring).
        Assert.Equal("mlflow_recorder", R.GetRecorder().Name);

        var missing = Assert.Throws<TrackingException>(() => R.GetRecorder(recorderName: "nope"));
        Assert.Equal(ErrorCode.ResourceDoesNotExist, missing.Code);
        Assert.Throws<TrackingException>(() => R.GetRecorder(experimentName: "no-such-experiment"));
    }

    [Fact]
    public void LoggingOutsideAScope_StartsTheDefaultExperiment_UntilEndExp()
    {
        R.LogParams(("lr", 0.1), ("use_gpu", true));
        var active = R.Current.ExperimentManager.ActiveExperiment;
        Assert.NotNull(active);
        Assert.Equal("Experiment", active.Name);
        var recorder = active.ActiveRecorder!;
        Assert.Equal("mlflow_recorder", recorder.Name);
        Assert.Equal(RunStatus.Running, recorder.Status);

        R.LogMetrics(3, ("loss", 0.25));
        R.SetTags(("hostname", "box"));
        Assert.Same(recorder, R.Current.ExperimentManager.ActiveExperiment!.ActiveRecorder);

        R.EndExp();
        var run = StoredRun(recorder.Id!);
        Assert.Equal(RunStatus.Finished, run.Info.Status);
        Assert.Equal("0.1", run.Data.Params["lr"]);
        Assert.Equal("True", run.Data.Params["use_gpu"]);
        Assert.Equal(3, run.Data.Metrics["loss"].Step);
        Assert.Equal("box", run.Data.Tags["hostname"]);
        R.EndExp(); // harmless a second time
    }

    [Fact]
    public void DeleteExp_ByName_And_ById()
    {
        R.Run(_ => { }, experimentName: "doomed");
        var id = R.GetExp(experimentName: "other").Id;
        R.DeleteExp(experimentName: "doomed");
        R.DeleteExp(experimentId: id);
        Assert.DoesNotContain("doomed", R.ListExperiments().Keys);
        Assert.DoesNotContain("other", R.ListExperiments().Keys);
        Assert.Equal(ErrorCode.ResourceDoesNotExist,
            Assert.Throws<TrackingException>(() => R.GetExp(experimentName: "doomed", create: false)).Code);
        Assert.Equal(ErrorCode.ResourceDoesNotExist,
            Assert.Throws<TrackingException>(() => R.GetExp(experimentId: id, create: false)).Code);
        Assert.Throws<TrackingException>(() => R.DeleteExp(experimentName: "never-was"));
    }

    [Fact]
    public void DeleteRecorder_ById_And_ByName()
    {
        string a = "", b = "";
        R.Run(exp => a = exp.ActiveRecorder!.Id!, recorderName: "a");
        R.Run(exp => b = exp.ActiveRecorder!.Id!, recorderName: "b");
        R.DeleteRecorder(recorderId: a);
        R.DeleteRecorder(recorderName: "b");
        Assert.Empty(R.ListRecorders());
        Assert.Equal(LifecycleStage.Deleted, StoredRun(a).Info.LifecycleStage);
        Assert.Equal(LifecycleStage.Deleted, StoredRun(b).Info.LifecycleStage);
    }

    [Fact]
    public void Uri_StartUri_WinsWhileActive_UriContext_Restores_SetUri_Sticks()
    {
        var defaultUri = R.GetUri();
        Assert.Equal(_store.Uri, defaultUri);
        using var other = new TempStore();

        using (var scope = R.Start(uri: other.Uri))
        {
            Assert.Equal(other.Uri, R.GetUri());
            Assert.Equal(other.Uri, scope.Experiment.Uri);
            scope.Complete();
        }
        Assert.Equal(defaultUri, R.GetUri());
        Assert.True(Directory.Exists(other.Root));

        using (R.UriContext(other.Uri))
        {
            Assert.Equal(other.Uri, R.GetUri());
        }
        Assert.Equal(defaultUri, R.GetUri());

        R.SetUri(other.Uri);
        Assert.Equal(other.Uri, R.GetUri());
        R.SetUri(defaultUri);
    }

    [Fact]
    public void DefaultUri_IsCwdMlruns_OrTheEnvironmentVariable()
    {
        var saved = Environment.GetEnvironmentVariable(ExperimentManager.UriEnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(ExperimentManager.UriEnvironmentVariable, null);
            Assert.Equal("file:" + Environment.CurrentDirectory.TrimEnd('/') + "/mlruns", new ExperimentManager().DefaultUri);
            Environment.SetEnvironmentVariable(ExperimentManager.UriEnvironmentVariable, _store.Uri);
            Assert.Equal(_store.Uri, new ExperimentManager().DefaultUri);
        }
        finally
        {
            Environment.SetEnvironmentVariable(ExperimentManager.UriEnvironmentVariable, saved);
        }
    }

    [Fact]
    public void Resume_ContinuesTheSameRun_RunningAgain_ThenFinished()
    {
        string id = "";
        R.Run(exp => { id = exp.ActiveRecorder!.Id!; R.LogParams(("lr", 0.1)); R.LogMetrics(0, ("loss", 1.0)); }, recorderName: "long");
        using (var scope = R.Start(recorderName: "long", resume: true))
        {
            Assert.Equal(id, scope.Recorder.Id);
            Assert.Equal(RunStatus.Running, StoredRun(id).Info.Status);
            Assert.Null(StoredRun(id).Info.EndTime);
            R.LogParams(("lr", 0.1)); // same value: fine
            R.LogMetrics(1, ("loss", 0.5));
            Assert.Throws<TrackingException>(() => R.LogParams(("lr", 0.2)));
            scope.Complete();
        }
        var run = StoredRun(id);
        Assert.Equal(RunStatus.Finished, run.Info.Status);
        Assert.Equal(0.5, run.Data.Metrics["loss"].Value);
        Assert.Equal(2, R.GetRecorder(recorderId: id).GetMetricHistory("loss").Count);
        Assert.Single(R.ListRecorders());
    }

    [Fact]
    public void Resume_ById()
    {
        string id = "";
        R.Run(exp => id = exp.ActiveRecorder!.Id!);
        using var scope = R.Start(recorderId: id, resume: true);
        Assert.Equal(id, scope.Recorder.Id);
        scope.Complete();
    }

    [Fact]
    public void ValidationErrors_AreThrownAtTheCall()
    {
        using var scope = R.Start();
        var ex = Assert.Throws<TrackingException>(() => R.LogMetrics(("bad!name", 1.0)));
        Assert.Equal(ErrorCode.InvalidParameterValue, ex.Code);
        Assert.Contains("bad!name", ex.Message);
        Assert.Throws<TrackingException>(() => R.LogParams(("bad!name", 1)));
        Assert.Throws<TrackingException>(() => R.SetTags(("bad!name", "x")));
        scope.Complete();
    }

    [Fact]
    public void ManyMetrics_AllInTheHistory_InOrder()
    {
        string id = "";
        R.Run(exp =>
        {
            id = exp.ActiveRecorder!.Id!;
            for (var i = 0; i < 2500; i++) R.LogMetrics(i, ("loss", 1.0 / (i + 1)));
        });
        var history = R.GetRecorder(recorderId: id).GetMetricHistory("loss");
        Assert.Equal(2500, history.Count);
        Assert.Equal(Enumerable.Range(0, 2500).Select(i => (long)i), history.Select(m => m.Step));
        Assert.Equal(1.0 / 2500, StoredRun(id).Data.Metrics["loss"].Value);
    }

    [Fact]
    public void StoreLevelParamConflict_SurfacesAtTheEndOfTheScope_AndTheRunIsFailed()
    {
        var scope = R.Start();
        var id = scope.Recorder.Id!;
        // Another writer logs the param behind the recorder's back.
        R.Current.ExperimentManager.Client.LogParam(id, "lr", 0.1);
        R.LogParams(("lr", 0.2));
        scope.Complete();
        var ex = Assert.Throws<TrackingException>(scope.Dispose);
        Assert.Contains("lr", ex.Message);
        Assert.Equal(RunStatus.Failed, StoredRun(id).Info.Status);
    }

    [Fact]
    public void DeleteTags_AfterQueuedTags_KeepsCallOrder()
    {
        R.Run(exp =>
        {
            R.SetTags(("a", "1"), ("b", "2"));
            R.DeleteTags("a");
            var tags = exp.ActiveRecorder!.ListTags();
            Assert.False(tags.ContainsKey("a"));
            Assert.Equal("2", tags["b"]);
        });
    }

    [Fact]
    public void StartWhileActive_IsRefused()
    {
        using var scope = R.Start();
        Assert.Equal(ErrorCode.InvalidState, Assert.Throws<TrackingException>(() => R.Start(experimentName: "x")).Code);
        scope.Complete();
    }

    [Fact]
    public void StandardRunData_UserSourceAndCommandLine()
    {
        Environment.SetEnvironmentVariable("_QLIB_TRACKED_TEST", "on");
        try
        {
            R.Run(exp =>
            {
                var rec = exp.ActiveRecorder!;
                var tags = rec.ListTags();
                Assert.Equal(Environment.UserName, tags["mlflow.user"]);
                Assert.Equal("LOCAL", tags["mlflow.source.type"]);
                Assert.Equal(Environment.GetCommandLineArgs()[0], tags["mlflow.source.name"]);
                var ps = rec.ListParams();
                Assert.Equal(string.Join(' ', Environment.GetCommandLineArgs()), ps["cmd-sys.argv"]);
                Assert.Equal("on", ps["_QLIB_TRACKED_TEST"]);
                Assert.False(tags.ContainsKey("mlflow.source.git.commit")); // capture off
                Assert.Equal(Environment.UserName, StoredRun(rec.Id!).Info.UserId);
            });
        }
        finally
        {
            Environment.SetEnvironmentVariable("_QLIB_TRACKED_TEST", null);
        }
    }
}
