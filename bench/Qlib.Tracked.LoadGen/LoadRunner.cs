using System.Diagnostics;

namespace Qlib.Tracked.LoadGen;

/// <summary>One timed operation of a workload: how many HTTP requests and metric points it carried.</summary>
internal readonly record struct OpResult(int Requests, long Points);

/// <summary>What one workload at one concurrency measured.</summary>
internal sealed record LoadResult(string Workload, int Clients, int Ops, int Requests, long Points, double Seconds,
    double P50Ms, double P99Ms, double MaxMs)
{
    public double OpsPerSecond => Ops / Seconds;
    public double RequestsPerSecond => Requests / Seconds;
    public double PointsPerSecond => Points / Seconds;
}

/// <summary>
/// Runs <c>clients</c> concurrent loops of one operation: each loop starts operations back to back until the time is
/// up (the operation in flight then finishes, so every started operation counts), and every operation's latency is
/// kept. Throughput is operations over the wall time from the first start to the last finish; warm-up operations
/// before that are not counted.
/// </summary>
internal static class LoadRunner
{
    public static async Task<LoadResult> RunAsync(string workload, int clients, TimeSpan duration, int minOpsPerClient,
        int warmupOpsPerClient, Operation operation)
    {
        // Warm-up (connections opened, code compiled, the server's caches filled), not counted; numbering goes on after it.
        await Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            for (var op = 0; op < warmupOpsPerClient; op++) await operation(client, op)();
        })));
        var latencies = new List<double>[clients];
        var requests = new int[clients];
        var points = new long[clients];
        var start = Stopwatch.GetTimestamp();
        var deadline = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var loops = Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            var mine = latencies[client] = [];
            for (var op = warmupOpsPerClient; op < warmupOpsPerClient + minOpsPerClient || Stopwatch.GetTimestamp() < deadline; op++)
            {
                var timed = operation(client, op);
                var t0 = Stopwatch.GetTimestamp();
                var result = await timed();
                mine.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                requests[client] += result.Requests;
                points[client] += result.Points;
            }
        })).ToArray();
        await Task.WhenAll(loops);
        var seconds = Clock.Seconds(start);
        var all = latencies.SelectMany(l => l).Order().ToArray();
        return new LoadResult(workload, clients, all.Length, requests.Sum(), points.Sum(), seconds,
            Percentile(all, 0.50), Percentile(all, 0.99), all[^1]);
    }

    /// <summary>Nearest-rank percentile of sorted values (with 50 samples, p99 is the largest).</summary>
    private static double Percentile(double[] sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
