using System.Diagnostics;
using System.Globalization;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Formats;
using Qlib.Tracked.Formats.Python;
using Qlib.Tracked.Stores;
using Qlib.Tracked.Stores.FileBacked;

namespace Qlib.Tracked.Benchmarks;

/// <summary>
/// Run search over stores of 1,000 / 10,000 / 100,000 runs (20 params, 10 metrics of 3 steps, 5 tags each),
/// generated once into <c>$QTRK_BENCH_DIR/qtrk-search-stores/runs-N</c> and reused. The query is MLflow's
/// §6 c1: <c>params.group = 'g3' and metrics.score &gt; 0.1</c>, order_by <c>metrics.score DESC,
/// attributes.start_time ASC</c>, max_results 1000. Measured per size:
/// index build (first query ever, no persisted index), cold (a new process whose first query loads the
/// persisted index; OS cache warm), warm (same process, later queries), and a full scan (index off, every
/// file read: MLflow's algorithm in our code) in the same run for the ratio.
/// </summary>
internal static class SearchIndexBench
{
    internal const string Filter = "params.group = 'g3' and metrics.score > 0.1";
    internal static readonly string[] OrderBy = ["metrics.score DESC", "attributes.start_time ASC"];
    internal const int MaxResults = 1000;
    private static readonly Dictionary<int, double> MlflowSeconds = new() { [1_000] = 1.32, [10_000] = 10.25 };

    /// <summary>QTRK_BENCH_PARALLELISM: threads per search (default: the core count), to compare 1 with more.</summary>
    private static int Parallelism =>
        int.TryParse(Environment.GetEnvironmentVariable("QTRK_BENCH_PARALLELISM"), CultureInfo.InvariantCulture, out var n) && n > 0 ? n : Environment.ProcessorCount;

    private static int ScanMax =>
        int.TryParse(Environment.GetEnvironmentVariable("QTRK_BENCH_SCAN_MAX"), CultureInfo.InvariantCulture, out var n) ? n : 10_000;

    public static void Run(string[] args)
    {
        var sizes = args.Length > 0 ? args.Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray() : [1_000, 10_000, 100_000];
        var ci = CultureInfo.InvariantCulture;
        var rows = new List<string>();
        foreach (var size in sizes)
        {
            // Stores of the previous size hold their inotify watches until collected; the user's limit is shared.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var (root, experimentId) = EnsureStore(size);
            var indexFile = Path.Combine(root, experimentId, ".qtrk-run-index");
            // QTRK_BENCH_KEEP_INDEX=1 keeps an existing index (the build column then times a cold query instead).
            if (Environment.GetEnvironmentVariable("QTRK_BENCH_KEEP_INDEX") != "1") File.Delete(indexFile);
            // Fewer repetitions for the largest store: on a shared machine one Verified pass over 100,000 runs takes long.
            var coldRuns = size >= 100_000 ? 1 : 3;
            var warmRuns = size >= 100_000 ? 3 : 5;
            var build = Child(root, experimentId, "verified");
            Progress($"runs={size} index build {build.QueryMs:F0} ms");
            var cold = Median(Enumerable.Range(0, coldRuns).Select(_ => Child(root, experimentId, "verified").QueryMs));
            Progress($"runs={size} Verified cold {cold:F0} ms");

            // Stats only (no change notification): what every query costs without a long-lived store (see --search-warm-profile).
            var store = new FileStore(root, new FileStoreOptions { RunIndexWatch = RunIndexWatch.Never, SearchParallelism = Parallelism });
            var first = FirstPage(store);
            var warm = Median(Enumerable.Range(0, warmRuns).Select(_ => Time(() => FirstPage(store))));
            Progress($"runs={size} Verified warm {warm:F1} ms");
            // The default options in a long-lived process: RunIndexWatch.Auto starts watching on the second query and
            // moves an eighth of the runs per query onto inotify, so the steady state comes after ~9 queries (runs
            // beyond the watch budget stay on stats).
            var watchedStore = new FileStore(root, new FileStoreOptions { SearchParallelism = Parallelism });
            for (var i = 0; i < 10; i++) FirstPage(watchedStore);
            var warmWatched = Median(Enumerable.Range(0, warmRuns).Select(_ => Time(() => FirstPage(watchedStore))));
            var watches = watchedStore.RunIndexCounters().Watches;
            Progress($"runs={size} Verified+watched warm {warmWatched:F1} ms ({watches:N0} watches of max_user_watches {MaxUserWatches()})");
            if (!FirstPage(watchedStore).Select(r => r.Info.RunId).SequenceEqual(first.Select(r => r.Info.RunId)))
                throw new InvalidOperationException("the watched and the stat-verified searches returned different first pages");
            var hits = CountAll(watchedStore);

            // The full scan reads every file (~4 M at 100,000 runs: many minutes on a shared machine); it runs up to
            // QTRK_BENCH_SCAN_MAX runs (default 10,000). Above that, the stat-verified page is checked against the watched one (above).
            var scan = double.NaN;
            if (size <= ScanMax)
            {
                var scanStore = new FileStore(root, new FileStoreOptions { RunIndex = RunIndexMode.Off });
                IReadOnlyList<Run> scanned = [];
                scan = Time(() => scanned = FirstPage(scanStore));
                if (!scanned.Select(r => r.Info.RunId).SequenceEqual(first.Select(r => r.Info.RunId)))
                    throw new InvalidOperationException("the indexed search and the full scan returned different first pages");
                Progress($"runs={size} full scan {scan:F0} ms");
            }
            var statUs = StatMicroseconds(Path.Combine(root, experimentId));

            var mlflow = MlflowSeconds.TryGetValue(size, out var s) ? s * 1000 : double.NaN;
            rows.Add(string.Format(ci,
                "| {0:N0} | {1:N0} | {2:F0} | {3:F0} | {4:F0} | {5:F1} ({6:N0} watches) | {7:F0} | {8:F0}× | {9} | {10} | {11:F1} | {12:F1} |",
                size, hits, build.QueryMs, cold, warm, warmWatched, watches, scan, scan / warm,
                double.IsNaN(mlflow) ? "—" : mlflow.ToString("F0", ci),
                double.IsNaN(mlflow) ? "—" : $"{mlflow / warm:F0}× / {mlflow / warmWatched:F0}× / {mlflow / cold:F1}×",
                new FileInfo(indexFile).Length / 1e6, statUs));
            Console.WriteLine($"runs={size} hits={hits} build={build.QueryMs:F0}ms cold={cold:F0}ms warm={warm:F1}ms " +
                              $"watched={warmWatched:F1}ms fullscan={scan:F0}ms stat={statUs:F1}us");
        }
        Console.WriteLine();
        Console.WriteLine($"Search `{Filter}` order by {string.Join(", ", OrderBy)}, max_results {MaxResults} (load average at end: {LoadAverage()})");
        Console.WriteLine("| runs | hits | index build, ms | Verified cold, ms | Verified warm (stats), ms | Verified warm (watched, default), ms | full scan, ms | full scan / Verified warm (stats) | MLflow 2.12, ms | MLflow / ours (Verified warm stats / watched / Verified cold) | index file, MB | one stat now, µs |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|");
        foreach (var row in rows) Console.WriteLine(row);
    }

