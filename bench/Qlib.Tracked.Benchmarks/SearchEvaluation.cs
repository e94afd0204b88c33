using BenchmarkDotNet.Attributes;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores.Search;

namespace Qlib.Tracked.Benchmarks;

/// <summary>
/// (s) The cost of MLflow's generic filter + order_by over runs already in memory (what an index hands the
/// search): 100,000 runs of 20 params, 10 metrics, 5 tags; a params filter plus a metric order-by. Baseline:
/// the same query hand-written in LINQ (what the compiled filter must not be much slower than).
/// </summary>
[MemoryDiagnoser]
public class SearchEvaluation
{
    public const int RunCount = 100_000;
    private const string Filter = "params.p3 = 'v1' AND params.p7 LIKE 'v%' AND metrics.m2 > 0.25";
    private static readonly string[] OrderBy = ["metrics.m5 DESC"];

    private Run[] _runs = null!;

    [GlobalSetup]
    public void GlobalSetup()
    {
        var random = new Random(7);
        _runs = new Run[RunCount];
        for (var i = 0; i < RunCount; i++)
        {
            var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var p = 0; p < 20; p++) parameters[$"p{p}"] = $"v{random.Next(4)}";
            var metrics = new Dictionary<string, Metric>(StringComparer.Ordinal);
            for (var m = 0; m < 10; m++) metrics[$"m{m}"] = new Metric($"m{m}", random.NextDouble(), 0, 3);
            var tags = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var t = 0; t < 5; t++) tags[$"t{t}"] = $"tag{random.Next(10)}";
            var id = Guid.NewGuid().ToString("N");
            _runs[i] = new Run(new RunInfo(id, "1", $"run-{i}", "u", RunStatus.Finished, 1_700_000_000_000 + i, null, "file:///x", LifecycleStage.Active),
                new RunData(metrics, parameters, tags), []);
        }
    }

    [BenchmarkCategory("s"), Benchmark(Baseline = true)]
    public int HandWrittenLinq() =>
        _runs.Where(r => r.Data.Params.TryGetValue("p3", out var p3) && p3 == "v1"
                && r.Data.Params.TryGetValue("p7", out var p7) && p7.StartsWith('v')
                && r.Data.Metrics.TryGetValue("m2", out var m2) && m2.Value > 0.25)
            .OrderByDescending(r => r.Data.Metrics["m5"].Value)
            .ThenByDescending(r => r.Info.StartTime).ThenBy(r => r.Info.RunId, StringComparer.Ordinal)
            .Take(1000).ToList().Count;

    [BenchmarkCategory("s"), Benchmark]
    public int RunSearch_FilterOrderPage() =>
        RunSearch.Apply(_runs, RunSearch.Prepare(Filter, OrderBy, 1000, null)).Items.Count;
}
