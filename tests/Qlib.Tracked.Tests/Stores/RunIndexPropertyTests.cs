using System.Globalization;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores;

namespace Qlib.Tracked.Tests.Stores;

/// <summary>
/// Indexed search against a full scan of the same folder, on seeded random stores and queries, while the
/// store keeps changing underneath: through the API of another store instance, and by writing files
/// directly as MLflow does (in-place appends and overwrites, new and removed run folders). Every answer,
/// every page, must be the full scan's.
/// </summary>
public sealed class RunIndexPropertyTests
{
    private static readonly string[] MetricKeys = ["loss", "acc", "train/loss", "nan_metric", "score"];
    private static readonly string[] ParamKeys = ["lr", "group", "train/window", "empty"];
    private static readonly string[] TagKeys = ["team", "note", "mlflow.runName", "a/b"];
    private static readonly string[] Texts = ["", "0.01", "0.1", "g1", "g2", "g3", "t1", "T1", "x y", "line1\nline2", "élan"];
    private static readonly double[] Numbers = [0, 0.5, 1, -1, 0.25, 1e300, double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0];

    [Theory]
    [InlineData(1, RunIndexWatch.Never)]
    [InlineData(2, RunIndexWatch.Never)]
    [InlineData(3, RunIndexWatch.Never)]
    [InlineData(4, RunIndexWatch.Never)]
    [InlineData(5, RunIndexWatch.Never)]
    [InlineData(6, RunIndexWatch.Never)]
    [InlineData(1, RunIndexWatch.Always)]
    [InlineData(2, RunIndexWatch.Always)]
    [InlineData(3, RunIndexWatch.Always)]
    [InlineData(4, RunIndexWatch.Always)]
    public void Indexed_search_answers_as_a_full_scan_while_the_store_changes(int seed, RunIndexWatch watch)
    {
        using var temp = new TempDirectory();
        var root = temp.Combine("mlruns");
        var rng = new Random(seed);
        var writer = new FileStore(root);
        string[] experiments = [writer.CreateExperiment("alpha"), writer.CreateExperiment("beta")];
        var runs = new List<string>();
        for (var i = 0; i < 40; i++) runs.Add(NewRun(writer, experiments[rng.Next(2)], rng));
        RunIndexTestKit.Age(root);

        var options = new FileStoreOptions { RunIndexWatch = watch };
        var indexed = new FileStore(root, options);
        var scan = RunIndexTestKit.FullScan(root);
        var queries = 0;
        var mostWatches = 0;
        for (var round = 0; round < 6; round++)
        {
            for (var q = 0; q < 12; q++, queries++) AssertSameAnswers(indexed, scan, RandomQuery(rng, experiments), $"seed {seed}, round {round}, query {q}");
            mostWatches = Math.Max(mostWatches, indexed.RunIndexCounters().Watches);
            for (var m = 0; m < 6; m++) Mutate(writer, root, experiments, runs, rng);
            if (rng.Next(2) == 0) RunIndexTestKit.Age(root); // changed files now look old: only their stamps tell
            if (rng.Next(3) == 0) indexed = new FileStore(root, options); // a new process starting from the persisted index
        }
        Assert.True(queries > 0);
        if (watch == RunIndexWatch.Always && OperatingSystem.IsLinux()) Assert.True(mostWatches > 0, "nothing was watched");
        Assert.True(File.Exists(RunIndexTestKit.IndexFile(Path.Combine(root, experiments[0]))), "the index was never persisted");
    }

    private sealed record Query(string[] ExperimentIds, string? Filter, string[] OrderBy, ViewType View, int MaxResults);

    private static void AssertSameAnswers(FileStore indexed, FileStore scan, Query query, string where)
    {
        string? indexedToken = null, scanToken = null;
        for (var page = 0; page < 3; page++)
        {
            var expected = scan.SearchRuns(query.ExperimentIds, query.Filter, query.View, query.MaxResults, query.OrderBy, scanToken);
            var actual = indexed.SearchRuns(query.ExperimentIds, query.Filter, query.View, query.MaxResults, query.OrderBy, indexedToken);
            Assert.True(
                RunIndexTestKit.Describe(expected.Items) == RunIndexTestKit.Describe(actual.Items),
                $"{where}, page {page}: filter [{query.Filter}] order [{string.Join(", ", query.OrderBy)}] view {query.View}\n" +
                $"expected:\n{RunIndexTestKit.Describe(expected.Items)}\nactual:\n{RunIndexTestKit.Describe(actual.Items)}");
            Assert.Equal(expected.NextPageToken, actual.NextPageToken);
            if (expected.NextPageToken is null) break;
            (indexedToken, scanToken) = (actual.NextPageToken, expected.NextPageToken);
        }
    }