    /// <summary>Only writes the cached stores (they take minutes at 100,000 runs).</summary>
    public static void Generate(string[] args)
    {
        foreach (var size in args.Select(a => int.Parse(a, CultureInfo.InvariantCulture))) EnsureStore(size);
    }

    /// <summary>In a child process: open the store and time its first query (what a CLI call pays).</summary>
    public static void ChildMain(string[] args)
    {
        var stopwatch = Stopwatch.StartNew();
        var mode = args[2] == "off" ? RunIndexMode.Off : RunIndexMode.Verified;
        var store = new FileStore(args[0], new FileStoreOptions { RunIndex = mode, SearchParallelism = Parallelism });
        var page = FirstPage(store, args[1]);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{stopwatch.Elapsed.TotalMilliseconds} {page.Count}"));
    }

    private static string s_experimentId = "";

    /// <summary>The timed operation: the first page of the query (MLflow's c1 returns it in one page at ≤10k runs).</summary>
    private static IReadOnlyList<Run> FirstPage(FileStore store, string? experimentId = null) =>
        store.SearchRuns([experimentId ?? s_experimentId], Filter, ViewType.ActiveOnly, MaxResults, OrderBy, null).Items;

    /// <summary>All matches, by paging through (not timed).</summary>
    private static int CountAll(FileStore store)
    {
        var count = 0;
        string? next = null;
        do
        {
            var page = store.SearchRuns([s_experimentId], Filter, ViewType.ActiveOnly, 50_000, OrderBy, next);
            count += page.Items.Count;
            next = page.NextPageToken;
        }
        while (next is not null);
        return count;
    }

    private static (double QueryMs, double ProcessMs) Child(string root, string experimentId, string mode)
    {
        var self = Environment.ProcessPath!;
        var info = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") info.ArgumentList.Add(typeof(SearchIndexBench).Assembly.Location);
        foreach (var a in new[] { "--search-child", root, experimentId, mode }) info.ArgumentList.Add(a);
        var wall = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        wall.Stop();
        if (process.ExitCode != 0) throw new InvalidOperationException($"child failed: {output}");
        return (double.Parse(output.Split(' ')[0], CultureInfo.InvariantCulture), wall.Elapsed.TotalMilliseconds);
    }

