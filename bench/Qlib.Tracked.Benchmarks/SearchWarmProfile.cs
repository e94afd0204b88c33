using System.Diagnostics;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores;

namespace Qlib.Tracked.Benchmarks;

/// <summary>
/// Where a warm search's time goes: the issue-6 query repeated in one process per index mode, with the bytes it
/// allocates, the collections it triggers and the stats the index issued (usage: --search-warm-profile ROOT EXPERIMENT_ID
/// [REPEATS]). Verified+Watched switches runs to watching over its first queries (an eighth of the runs per query), so
/// give it REPEATS ≥ 10 to see the steady state.
/// </summary>
internal static class SearchWarmProfile
{
    public static void Run(string[] args)
    {
        var root = args[0];
        var experimentId = args[1];
        var repeats = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 5;
        // Verified by stats only, and Verified with change notification (watched from the first query on).
        foreach (var (mode, watch, label) in new[]
                 {
                     (RunIndexMode.Verified, RunIndexWatch.Never, "Verified"),
                     (RunIndexMode.Verified, RunIndexWatch.Always, "Verified+Watched"),
                 })
        {
            var store = new FileStore(root, new FileStoreOptions { RunIndex = mode, RunIndexWatch = watch });
            var stopwatch = Stopwatch.StartNew();
            var first = Query(store, experimentId);
            Console.WriteLine($"{label}: first query {stopwatch.Elapsed.TotalMilliseconds:F0} ms ({first} runs), {store.RunIndexCounters().Watches} inotify watches");
            for (var i = 0; i < repeats; i++)
            {
                var gen0 = GC.CollectionCount(0);
                var gen1 = GC.CollectionCount(1);
                var gen2 = GC.CollectionCount(2);
                var allocated = GC.GetTotalAllocatedBytes(precise: false);
                var stats = store.RunIndexCounters().Stats;
                stopwatch.Restart();
                Query(store, experimentId);
                var ms = stopwatch.Elapsed.TotalMilliseconds;
                Console.WriteLine($"  {label} warm {ms:F1} ms, {store.RunIndexCounters().Stats - stats} stats, allocated {(GC.GetTotalAllocatedBytes(precise: false) - allocated) / 1e6:F1} MB, " +
                                  $"GCs {GC.CollectionCount(0) - gen0}/{GC.CollectionCount(1) - gen1}/{GC.CollectionCount(2) - gen2}");
            }
            if (watch != RunIndexWatch.Never) Console.WriteLine($"  {label}: {store.RunIndexCounters().Watches} inotify watches after the last query");
        }
    }

    private static int Query(FileStore store, string experimentId) =>
        store.SearchRuns([experimentId], SearchIndexBench.Filter, ViewType.ActiveOnly, SearchIndexBench.MaxResults, SearchIndexBench.OrderBy, null).Items.Count;
}