    private static Query RandomQuery(Random rng, string[] experiments)
    {
        var ids = rng.Next(3) switch { 0 => [experiments[0]], 1 => [experiments[1]], _ => experiments };
        var clauses = new List<string>();
        for (var i = rng.Next(4); i > 0; i--) clauses.Add(RandomComparison(rng));
        var orderBy = new List<string>();
        for (var i = rng.Next(3); i > 0; i--)
        {
            var direction = rng.Next(3) switch { 0 => "", 1 => " ASC", _ => " DESC" };
            orderBy.Add(rng.Next(5) switch
            {
                0 => $"metrics.`{Pick(rng, MetricKeys)}`",
                1 => $"params.`{Pick(rng, ParamKeys)}`",
                2 => $"tags.`{Pick(rng, TagKeys)}`",
                3 => Pick(rng, ["attributes.start_time", "attributes.end_time", "created"]),
                _ => Pick(rng, ["attributes.run_name", "attributes.status", "attributes.run_id"]),
            } + direction);
        }
        var view = (ViewType)rng.Next(1, 4);
        return new Query(ids, clauses.Count == 0 ? null : string.Join(rng.Next(2) == 0 ? " AND " : " and ", clauses), [.. orderBy], view, rng.Next(1, 30));
    }

    private static string RandomComparison(Random rng)
    {
        switch (rng.Next(5))
        {
            case 0:
                var number = Pick(rng, [0, 0.5, 1, -1, 1e300, 0.25]);
                return $"metrics.`{Pick(rng, MetricKeys)}` {Pick(rng, ["=", "!=", "<", "<=", ">", ">="])} {number.ToString("R", CultureInfo.InvariantCulture)}";
            case 1:
                return $"params.`{Pick(rng, ParamKeys)}` {Pick(rng, ["=", "!=", "LIKE", "ILIKE"])} '{Pattern(rng)}'";
            case 2:
                return $"tags.`{Pick(rng, TagKeys)}` {Pick(rng, ["=", "!=", "LIKE", "ILIKE"])} '{Pattern(rng)}'";
            case 3:
                return $"attributes.{Pick(rng, ["run_name", "status", "user_id"])} {Pick(rng, ["=", "!=", "LIKE", "ILIKE"])} " +
                       $"'{Pick(rng, ["FINISHED", "RUNNING", "r%", "%1%", "u1", "U_"])}'";
            default:
                return $"attributes.{Pick(rng, ["start_time", "end_time"])} {Pick(rng, ["=", "!=", "<", ">", ">="])} {rng.Next(90, 130)}";
        }
    }

    private static string Pattern(Random rng) => rng.Next(3) switch
    {
        0 => Pick(rng, Texts).Replace("\n", "", StringComparison.Ordinal),
        1 => Pick(rng, ["g%", "%1", "_1", "%", "G%", "0.0%", "%y"]),
        _ => Pick(rng, ["g3", "t1", "0.01", ""]),
    };

    private static T Pick<T>(Random rng, T[] items) => items[rng.Next(items.Length)];

    private static string NewRun(FileStore writer, string experimentId, Random rng)
    {
        var name = "r" + rng.Next(1000);
        var run = writer.CreateRun(experimentId, rng.Next(2) == 0 ? "u1" : "u2", 100 + rng.Next(25), [new RunTag("team", Pick(rng, Texts))], name);
        var id = run.Info.RunId;
        var metrics = new List<Metric>();
        foreach (var key in MetricKeys)
        {
            if (rng.Next(3) == 0) continue; // missing keys
            for (var step = rng.Next(3); step >= 0; step--) metrics.Add(new Metric(key, Pick(rng, Numbers), 1000 + rng.Next(5), rng.Next(4)));
        }
        var parameters = ParamKeys.Where(_ => rng.Next(3) != 0).Select(k => new Param(k, Pick(rng, Texts))).ToList();
        var tags = TagKeys.Where(k => k != "mlflow.runName" && rng.Next(2) == 0).Select(k => new RunTag(k, Pick(rng, Texts))).ToList();
        writer.LogBatch(id, metrics, parameters, tags);
        switch (rng.Next(4))
        {
            case 0: break; // still running
            case 1: writer.UpdateRunInfo(id, RunStatus.Finished, 100 + rng.Next(30), null); break;
            case 2: writer.UpdateRunInfo(id, RunStatus.Failed, 110, null); break;
            default:
                writer.UpdateRunInfo(id, RunStatus.Finished, 120, null);
                writer.DeleteRun(id);
                break;
        }
        return id;
    }