    /// <summary>
    /// What one stat costs right now (the machine is shared; reference §6 measured 2.2 µs when quiet): the
    /// index's Verified cost is mostly stats, so this column says how loaded the machine was.
    /// </summary>
    private static double StatMicroseconds(string experimentFolder)
    {
        var metas = Directory.EnumerateDirectories(experimentFolder).Take(2000).Select(d => Path.Combine(d, "meta.yaml")).ToArray();
        var stopwatch = Stopwatch.StartNew();
        long total = 0;
        foreach (var path in metas) total += new FileInfo(path).Length;
        return total > 0 ? stopwatch.Elapsed.TotalMilliseconds * 1000 / metas.Length : double.NaN;
    }

    private static void Progress(string line) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {DateTime.UtcNow:HH:mm:ss} {line} (load {LoadAverage()})"));

    private static double Time(Action action)
    {
        var stopwatch = Stopwatch.StartNew();
        action();
        return stopwatch.Elapsed.TotalMilliseconds;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }

    private static string MaxUserWatches()
    {
        try { return File.ReadAllText("/proc/sys/fs/inotify/max_user_watches").Trim(); }
        catch (IOException) { return "?"; }
    }

    private static string LoadAverage()
    {
        try { return File.ReadAllText("/proc/loadavg").Split(' ')[0]; }
        catch (IOException) { return "?"; }
    }

    /// <summary>The cached store of <paramref name="runs"/> runs, written once (files as MLflow writes them) and marked complete.</summary>
    private static (string Root, string ExperimentId) EnsureStore(int runs)
    {
        var folder = Path.Combine(BenchStore.BaseDirectory, "qtrk-search-stores", $"runs-{runs}");
        var root = Path.Combine(folder, "mlruns");
        var done = Path.Combine(folder, "complete");
        if (File.Exists(done))
        {
            s_experimentId = File.ReadAllText(done).Trim();
            return (root, s_experimentId);
        }
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        var stopwatch = Stopwatch.StartNew();
        var store = new FileStore(root);
        var experimentId = store.CreateExperiment("search-bench");
        var experimentFolder = Path.Combine(root, experimentId);
        var artifactRoot = Stores.TrackingUri.FromLocalPath(experimentFolder);
        Parallel.For(0, runs, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i => WriteRun(experimentFolder, artifactRoot, experimentId, i));
        File.WriteAllText(done, experimentId);
        Console.WriteLine($"generated {runs:N0} runs in {stopwatch.Elapsed.TotalSeconds:F0} s under {folder}");
        s_experimentId = experimentId;
        return (root, experimentId);
    }

    private static void WriteRun(string experimentFolder, string artifactRoot, string experimentId, int i)
    {
        var rng = new Random(i);
        var runId = new Guid(BitConverter.GetBytes((long)i).Concat(BitConverter.GetBytes((long)i * 7919 + 1)).ToArray()).ToString("N");
        var folder = Path.Combine(experimentFolder, runId);
        Directory.CreateDirectory(Path.Combine(folder, "metrics"));
        Directory.CreateDirectory(Path.Combine(folder, "params"));
        Directory.CreateDirectory(Path.Combine(folder, "tags"));
        var start = 1_700_000_000_000L + i;
        var name = "run-" + i.ToString(CultureInfo.InvariantCulture);
        var info = new RunInfo(runId, experimentId, name, "bench", RunStatus.Finished, start, start + 1000,
            artifactRoot + "/" + runId + "/artifacts", LifecycleStage.Active);
        File.WriteAllText(Path.Combine(folder, "meta.yaml"), RunMetaFile.Format(info));
        File.WriteAllText(Path.Combine(folder, "params", "group"), "g" + (i % 10).ToString(CultureInfo.InvariantCulture));
        for (var p = 1; p < 20; p++)
            File.WriteAllText(Path.Combine(folder, "params", "p" + p.ToString("00", CultureInfo.InvariantCulture)), (rng.Next(1000) / 1000.0).ToString(CultureInfo.InvariantCulture));
        for (var m = 0; m < 10; m++)
        {
            var key = m == 0 ? "score" : "m" + m.ToString(CultureInfo.InvariantCulture);
            var lines = string.Concat(Enumerable.Range(0, 3).Select(step =>
                $"{start + step} {PythonFloat.ToString(Math.Round(rng.NextDouble(), 6))} {step}\n"));
            File.WriteAllText(Path.Combine(folder, "metrics", key), lines);
        }
        File.WriteAllText(Path.Combine(folder, "tags", "mlflow.runName"), name);
        File.WriteAllText(Path.Combine(folder, "tags", "mlflow.user"), "bench");
        File.WriteAllText(Path.Combine(folder, "tags", "team"), "t" + (i % 4).ToString(CultureInfo.InvariantCulture));
        File.WriteAllText(Path.Combine(folder, "tags", "model"), i % 2 == 0 ? "lgb" : "xgb");
        File.WriteAllText(Path.Combine(folder, "tags", "note"), "bench run");
    }
}
