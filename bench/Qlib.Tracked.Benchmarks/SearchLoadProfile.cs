namespace Qlib.Tracked.Benchmarks;

/// <summary>Where a cold search's time goes: loading the persisted run index (twice: the first pays the JIT), then the experiment listing.</summary>
internal static class SearchLoadProfile
{
    public static void Run(string[] args)
    {
        var folder = System.IO.Path.Combine(args[0], args[1]);
        var context = new Qlib.Tracked.Stores.FileBacked.Index.RunIndexContext((_, _, _) => { }, (_, _) => { });
        for (var i = 0; i < 3; i++)
        {
            var sw = System.Diagnostics.Stopwatch.StartNew();
            var index = new Qlib.Tracked.Stores.FileBacked.Index.ExperimentRunIndex(folder);
            var result = Qlib.Tracked.Stores.FileBacked.Index.RunIndexFile.TryLoad(index, context, out _);
            var load = sw.Elapsed.TotalMilliseconds;
            sw.Restart();
            var entries = index.RefreshListing();
            Console.WriteLine($"load {result} {load:F0} ms, listing {sw.Elapsed.TotalMilliseconds:F0} ms ({entries.Length} entries)");
        }
    }
}
