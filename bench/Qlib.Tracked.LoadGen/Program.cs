// A load generator for servers speaking MLflow's REST API 2.0 (real `mlflow server`, `qtrack server`, …), independent of
// the Qlib.Tracked client: plain HttpClient, the runtime's protocol types and source-generated JSON. See bench/README.md.
//
//   dotnet bench/Qlib.Tracked.LoadGen/bin/Release/net10.0/Qlib.Tracked.LoadGen.dll --url http://127.0.0.1:5055 \
//       [--workloads log-batch,search,history,create-update] [--clients 1,8] [--seconds 10] [--min-ops 1] [--warmup 1] \
//       [--runs 1000] [--history-points 100000] [--data-name NAME]
//
// --data-name NAME keeps the search and history data in experiments of fixed names (loadgen-search-NAME-<runs>,
// loadgen-history-NAME-<points>): made when the server lacks them, reused untouched when it has them. So the data can be
// made once, and the store copied under each server measured (bench/server/run-server-bench.sh does).
//
// Prints a Markdown table, and one tab-separated `RESULT` line per measurement for scripts:
//   RESULT  workload  clients  ops  seconds  ops/s  requests/s  points/s  p50_ms  p99_ms  max_ms
using System.Globalization;
using Qlib.Tracked.LoadGen;

var options = LoadGenOptions.Parse(args);
if (options is null) return 2;

using var api = new ServerApi(options.Url);
var workloads = new Workloads(api, Guid.NewGuid().ToString("N")[..8], options.DataName);
var results = new List<LoadResult>();
Console.WriteLine($"# {options.Url}: {string.Join(", ", options.Workloads)}; clients {string.Join(", ", options.Clients)}; " +
    $"{options.Seconds} s each after {options.WarmupOps} warm-up op(s) per client; started {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} UTC");
try
{
    foreach (var workload in options.Workloads)
    {
        // Search and history data are made once per workload (runs and points to read, shared by every concurrency).
        Operation? shared = workload switch
        {
            "search" => await Timed($"setup: {options.Runs:N0} runs", () => workloads.SearchAsync(options.Runs, options.Clients.Max())),
            "history" => await Timed($"setup: {options.HistoryPoints:N0}-point metric", () => workloads.HistoryAsync(options.HistoryPoints)),
            _ => null,
        };
        foreach (var clients in options.Clients)
        {
            var operation = shared ?? workload switch
            {
                "log-batch" => await workloads.LogBatchAsync(clients),
                "create-update" => await workloads.CreateUpdateAsync(clients),
                _ => throw new InvalidOperationException(workload),
            };
            var result = await LoadRunner.RunAsync(workload, clients, TimeSpan.FromSeconds(options.Seconds), options.MinOps, options.WarmupOps, operation);
            results.Add(result);
            Console.WriteLine(string.Join('\t', "RESULT", workload, clients, result.Ops, F(result.Seconds, 2), F(result.OpsPerSecond, 1),
                F(result.RequestsPerSecond, 1), F(result.PointsPerSecond, 0), F(result.P50Ms, 1), F(result.P99Ms, 1), F(result.MaxMs, 1)));
        }
    }
}
catch (Exception e) when (e is LoadGenException or HttpRequestException or TaskCanceledException)
{
    Console.Error.WriteLine($"loadgen: {e.Message}");
    return 1;
}

Console.WriteLine();
Console.WriteLine("| workload | clients | ops | ops/s | requests/s | points/s | p50 ms | p99 ms |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
foreach (var r in results)
    Console.WriteLine($"| {r.Workload} | {r.Clients} | {r.Ops:N0} | {r.OpsPerSecond:N1} | {r.RequestsPerSecond:N1} | " +
        $"{(r.Points == 0 ? "" : r.PointsPerSecond.ToString("N0", CultureInfo.InvariantCulture))} | {r.P50Ms:N1} | {r.P99Ms:N1} |");
return 0;

static string F(double value, int decimals) => value.ToString("F" + decimals, CultureInfo.InvariantCulture);

static async Task<Operation> Timed(string what, Func<Task<Operation>> setup)
{
    var start = System.Diagnostics.Stopwatch.GetTimestamp();
    var operation = await setup();
    Console.WriteLine($"# {what} in {Clock.Seconds(start):F1} s");
    return operation;
}