    /// <summary>One random change, through the API or straight to the files as MLflow (or a user) would.</summary>
    private static void Mutate(FileStore writer, string root, string[] experiments, List<string> runs, Random rng)
    {
        var id = runs[rng.Next(runs.Count)];
        var folder = Directory.GetDirectories(root, id, SearchOption.AllDirectories).FirstOrDefault();
        if (folder is null) return; // removed earlier
        var active = writer.GetRun(id).Info.LifecycleStage == LifecycleStage.Active;
        switch (rng.Next(14))
        {
            case 0 when active:
                writer.LogBatch(id, [new Metric(Pick(rng, MetricKeys), Pick(rng, Numbers), 2000, rng.Next(10))], [], []);
                break;
            case 1 when active:
                writer.LogBatch(id, [], [], [new RunTag(Pick(rng, TagKeys), Pick(rng, Texts))]);
                break;
            case 2:
                if (active) writer.DeleteRun(id);
                else writer.RestoreRun(id);
                break;
            case 3 when active:
                writer.UpdateRunInfo(id, Pick(rng, [RunStatus.Finished, RunStatus.Killed, RunStatus.Failed]), 100 + rng.Next(30), rng.Next(2) == 0 ? "renamed" + rng.Next(9) : null);
                break;
            case 4:
                // MLflow appends a line in place: the file's folder is untouched.
                var metricPath = Path.Combine(folder, "metrics", Pick(rng, MetricKeys).Replace('/', Path.DirectorySeparatorChar));
                Directory.CreateDirectory(Path.GetDirectoryName(metricPath)!);
                File.AppendAllText(metricPath, $"3000 {Pick(rng, ["0.125", "nan", "-inf", "7.0", "1e-05"])} {rng.Next(12)}\n");
                break;
            case 5:
                // MLflow overwrites a tag in place (open 'w'); same length, different content is the hard case.
                var tagPath = Path.Combine(folder, "tags", "team");
                if (File.Exists(tagPath))
                {
                    var old = File.ReadAllText(tagPath);
                    File.WriteAllText(tagPath, new string(old.Reverse().ToArray()) == old ? old + "!" : new string(old.Reverse().ToArray()));
                }
                break;
            case 6:
                var tagFiles = Directory.GetFiles(Path.Combine(folder, "tags"), "*", SearchOption.AllDirectories);
                if (tagFiles.Length > 0) File.Delete(tagFiles[rng.Next(tagFiles.Length)]);
                break;
            case 7:
                var metricFiles = Directory.GetFiles(Path.Combine(folder, "metrics"), "*", SearchOption.AllDirectories);
                if (metricFiles.Length > 0) File.Delete(metricFiles[rng.Next(metricFiles.Length)]);
                break;
            case 8:
                Directory.Delete(folder, recursive: true);
                break;
            case 9:
                // meta.yaml rewritten in place (MLflow's write_yaml for runs), e.g. another start_time and status.
                var metaPath = Path.Combine(folder, "meta.yaml");
                var meta = File.ReadAllText(metaPath);
                meta = System.Text.RegularExpressions.Regex.Replace(meta, @"start_time: \d+", $"start_time: {100 + rng.Next(25)}");
                meta = System.Text.RegularExpressions.Regex.Replace(meta, @"status: \d", $"status: {rng.Next(1, 6)}");
                File.WriteAllText(metaPath, meta);
                break;
            case 10:
                // A torn line (a writer killed mid-append) is skipped by both.
                var torn = Path.Combine(folder, "metrics", "score");
                File.AppendAllText(torn, "4000 0.9");
                break;
            case 11:
                // A param logged by another writer: a new file (MLflow never rewrites one), maybe in a sub-folder.
                var paramPath = Path.Combine(folder, "params", Pick(rng, ParamKeys).Replace('/', Path.DirectorySeparatorChar));
                if (!File.Exists(paramPath))
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(paramPath)!);
                    File.WriteAllText(paramPath, Pick(rng, Texts));
                }
                break;
            case 12:
                var paramFiles = Directory.GetFiles(Path.Combine(folder, "params"), "*", SearchOption.AllDirectories);
                if (paramFiles.Length > 0) File.Delete(paramFiles[rng.Next(paramFiles.Length)]);
                break;
            default:
                runs.Add(NewRun(writer, experiments[rng.Next(2)], rng));
                break;
        }
    }
}
