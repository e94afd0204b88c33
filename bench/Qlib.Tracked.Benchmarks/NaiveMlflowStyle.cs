using System.Globalization;
using System.Text;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Formats;
using Qlib.Tracked.Formats.Python;

namespace Qlib.Tracked.Benchmarks;

/// <summary>
/// The in-run baseline: what MLflow 2.12's <c>FileStore</c> does per call, done in C# on the same disk, so
/// BenchmarkDotNet's Ratio column compares against something measured here rather than a number from
/// another run. Per call it locates the run by listing every experiment folder (<c>_find_run_root</c>),
/// reads and parses the run's <c>meta.yaml</c> (<c>_get_run_info</c>, <c>check_run_is_active</c>), lists
/// the root to find the experiment folder (<c>_get_experiment_path</c>) and opens, appends to and closes the
/// metric file for each point. It writes the same layout, so our store can read what it wrote.
/// </summary>
internal sealed class NaiveMlflowStyle(string root)
{
    private static readonly UTF8Encoding Utf8 = new(false);

    /// <summary><c>_find_run_root</c>: every experiment folder (active, then trash) is listed until one holds the run.</summary>
    public string FindRunDir(string runId)
    {
        foreach (var parent in new[] { root, Path.Combine(root, ".trash") })
        {
            if (!Directory.Exists(parent)) continue;
            foreach (var experiment in Directory.GetDirectories(parent))
            {
                if (Path.GetFileName(experiment).StartsWith('.')) continue;
                foreach (var child in Directory.GetFileSystemEntries(experiment))
                {
                    if (Path.GetFileName(child) == runId) return child;
                }
            }
        }
        throw new InvalidOperationException($"Run '{runId}' not found");
    }

    /// <summary><c>_get_experiment_path</c>: lists the root to find the experiment folder.</summary>
    private string ExperimentDir(string experimentId)
    {
        foreach (var entry in Directory.GetFileSystemEntries(root))
        {
            if (Path.GetFileName(entry) == experimentId) return entry;
        }
        throw new InvalidOperationException($"Experiment '{experimentId}' not found");
    }

    /// <summary><c>_get_run_info</c>: find, read and parse meta.yaml; refuse a deleted run.</summary>
    private Dictionary<string, string> RunInfo(string runId, out string runDir)
    {
        runDir = FindRunDir(runId);
        var meta = ParseYaml(File.ReadAllText(Path.Combine(runDir, "meta.yaml"), Utf8));
        if (meta.TryGetValue("lifecycle_stage", out var stage) && stage == "deleted")
            throw new InvalidOperationException("run is deleted");
        return meta;
    }

    public void LogMetric(string runId, Metric metric)
    {
        var info = RunInfo(runId, out _);
        AppendPoint(info["experiment_id"].Trim('\''), runId, metric);
    }

    /// <summary>MLflow's log_batch: the run is looked up once, then every point is its own open/append/close.</summary>
    public void LogBatch(string runId, IReadOnlyList<Metric> metrics)
    {
        var info = RunInfo(runId, out _);
        var experimentId = info["experiment_id"].Trim('\'');
        foreach (var metric in metrics) AppendPoint(experimentId, runId, metric);
    }

