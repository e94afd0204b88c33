using System.Diagnostics;
using System.Globalization;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores;

namespace Qlib.Tracked.Benchmarks;

/// <summary>
/// <c>--store-under-server URI [SECONDS]</c>: the store alone doing what bench/server's load generator asks
/// <c>qtrack server</c> for, on the same data (a copy of run-server-bench.sh's seed), with one caller and no HTTP — so
/// the server's rate can be set against its store's in the same sitting. <c>log-batch</c>: 1,000 points (10 keys × 100
/// steps, new steps each time) into one new run; <c>search</c>: <c>params.group = 'g3'</c>, <c>metrics.ic DESC</c>,
/// first page of 100 over the seed's <c>loadgen-search-bench-10000</c>; <c>history</c>: the seed's 100,000-point
/// <c>metric_0</c>, whole and as four 25,000-point pages (the server's paging). Each for SECONDS (default 15) after one
/// warm-up; prints operations/s, p50 and p99 in the load generator's RESULT layout.
/// </summary>
internal static class StoreUnderServer
{
    private const long BaseTimestamp = 1_700_000_000_000;

    public static void Run(string[] args)
    {
        var uri = args.Length > 0 ? args[0] : throw new ArgumentException("--store-under-server needs a store URI (a copy of the seed)");
        var seconds = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 15;
        using var store = TrackingStoreRegistry.Open(uri);

        var experiment = store.CreateExperiment("store-under-server-" + Guid.NewGuid().ToString("N")[..8]);
        var run = store.CreateRun(experiment, null, BaseTimestamp, null, "log-batch").Info.RunId;
        var batch = 0L;
        Measure("log-batch", seconds, () => store.LogBatch(run, Batch(batch++ * 100), [], []));

        var searched = store.GetExperimentByName("loadgen-search-bench-10000")
            ?? throw new InvalidOperationException($"{uri} has no experiment loadgen-search-bench-10000: give a copy of run-server-bench.sh's seed");
        Measure("search", seconds, () =>
        {
            var page = store.SearchRuns([searched.ExperimentId], "params.group = 'g3'", ViewType.ActiveOnly, 100, ["metrics.ic DESC"], null);
            if (page.Items.Count != 100) throw new InvalidOperationException($"search found {page.Items.Count} runs, expected 100");
        });

        var historyExperiment = store.GetExperimentByName("loadgen-history-bench-100000")
            ?? throw new InvalidOperationException($"{uri} has no experiment loadgen-history-bench-100000");
        var historyRun = store.SearchRuns([historyExperiment.ExperimentId], null, ViewType.ActiveOnly, 1, null, null).Items[0].Info.RunId;
        Measure("history-whole", seconds, () => Expect(store.GetMetricHistory(historyRun, "metric_0").Count));
        Measure("history-pages", seconds, () =>
        {
            var read = 0;
            for (var offset = 0; ; offset += 25_000)
            {
                var page = store.GetMetricHistory(historyRun, "metric_0", offset, 25_001);
                read += Math.Min(page.Count, 25_000);
                if (page.Count <= 25_000) break;
            }
            Expect(read);
        });
    }

    private static void Expect(int points)
    {
        if (points != 100_000) throw new InvalidOperationException($"the history read {points} points, expected 100,000");
    }

    private static Metric[] Batch(long firstStep)
    {
        var metrics = new Metric[1_000];
        for (var s = 0; s < 100; s++)
        {
            var step = firstStep + s;
            for (var k = 0; k < 10; k++) metrics[(s * 10) + k] = new Metric("metric_" + k, 1.0 / (step + k + 1), BaseTimestamp + step, step);
        }
        return metrics;
    }

    private static void Measure(string name, double seconds, Action operation)
    {
        operation();
        var latencies = new List<double>();
        var total = Stopwatch.StartNew();
        while (total.Elapsed.TotalSeconds < seconds || latencies.Count == 0)
        {
            var watch = Stopwatch.StartNew();
            operation();
            latencies.Add(watch.Elapsed.TotalMilliseconds);
        }
        var elapsed = total.Elapsed.TotalSeconds;
        latencies.Sort();
        double Rank(double p) => latencies[Math.Max(0, (int)Math.Ceiling(p * latencies.Count) - 1)];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"STORE\t{name}\t1\t{latencies.Count}\t{elapsed:0.00}\t{latencies.Count / elapsed:0.0}\t{Rank(0.5):0.0}\t{Rank(0.99):0.0}\t{latencies[^1]:0.0}"));
    }
}
