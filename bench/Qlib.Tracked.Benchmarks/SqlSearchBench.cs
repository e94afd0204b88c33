using System.Diagnostics;
using System.Globalization;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores;

namespace Qlib.Tracked.Benchmarks;

/// <summary>
/// <c>--sql-search N…</c>: a params filter + metric order search (<c>params.group = 'g3'</c>, <c>metrics.ic DESC</c>,
/// first page of 100) over N runs of one experiment in a BenchStore (set <c>QTRK_BENCH_URI</c> for a SQL store). The
/// same rows as bench/mlflow_sqlite_baseline.py's search: params group/seed and one metric ic per run.
/// Prints the median of 3 timed searches after 1 warm-up.
/// </summary>
internal static class SqlSearchBench
{
    public static void Run(string[] args)
    {
        foreach (var arg in args.Length == 0 ? ["10000"] : args)
        {
            var runs = int.Parse(arg, CultureInfo.InvariantCulture);
            using var store = new BenchStore("sql-search");
            var experimentId = store.Store.CreateExperiment("bench-search");
            var fill = Stopwatch.StartNew();
            for (var i = 0; i < runs; i++)
            {
                var run = store.Store.CreateRun(experimentId, "bench", 1_700_000_000_000 + i, null, "r" + i).Info.RunId;
                var ic = (i * 7919L % 10007) / 10007.0;
                store.Store.LogBatch(run, [new Metric("ic", ic, 1_700_000_000_000 + i, 0)],
                    [new Param("group", "g" + (i % 11)), new Param("seed", i.ToString(CultureInfo.InvariantCulture))], []);
            }
            fill.Stop();
            var timings = new List<double>();
            for (var attempt = 0; attempt < 4; attempt++)
            {
                var watch = Stopwatch.StartNew();
                var page = store.Store.SearchRuns([experimentId], "params.group = 'g3'", ViewType.ActiveOnly, 100, ["metrics.ic DESC"], null);
                watch.Stop();
                if (page.Items.Count != 100) throw new InvalidOperationException($"search found {page.Items.Count} runs, expected 100");
                timings.Add(watch.Elapsed.TotalMilliseconds);
            }
            var timed = timings.Skip(1).Order().ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"search {runs} runs ({store.Uri}): {timed[1]:0.0} ms (median of 3; warm-up {timings[0]:0.0} ms; fill {runs / fill.Elapsed.TotalSeconds:0} runs/s)"));
        }
    }
}
