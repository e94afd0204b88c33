using System.Text;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores;

namespace Qlib.Tracked.TestCorpus;

/// <summary>
/// A crafted store whose runs name artifact locations outside it, each in its own way, next to a secret file that
/// no reader may ever return. Shared (linked) by the runtime, CLI and web test projects so every route that reads
/// an artifact is checked against the same corpus. Built with the real store, then damaged as an attacker or a
/// careless copy would: meta.yaml edited, folders swapped for symlinks.
/// </summary>
public sealed class EscapingArtifactStore : IDisposable
{
    /// <summary>The bytes of every file outside the store; no answer may contain them.</summary>
    public static readonly string Secret = "TOP-SECRET-" + Guid.NewGuid().ToString("N");

    /// <summary>The file name every escaping run offers (so a read of it would be the leak).</summary>
    public const string SecretName = "secret.txt";

    public EscapingArtifactStore()
    {
        Folder = _temp.Path;
        Root = Path.Combine(Folder, "mlruns");
        Outside = Path.Combine(Folder, "outside");
        Directory.CreateDirectory(Outside);
        File.WriteAllText(Path.Combine(Outside, SecretName), Secret);
        // A run-shaped tree outside the store, for a run folder that is itself a symlink.
        var outsideRun = Path.Combine(Folder, "outside-run");

        var store = new FileStore(Root);
        ExperimentId = store.CreateExperiment("escapes");
        string NewRun(string name) => store.CreateRun(ExperimentId, "mallory", 1_700_000_000_000, [], name).Info.RunId;

        InsideRunId = NewRun("inside");
        store.GetArtifactRepository(InsideRunId).Write("inside.txt", "fine"u8);

        var escaping = new Dictionary<string, string>(StringComparer.Ordinal);

        // 1. The run's artifacts/ folder is itself a symlink out of the store.
        var linkedRoot = NewRun("artifacts-folder-is-a-link");
        var artifactsFolder = Path.Combine(RunFolder(linkedRoot), "artifacts");
        if (Directory.Exists(artifactsFolder)) Directory.Delete(artifactsFolder, recursive: true);
        Directory.CreateSymbolicLink(artifactsFolder, Outside);
        escaping["artifacts folder is a symlink"] = linkedRoot;

        // 2-5. meta.yaml names a foreign location, spelled four ways.
        foreach (var (label, uri) in new[]
        {
            ("file:// URI outside", "file://" + Outside),
            ("plain path outside", Outside),
            ("dot-dot out of the store", "file://" + Root + "/../outside"),
            ("percent-encoded dot-dot", "file://" + Root + "/%2e%2e/outside"),
        })
        {
            var runId = NewRun(label);
            SetArtifactUri(runId, uri);
            escaping[label] = runId;
        }

        // 6. The default-layout URI, but the run folder is a symlink to a run-shaped tree outside.
        var linkedRun = NewRun("run-folder-is-a-link");
        var runFolder = RunFolder(linkedRun);
        TempDirectory.CopyTree(runFolder, outsideRun);
        Directory.CreateDirectory(Path.Combine(outsideRun, "artifacts"));
        File.WriteAllText(Path.Combine(outsideRun, "artifacts", SecretName), Secret);
        Directory.Delete(runFolder, recursive: true);
        Directory.CreateSymbolicLink(runFolder, outsideRun);
        escaping["run folder is a symlink"] = linkedRun;

        // 7. A file: URI naming another host (never a local read).
        var remote = NewRun("remote-host");
        SetArtifactUri(remote, "file://attacker.example/etc");
        escaping["file: URI naming a remote host"] = remote;

        // 8. An experiment whose artifact location is outside: legitimate only when the user names it as a root.
        ExternalLocation = Path.Combine(Folder, "team-artifacts");
        var allowing = new FileStore(Root, new FileStoreOptions { ArtifactRoots = [ExternalLocation] });
        ExternalExperimentId = allowing.CreateExperiment("external", ExternalLocation);
        ExternalRunId = allowing.CreateRun(ExternalExperimentId, "alice", 1_700_000_000_000, [], "external").Info.RunId;
        allowing.GetArtifactRepository(ExternalRunId).Write("model.txt", Encoding.UTF8.GetBytes("external model"));
        escaping["experiment location outside, not configured"] = ExternalRunId;

        EscapingRuns = escaping;
    }

    private readonly TempDirectory _temp = new();

    public string Folder { get; }
    public string Root { get; }

    /// <summary>A folder outside the store holding <see cref="SecretName"/>.</summary>
    public string Outside { get; }

    public string ExperimentId { get; }

    /// <summary>A run with an ordinary artifact (<c>inside.txt</c>): it keeps working.</summary>
    public string InsideRunId { get; }

    /// <summary>Each way of escaping, with its run id.</summary>
    public IReadOnlyDictionary<string, string> EscapingRuns { get; }

    /// <summary>A run of an experiment created with <see cref="ExternalLocation"/> as its artifact location.</summary>
    public string ExternalRunId { get; }
    public string ExternalExperimentId { get; }
    public string ExternalLocation { get; }

    public string RunFolder(string runId) => Path.Combine(Root, ExperimentId, runId);

    private void SetArtifactUri(string runId, string uri)
    {
        var meta = Path.Combine(RunFolder(runId), "meta.yaml");
        var lines = File.ReadAllLines(meta).Select(l => l.StartsWith("artifact_uri:", StringComparison.Ordinal) ? "artifact_uri: " + uri : l);
        File.WriteAllText(meta, string.Join('\n', lines) + "\n");
    }

    public void Dispose() => _temp.Dispose();
}
