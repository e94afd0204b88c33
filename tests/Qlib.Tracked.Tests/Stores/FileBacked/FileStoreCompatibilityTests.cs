using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores;

namespace Qlib.Tracked.Tests;

/// <summary>Stores written by older MLflow versions, and folders a store does not own.</summary>
public sealed class FileStoreCompatibilityTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _root;

    public FileStoreCompatibilityTests() => _root = _temp.Combine("mlruns");

    public void Dispose() => _temp.Dispose();

    private void Write(string relative, string text)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    /// <summary>An MLflow 1.x tree: int ids, no times, run meta with `name` instead of run_name, no status/stage.</summary>
    private void WriteOneXStore()
    {
        Write(".trash/.keep", "");
        Write("0/meta.yaml", "artifact_location: file:///old/mlruns/0\nexperiment_id: 0\nlifecycle_stage: active\nname: Default\n");
        Write("1/meta.yaml", "artifact_location: /old/mlruns/1\nexperiment_id: 1\nname: legacy\n");
        Write("1/abc123/meta.yaml",
            "artifact_uri: /old/mlruns/1/abc123/artifacts\nend_time: 1500000000500\nentry_point_name: ''\nexperiment_id: 1\n" +
            "name: ''\nrun_uuid: abc123\nsource_name: ''\nsource_type: 4\nsource_version: ''\nstart_time: 1500000000000\ntags: []\nuser_id: olduser\n");
        Write("1/abc123/tags/mlflow.runName", "legacy-run");
        Write("1/abc123/metrics/acc", "1500000000100 0.5\n1500000000200 0.75\n");
        Write("1/abc123/params/lr", "0.1");
    }

    [Fact]
    public void OneXStore_IsReadWithDefaults()
    {
        WriteOneXStore();
        var store = new FileStore(_root);
        var experiment = store.GetExperiment("1");
        Assert.Equal("legacy", experiment.Name);
        Assert.Equal(LifecycleStage.Active, experiment.LifecycleStage);
        Assert.Null(experiment.CreationTime);
        Assert.Equal("legacy", store.GetExperimentByName("legacy")!.Name);

        var run = store.GetRun("abc123");
        Assert.Equal("legacy-run", run.Info.RunName);
        Assert.Equal("1", run.Info.ExperimentId);
        Assert.Equal(RunStatus.Running, run.Info.Status);
        Assert.Equal(LifecycleStage.Active, run.Info.LifecycleStage);
        Assert.Equal("olduser", run.Info.UserId);
        Assert.Equal(new Metric("acc", 0.75, 1500000000200, 0), run.Data.Metrics["acc"]); // 2-field lines: step 0
        Assert.Equal("0.1", run.Data.Params["lr"]);

        var searched = Assert.Single(store.SearchRuns(["1"], "attributes.run_name = 'legacy-run'", ViewType.ActiveOnly, 10, null, null).Items);
        Assert.Equal("abc123", searched.Info.RunId);
        Assert.Equal("legacy", Assert.Single(store.SearchExperiments(), e => e.ExperimentId == "1").Name);
    }

    [Fact]
    public void OneXRun_UpdatedByThisStore_GetsTheCurrentKeySetAndKeepsItsName()
    {
        WriteOneXStore();
        var store = new FileStore(_root);
        store.UpdateRunInfo("abc123", RunStatus.Finished, 1500000000900, null);
        var meta = File.ReadAllText(Path.Combine(_root, "1", "abc123", "meta.yaml"));
        Assert.Contains("\nrun_name: legacy-run\n", meta);
        Assert.Contains("\nexperiment_id: '1'\n", meta);
        Assert.Contains("\nstatus: 3\n", meta);
        Assert.Equal("legacy-run", store.GetRun("abc123").Info.RunName);
    }

    [Fact]
    public void FoldedAndQuotedYaml_IsReadAsTheSameValues()
    {
        Write("5/meta.yaml",
            "artifact_location: \"file:///x/5\"\ncreation_time: 10\nexperiment_id: '5'\nlast_update_time: 11\nlifecycle_stage: 'active'\n" +
            "name: a long experiment name that\n  was folded by PyYAML\n");
        var store = new FileStore(_root);
        Assert.Equal("a long experiment name that was folded by PyYAML", store.GetExperiment("5").Name);
        Assert.Equal("file:///x/5", store.GetExperiment("5").ArtifactLocation);
    }

    [Fact]
    public void ForeignFoldersAndFiles_AreIgnoredOrReported_NeverFatal()
    {
        var store = new FileStore(_root);
        var warnings = new List<StoreWarning>();
        store.Warning += warnings.Add;
        var experimentId = store.CreateExperiment("real");
        var runId = store.CreateRun(experimentId, null, 1, null, "r").Info.RunId;

        Write("README.txt", "a foreign file in the root");
        Write("stray_folder/notes.txt", "no meta.yaml here");
        Write("models/m1/meta.yaml", "name: registry model\n");     // model registry: not an experiment
        Write("broken/meta.yaml", "{{{ not: yaml");                  // corrupt experiment meta
        Write($"{experimentId}/tags/t", "v");                        // reserved experiment sub-folders
        Write($"{experimentId}/datasets/d1/meta.yaml", "name: ds\n");
        Write($"{experimentId}/traces/tr1/meta.yaml", "x: 1\n");
        Write($"{experimentId}/models/m1/meta.yaml", "x: 1\n");
        Write($"{experimentId}/not_a_run/file.txt", "x");            // run-level junk
        Write($"{experimentId}/corrupt_run/meta.yaml", "");          // empty meta

        var experiments = store.SearchExperiments(ViewType.All);
        Assert.Contains(experiments, e => e.ExperimentId == experimentId);
        Assert.DoesNotContain(experiments, e => e.Name == "registry model");
        var runs = store.SearchRuns([experimentId], null, ViewType.All, 100, null, null).Items;
        Assert.Equal(runId, Assert.Single(runs).Info.RunId);

        Assert.Contains(warnings, w => w.Path == "stray_folder");
        Assert.Contains(warnings, w => w.Path == "broken");
        Assert.Contains(warnings, w => w.Path == $"{experimentId}/not_a_run");
        Assert.Contains(warnings, w => w.Path == $"{experimentId}/corrupt_run/meta.yaml");
        Assert.DoesNotContain(warnings, w => w.Path.Contains("models") || w.Path.Contains("datasets") || w.Path.Contains("traces") || w.Path.EndsWith("/tags"));
        Assert.Equal("Default", store.GetExperimentByName("Default")!.Name);
    }

    [Fact]
    public void ExistingRootWithoutTrash_GetsOneOnOpen_ExistingDefaultIsKept()
    {
        Write("0/meta.yaml", "artifact_location: file:///x/0\ncreation_time: 1\nexperiment_id: '0'\nlast_update_time: 1\nlifecycle_stage: active\nname: Default\n");
        var before = File.ReadAllText(Path.Combine(_root, "0", "meta.yaml"));
        _ = new FileStore(_root);
        Assert.True(Directory.Exists(Path.Combine(_root, ".trash")));
        Assert.Equal(before, File.ReadAllText(Path.Combine(_root, "0", "meta.yaml")));
    }
}
