namespace Qlib.Tracked.Benchmarks;

/// <summary>
/// Where a cold search's time goes: reading and hashing the persisted run index file alone, loading it
/// (read + hash + parse; three times: the first pays the JIT), then the experiment listing.
/// </summary>
internal static class SearchLoadProfile
{
    public static void Run(string[] args)
    {
        var folder = System.IO.Path.Combine(args[0], args[1]);
        var context = new Qlib.Tracked.Stores.FileBacked.Index.RunIndexContext((_, _, _) => { }, (_, _) => { });
        for (var i = 0; i < 3; i++)
        {
            var sw = System.Diagnostics.Stopwatch.StartNew();
            var bytes = File.ReadAllBytes(Qlib.Tracked.Stores.FileBacked.Index.RunIndexFile.PathOf(folder));
            var read = sw.Elapsed.TotalMilliseconds;
            sw.Restart();
            Qlib.Tracked.Stores.FileBacked.Index.RunIndexFile.Hash(bytes.AsSpan(24));
            var hash = sw.Elapsed.TotalMilliseconds;
            sw.Restart();
            var parsed = new Qlib.Tracked.Stores.FileBacked.Index.ExperimentRunIndex(folder);
            if (BitConverter.ToInt32(bytes, 24) == Qlib.Tracked.Stores.FileBacked.Index.RunIndexFormat.Version)
                Qlib.Tracked.Stores.FileBacked.Index.RunIndexFormat.Load(bytes, 24, parsed, context);
            var parse = sw.Elapsed.TotalMilliseconds;
            bytes = null;
            parsed = null;
            GC.Collect();

            sw.Restart();
            var index = new Qlib.Tracked.Stores.FileBacked.Index.ExperimentRunIndex(folder);
            var result = Qlib.Tracked.Stores.FileBacked.Index.RunIndexFile.TryLoad(index, context, out var problem);
            var load = sw.Elapsed.TotalMilliseconds;
            sw.Restart();
            var entries = index.RefreshListing();
            Console.WriteLine($"read {read:F0} ms, hash {hash:F0} ms, parse {parse:F0} ms; load {result}{(problem is null ? "" : " (" + problem + ")")} {load:F0} ms " +
                              $"(gen0/1/2 collections so far {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}), " +
                              $"listing {sw.Elapsed.TotalMilliseconds:F0} ms ({entries.Length} entries)");
        }
        foreach (var mode in new[] { Qlib.Tracked.Stores.RunIndexMode.Trusted, Qlib.Tracked.Stores.RunIndexMode.Verified })
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
