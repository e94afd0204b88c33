using Qlib.Tracked.Stores.FileBacked.Index;

namespace Qlib.Tracked.Benchmarks;

/// <summary>
/// Where a cold search's time goes: opening (mapping) the persisted run index file, hashing it and parsing it,
/// then the whole load as the store does it (three times: the first pays the JIT), the experiment listing, and
/// the first queries of a new store (the first of each loads the index).
/// </summary>
internal static class SearchLoadProfile
{
    public static void Run(string[] args)
    {
        var folder = Path.Combine(args[0], args[1]);
        var context = new RunIndexContext((_, _, _) => { }, (_, _) => { });
        for (var i = 0; i < 3; i++)
        {
            var sw = System.Diagnostics.Stopwatch.StartNew();
            using (var memory = IndexFileMemory.Open(RunIndexFile.PathOf(folder)))
            {
                var open = sw.Elapsed.TotalMilliseconds;
                sw.Restart();
                RunIndexFile.Hash(memory.Bytes[RunIndexFile.HeaderLength..]);
                var hash = sw.Elapsed.TotalMilliseconds;
                sw.Restart();
                RunIndexFormat.Load(memory, RunIndexFile.HeaderLength, new ExperimentRunIndex(folder), context);
                Console.Write($"open {open:F0} ms, hash {hash:F0} ms, parse {sw.Elapsed.TotalMilliseconds:F0} ms; ");
            }
            GC.Collect();

            sw.Restart();
            var index = new ExperimentRunIndex(folder);
            using var loaded = RunIndexFile.TryLoad(index, context, out var problem);
            var load = sw.Elapsed.TotalMilliseconds;
            sw.Restart();
            var entries = index.RefreshListing();
            Console.WriteLine($"load {(loaded is null ? "failed" : "done")}{(problem is null ? "" : " (" + problem + ")")} {load:F0} ms " +
                              $"(gen0/1/2 collections so far {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}), " +
                              $"listing {sw.Elapsed.TotalMilliseconds:F0} ms ({entries.Length} entries)");
        }
        foreach (var mode in new[] { Qlib.Tracked.Stores.RunIndexMode.Verified })
        {
            var sw = System.Diagnostics.Stopwatch.StartNew();
            var store = new Qlib.Tracked.Stores.FileStore(args[0], new Qlib.Tracked.Stores.FileStoreOptions { RunIndex = mode });
            var times = new List<string>();
            for (var i = 0; i < 3; i++)
            {
                sw.Restart();
                store.SearchRuns([args[1]], "params.group = 'g3' and metrics.score > 0.1", Qlib.Tracked.Entities.ViewType.ActiveOnly, 1000,
                    ["metrics.score DESC", "attributes.start_time ASC"], null);
                times.Add($"{sw.Elapsed.TotalMilliseconds:F0} ms");
            }
            Console.WriteLine($"{mode} store: queries {string.Join(", ", times)} (the first loads the index)");
        }
    }
}
