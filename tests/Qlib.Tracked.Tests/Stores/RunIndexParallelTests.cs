using System.Globalization;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores;
using Qlib.Tracked.Stores.FileBacked;

namespace Qlib.Tracked.Tests.Stores;

/// <summary>
/// An experiment large enough that a search checks runs, filters and completes returned runs on several threads:
/// every page must still be the full scan's, before and after files change behind the index's back, and broken
/// folders must still be reported.
/// </summary>
public sealed class RunIndexParallelTests
{
    private const int Runs = 2_300; // above the parallel thresholds of the index and of RunSearch

    [Fact]
    public void A_parallel_search_answers_as_a_full_scan_before_and_after_external_writes()
    {
        using var temp = new TempDirectory();
        var root = temp.Combine("mlruns");
        var experimentId = new FileStore(root).CreateExperiment("parallel");
        var experiment = Path.Combine(root, experimentId);
        var artifactRoot = TrackingUri.FromLocalPath(experiment);
        var ids = new string[Runs];
        for (var i = 0; i < Runs; i++) ids[i] = WriteRun(experiment, artifactRoot, experimentId, i);
        Directory.CreateDirectory(Path.Combine(experiment, "not-a-run"));
        File.WriteAllText(Path.Combine(experiment, ids[7], "meta.yaml"), "run_id: [unclosed\n");
        RunIndexTestKit.Age(root);

        var warnings = new List<StoreWarning>();
        var indexed = new FileStore(root, new FileStoreOptions { SearchParallelism = 4 });
        indexed.Warning += warnings.Add; // not thread-safe on purpose: the store raises warnings one at a time
        var scan = RunIndexTestKit.FullScan(root);
        AssertSame(indexed, scan, experimentId);
        Assert.Contains(warnings, w => w.Path.Contains("not-a-run", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Path.Contains(ids[7], StringComparison.Ordinal));

        var rng = new Random(5);
        for (var n = 0; n < 200; n++)
        {
            var folder = Path.Combine(experiment, ids[rng.Next(8, Runs)]);
            if (!Directory.Exists(folder)) continue;
            switch (rng.Next(5))
            {
                case 0: File.AppendAllText(Path.Combine(folder, "metrics", "score"), $"1700000009999 {rng.NextDouble().ToString("R", CultureInfo.InvariantCulture)} 9\n"); break;
                case 1: File.WriteAllText(Path.Combine(folder, "tags", "team"), "t" + rng.Next(9).ToString(CultureInfo.InvariantCulture)); break;
                case 2: File.WriteAllText(Path.Combine(folder, "params", "extra"), "x"); break;
                case 3: File.Delete(Path.Combine(folder, "params", "group")); break;
                default: Directory.Delete(folder, recursive: true); break;
            }
        }
        RunIndexTestKit.Age(root);
        AssertSame(indexed, scan, experimentId);
        AssertSame(new FileStore(root, new FileStoreOptions { SearchParallelism = 2 }), scan, experimentId); // from the persisted index
    }

    private static void AssertSame(FileStore indexed, FileStore scan, string experimentId)
    {
        (string? Filter, string[] OrderBy, int Max)[] queries =
        [
            ("params.group = 'g3' and metrics.score > 0.1", ["metrics.score DESC", "attributes.start_time ASC"], 1000),
            ("tags.team LIKE 't%'", ["tags.team", "metrics.score"], 600),
            ("params.extra = 'x'", [], 500),
            (null, ["params.group DESC"], 700),
        ];
        foreach (var (filter, orderBy, max) in queries)
        {
            string? token = null;
            do
            {
                var expected = scan.SearchRuns([experimentId], filter, ViewType.ActiveOnly, max, orderBy, token);
                var actual = indexed.SearchRuns([experimentId], filter, ViewType.ActiveOnly, max, orderBy, token);
                Assert.True(RunIndexTestKit.Describe(expected.Items) == RunIndexTestKit.Describe(actual.Items), $"filter [{filter}], page at {token}");
                Assert.Equal(expected.NextPageToken, actual.NextPageToken);
                token = expected.NextPageToken;
            }
            while (token is not null);
        }
    }

    private static string WriteRun(string experiment, string artifactRoot, string experimentId, int i)
    {
        var runId = i.ToString("x32", CultureInfo.InvariantCulture);
        var folder = Path.Combine(experiment, runId);
        Directory.CreateDirectory(Path.Combine(folder, "metrics"));
        Directory.CreateDirectory(Path.Combine(folder, "params"));
        Directory.CreateDirectory(Path.Combine(folder, "tags"));
        var start = 1_700_000_000_000L + i % 97; // many equal start times: ties fall to the run id
        var info = new RunInfo(runId, experimentId, "run-" + i.ToString(CultureInfo.InvariantCulture), "u", RunStatus.Finished, start, start + 5,
            artifactRoot + "/" + runId + "/artifacts", LifecycleStage.Active);
        File.WriteAllText(Path.Combine(folder, "meta.yaml"), RunMetaFile.Format(info));
        File.WriteAllText(Path.Combine(folder, "params", "group"), "g" + (i % 10).ToString(CultureInfo.InvariantCulture));
        File.WriteAllText(Path.Combine(folder, "metrics", "score"), $"{start} {(i * 7919 % 1000 / 1000.0).ToString("R", CultureInfo.InvariantCulture)} 0\n");
        File.WriteAllText(Path.Combine(folder, "tags", "team"), "t" + (i % 4).ToString(CultureInfo.InvariantCulture));
        return runId;
    }
}