    private void AppendPoint(string experimentId, string runId, in Metric metric)
    {
        var path = Path.Combine(ExperimentDir(experimentId), runId, "metrics", metric.Key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var line = metric.Timestamp.ToString(CultureInfo.InvariantCulture) + " " + PythonFloat.ToString(metric.Value) + " " +
                   metric.Step.ToString(CultureInfo.InvariantCulture) + "\n";
        using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        file.Write(Utf8.GetBytes(line));
    }

    /// <summary>
    /// Fluent <c>start_run</c> + <c>end_run</c>: <c>create_run</c> (read the experiment, make the run folder, write
    /// meta, make metrics/params/artifacts, then <c>set_tag</c> per tag, each locating the run again; the run-name
    /// tag also rewrites meta), <c>get_run</c>, then <c>set_terminated</c> (locate, read meta, rewrite meta).
    /// </summary>
    public string CreateAndEndRun(string experimentId, IReadOnlyDictionary<string, string> tags, string runName)
    {
        var experimentDir = ExperimentDir(experimentId);
        var experimentMeta = ParseYaml(File.ReadAllText(Path.Combine(experimentDir, "meta.yaml"), Utf8));
        if (experimentMeta.TryGetValue("lifecycle_stage", out var stage) && stage == "deleted") throw new InvalidOperationException();
        var runId = Guid.NewGuid().ToString("N");
        var runDir = Path.Combine(experimentDir, runId);
        Directory.CreateDirectory(runDir);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        WriteMeta(runDir, experimentMeta["artifact_location"], experimentId, runId, runName, now, null, 1);
        Directory.CreateDirectory(Path.Combine(runDir, "metrics"));
        Directory.CreateDirectory(Path.Combine(runDir, "params"));
        Directory.CreateDirectory(Path.Combine(runDir, "artifacts"));
        foreach (var (key, value) in tags.Append(new("mlflow.runName", runName)))
        {
            var info = RunInfo(runId, out var dir);
            var tagPath = Path.Combine(dir, "tags", key);
            Directory.CreateDirectory(Path.GetDirectoryName(tagPath)!);
            File.WriteAllText(tagPath, value, Utf8);
            if (key == "mlflow.runName")
                WriteMeta(dir, experimentMeta["artifact_location"], experimentId, runId, value, long.Parse(info["start_time"], CultureInfo.InvariantCulture), null, 1);
        }
        // get_run: meta, then every metric/param/tag file.
        var run = RunInfo(runId, out var found);
        foreach (var folder in new[] { "metrics", "params", "tags" })
        {
            foreach (var file in Directory.GetFiles(Path.Combine(found, folder), "*", SearchOption.AllDirectories)) _ = File.ReadAllText(file, Utf8);
        }
        // end_run -> set_terminated -> update_run_info.
        var end = RunInfo(runId, out found);
        WriteMeta(found, experimentMeta["artifact_location"], experimentId, runId, runName, long.Parse(end["start_time"], CultureInfo.InvariantCulture),
            DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), 3);
        _ = run;
        return runId;
    }

    private static void WriteMeta(string runDir, string artifactLocation, string experimentId, string runId, string runName, long start, long? end, int status)
    {
        var text = new StringBuilder()
            .Append("artifact_uri: ").Append(artifactLocation).Append('/').Append(runId).Append("/artifacts\n")
            .Append("end_time: ").Append(end is { } e ? e.ToString(CultureInfo.InvariantCulture) : "null").Append('\n')
            .Append("entry_point_name: ''\n")
            .Append("experiment_id: '").Append(experimentId).Append("'\n")
            .Append("lifecycle_stage: active\n")
            .Append("run_id: ").Append(runId).Append('\n')
            .Append("run_name: ").Append(runName).Append('\n')
            .Append("run_uuid: ").Append(runId).Append('\n')
            .Append("source_name: ''\nsource_type: 4\nsource_version: ''\n")
            .Append("start_time: ").Append(start.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append("status: ").Append(status.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append("tags: []\nuser_id: unknown\n")
            .ToString();
        File.WriteAllText(Path.Combine(runDir, "meta.yaml"), text, Utf8); // MLflow: write_yaml(overwrite=True), not atomic
    }

    /// <summary>MLflow's <c>get_metric_history</c>: read the lines, split each, convert each field.</summary>
    public static List<Metric> ReadHistory(string metricFile, string key)
    {
        var result = new List<Metric>();
        foreach (var line in File.ReadAllLines(metricFile, Utf8))
        {
            var parts = line.Split(' ');
            result.Add(new Metric(key, double.Parse(parts[1], CultureInfo.InvariantCulture),
                long.Parse(parts[0], CultureInfo.InvariantCulture), parts.Length > 2 ? long.Parse(parts[2], CultureInfo.InvariantCulture) : 0));
        }
        return result;
    }

    /// <summary>A flat "key: value" reader, enough for meta.yaml (the cost stands in for yaml.safe_load, which is far slower).</summary>
    private static Dictionary<string, string> ParseYaml(string text)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            var colon = line.IndexOf(": ", StringComparison.Ordinal);
            if (colon > 0) result[line[..colon]] = line[(colon + 2)..];
        }
        return result;
    }
}
