using Qlib.Tracked.Entities;
using Qlib.Tracked.Frames;
using Qlib.Tracked.Tests.Artifacts;

namespace Qlib.Tracked.Tests.Workflow;

/// <summary>R's artifact calls through the artifacts branch's repository and serializers.</summary>
[Collection("ambient R")]
public sealed class AmbientArtifactTests : IDisposable
{
    private readonly TempStore _store = new();
    private readonly QlibRecorder _previous;

    public AmbientArtifactTests()
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

    [Fact]
    public void SaveObject_LoadObject_RoundTrip_InsideAScope()
    {
        var frame = new PredictionFrame([new DateTime(2021, 1, 4), new DateTime(2021, 1, 4)], ["SH600000", "SZ000001"], [0.1, -0.2]);
        var state = new ModelState { Name = "lgb", Weights = [1.5, 2.5], Params = new() { ["lr"] = "0.1" } };
        R.Run(exp =>
        {
            R.SaveObject("pred.pkl", frame);
            R.SaveObject("params.pkl", state);
            R.SaveObject("task", "model: LGBModel", artifactPath: "config");
            Assert.Equal(0.1, R.LoadObject<PredictionFrame>("pred.pkl").Score[0]);
            Assert.Equal([1.5, 2.5], R.LoadObject<ModelState>("params.pkl").Weights);
            Assert.Equal("model: LGBModel", R.LoadObject<string>("config/task"));
            var listed = exp.ActiveRecorder!.ListArtifacts();
            Assert.Contains("pred.pkl", listed);
            Assert.Contains("config", listed);
            Assert.Equal(["config/task"], exp.ActiveRecorder!.ListArtifacts("config"));
        });
        // After the scope: the newest mlflow_recorder, without starting anything.
        Assert.Equal("lgb", R.LoadObject<ModelState>("params.pkl").Name);
        Assert.Null(R.Current.ExperimentManager.ActiveExperiment);
    }

    [Fact]
    public void SaveObject_OutsideAScope_GoesToTheNewestMlflowRecorder_WithoutStartingTheExperiment()
    {
        string older = "", newer = "";
        R.Run(exp => older = exp.ActiveRecorder!.Id!);
        Thread.Sleep(5);
        R.Run(exp => newer = exp.ActiveRecorder!.Id!);

        R.SaveObject("config", "whole yaml");
        Assert.Null(R.Current.ExperimentManager.ActiveExperiment);
        Assert.Equal("whole yaml", R.GetRecorder(recorderId: newer).LoadObject<string>("config"));
        Assert.DoesNotContain("config", R.GetRecorder(recorderId: older).ListArtifacts());
        Assert.Equal(RunStatus.Finished, R.GetRecorder(recorderId: newer).Status);
    }

    [Fact]
    public void SaveObjects_DirectoryContents_LogArtifact_DownloadArtifact()
    {
        var dir = Path.Combine(_store.Folder, "out");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "a.txt"), "A");
        File.WriteAllText(Path.Combine(dir, "b.txt"), "B");
        R.Run(exp =>
        {
            R.SaveObjects(dir, "saved");
            R.LogArtifact(Path.Combine(dir, "a.txt"));
            var rec = exp.ActiveRecorder!;
            Assert.Equal(["saved/a.txt", "saved/b.txt"], rec.ListArtifacts("saved").Order(StringComparer.Ordinal));
            Assert.Contains("a.txt", rec.ListArtifacts());
            var local = R.DownloadArtifact("saved/b.txt", Path.Combine(_store.Folder, "dl"));
            Assert.Equal("B", File.ReadAllText(local));
        });
    }

    [Fact]
    public void LoadObject_Missing_IsDoesNotExist()
    {
        R.Run(_ =>
        {
            var ex = Assert.Throws<TrackingException>(() => R.LoadObject<string>("nope.pkl"));
            Assert.Equal(ErrorCode.ResourceDoesNotExist, ex.Code);
        });
    }
}
