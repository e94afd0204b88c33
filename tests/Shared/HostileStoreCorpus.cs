using System.Text;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores;

namespace Qlib.Tracked.TestCorpus;

/// <summary>
/// A store in which almost every file is damaged, hostile or odd in its own way — the kind of store a crash, a
/// half-finished copy, another tool or an attacker leaves behind — next to one healthy run that must keep reading
/// exactly. Every reader (the store, <c>R</c>, every <c>qtrack</c> command, every web route) is swept over it: each
/// answer is a value, a typed error or a warning, never a crash, a 500 or a stack trace.
/// </summary>
public sealed class HostileStoreCorpus : IDisposable
{
    /// <summary>Bigger than any limit a reader has for one file (meta, param, tag): such files are refused, not read.</summary>
    public const int HugeBytes = 24 * 1024 * 1024;

    public HostileStoreCorpus()
    {
        Folder = _temp.Path;
        Root = Path.Combine(Folder, "mlruns");
        var store = new FileStore(Root);
        ExperimentId = store.CreateExperiment("hostile");

        HealthyRunId = store.CreateRun(ExperimentId, "alice", 1_700_000_000_000, [], "healthy").Info.RunId;
        store.LogBatch(HealthyRunId,
            [new Metric("loss", 0.5, 1_700_000_000_001, 0), new Metric("loss", 0.25, 1_700_000_000_002, 1), new Metric("odd/nested key", double.NaN, 1_700_000_000_003, 0)],
            [new Param("lr", "0.1"), new Param("ключ", "значение ✓")],
            [new RunTag("note", "<script>alert(1)</script>")]);
        store.UpdateRunInfo(HealthyRunId, RunStatus.Finished, 1_700_000_001_000, null);

        var runs = new Dictionary<string, string>(StringComparer.Ordinal);
        string Damaged(string label, Action<string> damage)
        {
            var runId = store.CreateRun(ExperimentId, "mallory", 1_700_000_000_000, [], label).Info.RunId;
            store.LogBatch(runId, [new Metric("loss", 1, 1_700_000_000_001, 0)], [new Param("p", "1")], [new RunTag("t", "v")]);
            damage(Path.Combine(Root, ExperimentId, runId));
            runs[label] = runId;
            return runId;
        }
        static void Write(string path, string text) => File.WriteAllText(path, text);
        static string Meta(string run) => Path.Combine(run, "meta.yaml");
        static void EditMeta(string run, string field, string value)
        {
            var lines = File.ReadAllLines(Meta(run)).Select(l => l.StartsWith(field + ":", StringComparison.Ordinal) ? field + ": " + value : l);
            File.WriteAllText(Meta(run), string.Join('\n', lines) + "\n");
        }

        Damaged("meta is binary garbage", run => File.WriteAllBytes(Meta(run), [0xFF, 0xFE, 0x00, 0x01, 0x9C, 0x80, 0x0A]));
        Damaged("meta is empty", run => Write(Meta(run), ""));
        Damaged("meta is a YAML list", run => Write(Meta(run), "- a\n- b\n"));
        Damaged("meta is a folder", run => { File.Delete(Meta(run)); Directory.CreateDirectory(Meta(run)); });
        Damaged("meta is huge", run => WriteHuge(Meta(run), "# filler\n"));
        Damaged("start_time is not a number", run => EditMeta(run, "start_time", "yesterday"));
        Damaged("end_time is not a number", run => EditMeta(run, "end_time", "'soon'"));
        Damaged("status is unknown", run => EditMeta(run, "status", "99"));
        Damaged("lifecycle_stage is unknown", run => EditMeta(run, "lifecycle_stage", "zombie"));
        Damaged("run_id disagrees with its folder", run => EditMeta(run, "run_id", "0123456789abcdef0123456789abcdef"));
        Damaged("experiment_id disagrees with its folder", run => EditMeta(run, "experiment_id", "'42'"));
        Damaged("metric lines are garbage", run => Write(Path.Combine(run, "metrics", "loss"), "not a metric line\n1 2\n\n\u0000\u0001\n1700000000000 0.5 0\n"));
        Damaged("metric last line is torn", run => File.AppendAllText(Path.Combine(run, "metrics", "loss"), "1700000000002 0.7"));
        Damaged("metric file is a folder", run => Directory.CreateDirectory(Path.Combine(run, "metrics", "folder-metric")));
        Damaged("metric name MLflow rejects", run => Write(Path.Combine(run, "metrics", "bad?name*"), "1700000000000 1.0 0\n"));
        Damaged("metric file is huge", run => WriteHuge(Path.Combine(run, "metrics", "huge"), "1700000000000 1.0 0\n"));
        Damaged("metric value is absurd", run => Write(Path.Combine(run, "metrics", "absurd"), "1700000000000 1e999999 99999999999999999999999\n"));
        Damaged("param file is a folder", run => Directory.CreateDirectory(Path.Combine(run, "params", "folder-param")));
        Damaged("param file is huge", run => WriteHuge(Path.Combine(run, "params", "huge"), "x"));
        Damaged("param name MLflow rejects", run => Write(Path.Combine(run, "params", "bad?name*"), "v"));
        Damaged("tag is not UTF-8", run => File.WriteAllBytes(Path.Combine(run, "tags", "binary"), [0xC3, 0x28, 0xFF, 0x00]));
        Damaged("tag file is huge", run => WriteHuge(Path.Combine(run, "tags", "huge"), "y"));
        Damaged("metrics folder is a file", run => { Directory.Delete(Path.Combine(run, "metrics"), true); Write(Path.Combine(run, "metrics"), "x"); });
        Damaged("params folder links to itself", run => { Directory.Delete(Path.Combine(run, "params"), true); Directory.CreateSymbolicLink(Path.Combine(run, "params"), "."); });
        Damaged("tags folder is a dangling link", run => { Directory.Delete(Path.Combine(run, "tags"), true); Directory.CreateSymbolicLink(Path.Combine(run, "tags"), "/nonexistent/qtrk"); });
        Damaged("artifact link loop", run =>
        {
            Directory.CreateDirectory(Path.Combine(run, "artifacts"));
            Directory.CreateSymbolicLink(Path.Combine(run, "artifacts", "loop"), Path.Combine(run, "artifacts"));
        });

        // Not runs at all: a file where a run folder would be, a stray folder, a leftover temp file.
        Write(Path.Combine(Root, ExperimentId, "0123456789abcdef0123456789abcde0"), "a file, not a run folder");
        Directory.CreateDirectory(Path.Combine(Root, ExperimentId, "not-a-run"));
        Write(Path.Combine(Root, ExperimentId, HealthyRunId, ".meta.yaml.deadbeef.tmp"), "artifact_uri: half-written");

        // Experiments: damaged meta, a name that is markup, a folder that is not an experiment.
        var broken = store.CreateExperiment("broken meta");
        File.WriteAllBytes(Path.Combine(Root, broken, "meta.yaml"), [0x00, 0xFF, 0x13]);
        MarkupExperimentId = store.CreateExperiment("<img src=x onerror=alert(3)>");
        Directory.CreateDirectory(Path.Combine(Root, "not-an-experiment"));
        Write(Path.Combine(Root, "stray.txt"), "stray");

        DamagedRuns = runs;
    }

    private readonly TempDirectory _temp = new();

    public string Folder { get; }
    public string Root { get; }
    public string ExperimentId { get; }
    public string MarkupExperimentId { get; }

    /// <summary>A run with ordinary data (incl. unicode and nested keys) that must read back exactly.</summary>
    public string HealthyRunId { get; }

    /// <summary>Each kind of damage, with its run id.</summary>
    public IReadOnlyDictionary<string, string> DamagedRuns { get; }

    /// <summary>Every run id in the corpus, healthy first.</summary>
    public IEnumerable<string> AllRunIds => [HealthyRunId, .. DamagedRuns.Values];

    /// <summary>A file of <see cref="HugeBytes"/> repeating <paramref name="unit"/>, written without holding it in memory.</summary>
    private static void WriteHuge(string path, string unit)
    {
        var bytes = Encoding.UTF8.GetBytes(unit);
        var block = new byte[(1 << 20) / bytes.Length * bytes.Length]; // whole units only: no line torn at a block edge
        for (var i = 0; i < block.Length; i++) block[i] = bytes[i % bytes.Length];
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write);
        for (long written = 0; written < HugeBytes; written += block.Length) stream.Write(block);
    }

    public void Dispose() => _temp.Dispose();
}
