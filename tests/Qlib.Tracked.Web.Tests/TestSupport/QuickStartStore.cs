using System.Text;
using Qlib.Tracked.Artifacts;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores;
using QuickStart;

namespace Qlib.Tracked.Web.Tests;

/// <summary>
/// One store for the whole test assembly: two QuickStart runs (seeds 1 and 2, small market) recorded by the
/// sample's own workflow, plus a "hostile" run whose names, params and tags carry markup, with text, JSON,
/// binary and nested artifacts and symlinks that point outside the run. Tests that write use a copy.
/// </summary>
public sealed class QuickStartStore : IDisposable
{
    public const string ScriptTag = "<script>window.__qtrackXss = 1</script><b>bold</b>";
    public const string MarkupParam = "\"><svg onload=alert(1)>";
    public const string MarkupRunName = "<img src=x onerror=alert(2)>";
    public const string SecretText = "secret outside the store";

    private readonly TempDirectory _folder = new();

    public QuickStartStore()
    {
        Root = Path.Combine(_folder.Path, "mlruns");
        QuickStartRunIds =
        [
            QuickStartWorkflow.Run(new QuickStartOptions { Uri = "file:" + Root, Seed = 1, Instruments = 50, Days = 60 }).RunId,
            QuickStartWorkflow.Run(new QuickStartOptions { Uri = "file:" + Root, Seed = 2, Instruments = 50, Days = 60 }).RunId,
        ];
        var store = new FileStore(Root);
        QuickStartExperimentId = store.GetRun(QuickStartRunIds[0]).Info.ExperimentId;

        // A file outside every run, which a symlink inside the hostile run points at.
        OutsideFile = Path.Combine(_folder.Path, "outside-secret.txt");
        File.WriteAllText(OutsideFile, SecretText);

        HostileExperimentId = store.CreateExperiment("hostile <b>experiment</b>");
        var run = store.CreateRun(HostileExperimentId, "mallory", 1_700_000_000_000, [new RunTag("note", ScriptTag)], MarkupRunName);
        HostileRunId = run.Info.RunId;
        store.LogBatch(HostileRunId,
            [.. Enumerable.Range(0, 5).Select(s => new Metric("loss", 1.0 / (s + 1), 1_700_000_000_000 + s, s)), new Metric("nan_metric", double.NaN, 1_700_000_000_100, 0)],
            [new Param("p", MarkupParam), new Param("seed", "1")],
            [new RunTag("mlflow.runName", MarkupRunName)]);
        store.UpdateRunInfo(HostileRunId, RunStatus.Finished, 1_700_000_001_000, null);

        var artifacts = store.GetArtifactRepository(HostileRunId);
        artifacts.Write("notes.txt", Encoding.UTF8.GetBytes("line one\n<b>line two</b>\n"));
        artifacts.Write("config.json", Encoding.UTF8.GetBytes("{\"a\":[1,2],\"b\":\"<x>\"}"));
        artifacts.Write("data.bin", [0, 1, 2, 0, 255, 254]);
        artifacts.Write("nested/dir/deep.txt", Encoding.UTF8.GetBytes("deep"));
        HostileArtifactRoot = ((LocalArtifactRepository)artifacts).LocalRoot;
        File.CreateSymbolicLink(Path.Combine(HostileArtifactRoot, "escape.txt"), OutsideFile);
        Directory.CreateSymbolicLink(Path.Combine(HostileArtifactRoot, "escape-dir"), _folder.Path);
    }

    public string Root { get; }
    public string[] QuickStartRunIds { get; }
    public string QuickStartExperimentId { get; }
    public string HostileExperimentId { get; }
    public string HostileRunId { get; }
    public string HostileArtifactRoot { get; }
    public string OutsideFile { get; }

    /// <summary>The temp folder holding the store: no response may name it (or anything under it).</summary>
    public string ServerFolder => _folder.Path;

    /// <summary>A private copy for tests that change the store.</summary>
    public string CopyTo(TempDirectory folder)
    {
        var copy = Path.Combine(folder.Path, "mlruns");
        TempDirectory.CopyTree(Root, copy);
        return copy;
    }

    public void Dispose() => _folder.Dispose();
}

[CollectionDefinition(Name)]
public sealed class QuickStartStoreCollection : ICollectionFixture<QuickStartStore>
{
    public const string Name = "quickstart store";
}
