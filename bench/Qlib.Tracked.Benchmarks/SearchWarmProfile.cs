using System.Diagnostics;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores;

namespace Qlib.Tracked.Benchmarks;

/// <summary>
/// Where a warm search's time goes: the issue-6 query repeated in one process per index mode, with the bytes it
/// allocates and the collections it triggers (usage: --search-warm-profile ROOT EXPERIMENT_ID [REPEATS]).
/// </summary>
internal static class SearchWarmProfile
{
    public static void Run(string[] args)
    {
        var root = args[0];
        var experimentId = args[1];
        var repeats = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 5;
        foreach (var mode in new[] { RunIndexMode.Trusted, RunIndexMode.Verified })
        {
            var store = new FileStore(root, new FileStoreOptions { RunIndex = mode });
            var stopwatch = Stopwatch.StartNew();
            var first = Query(store, experimentId);
            Console.WriteLine($"{mode}: first query {stopwatch.Elapsed.TotalMilliseconds:F0} ms ({first} runs)");
            for (var i = 0; i < repeats; i++)
            {
                var gen0 = GC.CollectionCount(0);
                var gen1 = GC.CollectionCount(1);
                var gen2 = GC.CollectionCount(2);
                var allocated = GC.GetTotalAllocatedBytes(precise: false);
                stopwatch.Restart();
                Query(store, experimentId);
                var ms = stopwatch.Elapsed.TotalMilliseconds;
                Console.WriteLine($"  {mode} warm {ms:F1} ms, allocated {(GC.GetTotalAllocatedBytes(precise: false) - allocated) / 1e6:F1} MB, " +
                                  $"GCs {GC.CollectionCount(0) - gen0}/{GC.CollectionCount(1) - gen1}/{GC.CollectionCount(2) - gen2}");
            }
        }
    }

    private static int Query(FileStore store, string experimentId) =>
        store.SearchRuns([experimentId], SearchIndexBench.Filter, ViewType.ActiveOnly, SearchIndexBench.MaxResults, SearchIndexBench.OrderBy, null).Items.Count;
}
