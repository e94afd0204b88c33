using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Qlib.Tracked.Benchmarks;
using Qlib.Tracked.Benchmarks.Records;

// Usage (see bench/README.md):
//   dotnet run -c Release --project bench/Qlib.Tracked.Benchmarks -- --filter '*'
//   dotnet run -c Release --project bench/Qlib.Tracked.Benchmarks -- --quick [name-substring …]
//   dotnet run -c Release --project bench/Qlib.Tracked.Benchmarks -- --run-loop 10000 r|c   (runs/s per 1,000 runs)
//   dotnet run -c Release --project bench/Qlib.Tracked.Benchmarks -- --search [1000 10000 100000]
//   dotnet run … -- --rest-logging http://127.0.0.1:5055 [POINTS]   (our client against a tracking server: bench/rest/run-rest-bench.sh)
//   dotnet run … -- --store-under-server sqlite:///COPY/mlflow.db [SECONDS]   (the store alone on bench/server's seed)
//   QTRK_BENCH_URI=sqlite dotnet run … -- --quick Client_ Store_ R_ Recorder_   (the same benchmarks on a SQL store)
//   QTRK_BENCH_URI=sqlite dotnet run … -- --sql-search [10000 100000]          (params filter + metric order)
if (args.Length > 0 && args[0] == "--search")
{
    SearchIndexBench.Run(args[1..]);
    return;
}
if (args.Length > 0 && args[0] == "--search-generate")
{
    SearchIndexBench.Generate(args[1..]);
    return;
}
if (args.Length > 0 && args[0] == "--search-load-profile")
{
    SearchLoadProfile.Run(args[1..]);
    return;
}

if (args.Length > 0 && args[0] == "--search-warm-profile")
{
    SearchWarmProfile.Run(args[1..]);
    return;
}

if (args.Length > 0 && args[0] == "--search-child")
{
    SearchIndexBench.ChildMain(args[1..]);
    return;
}
if (args.Length > 0 && args[0] == "--sql-search")
{
    SqlSearchBench.Run(args[1..]);
    return;
}
if (args.Length > 0 && args[0] == "--rest-logging")
{
    RestLoggingBench.Run(args[1..]);
    return;
}
if (args.Length > 0 && args[0] == "--store-under-server")
{
    StoreUnderServer.Run(args[1..]);
    return;
}
if (args.Length > 0 && args[0] == "--run-loop")
{
    RunCreationLoop.Run(args[1..]);
    return;
}
if (args.Length > 0 && args[0] == "--quick")
{
    var results = QuickRunner.Run(args.Skip(1).ToArray());
    // The target tables compare with MLflow's FILE store; a SQL run's baseline is bench/mlflow_sqlite_baseline.py.
    if (BenchStore.SqlUri is not null) return;
    Targets.PrintTable(results, "quick mode: Stopwatch, median of 3 after 1 warm-up; use BenchmarkDotNet for the record");
    RecordTargets.PrintTable(results, "quick mode: Stopwatch, median of 3 after 1 warm-up");
    return;
}

var config = ManualConfig.Create(DefaultConfig.Instance)
    .AddJob(Job.Default
        .WithStrategy(RunStrategy.Monitoring)
        .WithLaunchCount(1)
        .WithWarmupCount(1)
        .WithIterationCount(5)
        .WithToolchain(InProcessEmitToolchain.Instance)
        .WithId("Monitoring-InProcess"))
    .AddColumn(StatisticColumn.OperationsPerSecond)
    .AddLogicalGroupRules(BenchmarkLogicalGroupRule.ByCategory)
    .WithOptions(ConfigOptions.JoinSummary);

var summaries = BenchmarkSwitcher.FromAssembly(typeof(PerCallLogging).Assembly).Run(args, config).ToList();
var measured = new Dictionary<string, double>(StringComparer.Ordinal);
foreach (var summary in summaries)
{
    foreach (var report in summary.Reports)
    {
        if (report.ResultStatistics is not { } stats) continue;
        // Sized benchmarks (the backtest's Days) are keyed Method[Name=Value].
        var parameters = string.Join(",", report.BenchmarkCase.Parameters.Items.Select(p => $"{p.Name}={p.Value}"));
        var key = report.BenchmarkCase.Descriptor.WorkloadMethod.Name + (parameters.Length > 0 ? $"[{parameters}]" : "");
        measured[key] = stats.Median; // ns per operation
    }
}
if (measured.Count > 0)
{
    Targets.PrintTable(measured, "BenchmarkDotNet, median ns per operation of 5 iterations");
    RecordTargets.PrintTable(measured, "BenchmarkDotNet, median of 5 iterations");
}

namespace Qlib.Tracked.Benchmarks
{
    /// <summary>MLflow 2.12's figures on this machine kind (reference §6) and our targets, printed next to what ran.</summary>
    internal static class Targets
    {
        private enum Unit { PerSecond, Milliseconds }

        private sealed record Row(string Id, string Method, string What, Unit Unit, double Mlflow, double Target, string Baseline);

        private static readonly Row[] Rows =
        [
            new("a", nameof(PerCallLogging.Recorder_LogMetric), "Recorder.LogMetric (async) calls/s", Unit.PerSecond, 2_134, 213_400, nameof(PerCallLogging.Naive_LogMetric)),
            new("a", nameof(PerCallLogging.R_LogMetrics), "R.LogMetrics (async) calls/s", Unit.PerSecond, 2_134, 213_400, nameof(PerCallLogging.Naive_LogMetric)),
            new("a", nameof(PerCallLogging.Client_LogMetric), "TrackingClient.LogMetric (sync) calls/s", Unit.PerSecond, 2_134, double.NaN, nameof(PerCallLogging.Naive_LogMetric)),
            new("b", nameof(BatchLogging.Client_LogBatch), "TrackingClient.LogBatch points/s", Unit.PerSecond, 10_390, 5_000_000, nameof(BatchLogging.Naive_LogBatch)),
            new("b", nameof(BatchLogging.Store_LogBatch), "FileStore.LogBatch points/s", Unit.PerSecond, 10_390, 5_000_000, nameof(BatchLogging.Naive_LogBatch)),
            new("e", nameof(RunCreation.R_StartEndRun), "R.Start + end runs/s", Unit.PerSecond, 48.5, 2_425, nameof(RunCreation.Naive_CreateEndRun)),
            new("e", nameof(RunCreation.Client_CreateTerminateRun), "CreateRun + SetTerminated runs/s", Unit.PerSecond, 48.5, 2_425, nameof(RunCreation.Naive_CreateEndRun)),
            new("d", nameof(MetricHistory.Client_GetMetricHistory), "GetMetricHistory 100k steps, ms", Unit.Milliseconds, 346, 17.3, nameof(MetricHistory.Naive_GetMetricHistory)),
            new("a*", nameof(LargeStore.Recorder_LogMetric_10kRuns), "Recorder.LogMetric, 10k-run store, calls/s", Unit.PerSecond, 59, 213_400, nameof(LargeStore.Naive_LogMetric_10kRuns)),
            new("a*", nameof(LargeStore.Client_LogMetric_10kRuns), "TrackingClient.LogMetric, 10k-run store, calls/s", Unit.PerSecond, 59, double.NaN, nameof(LargeStore.Naive_LogMetric_10kRuns)),
            new("e*", nameof(LargeStore.R_StartEndRun_10kRuns), "R.Start + end, 10k-run store, runs/s", Unit.PerSecond, 6.1, 2_425, nameof(LargeStore.Naive_CreateEndRun_10kRuns)),
            new("e*", nameof(LargeStore.Client_CreateTerminateRun_10kRuns), "CreateRun + SetTerminated, 10k-run store, runs/s", Unit.PerSecond, 6.1, 2_425, nameof(LargeStore.Naive_CreateEndRun_10kRuns)),
        ];

        /// <param name="nsPerOp">Method name → nanoseconds per operation (call, point, run, or one history read).</param>
        public static void PrintTable(IReadOnlyDictionary<string, double> nsPerOp, string source)
        {
            if (!Rows.Any(r => nsPerOp.ContainsKey(r.Method))) return;
            var ci = CultureInfo.InvariantCulture;
            Console.WriteLine();
            Console.WriteLine($"Qlib.Tracked vs MLflow 2.12 file store (reference §6) — {source}");
            Console.WriteLine("| # | what | ours | MLflow 2.12 | ratio vs MLflow | target | met | in-run naive MLflow-style | ratio vs naive |");
            Console.WriteLine("|---|---|---:|---:|---:|---:|:-:|---:|---:|");
            foreach (var row in Rows)
            {
                if (!nsPerOp.TryGetValue(row.Method, out var ns)) continue;
                var ours = row.Unit == Unit.PerSecond ? 1e9 / ns : ns / 1e6;
                var ratio = row.Unit == Unit.PerSecond ? ours / row.Mlflow : row.Mlflow / ours;
                string naive = "—", naiveRatio = "—";
                if (nsPerOp.TryGetValue(row.Baseline, out var baseNs))
                {
                    var b = row.Unit == Unit.PerSecond ? 1e9 / baseNs : baseNs / 1e6;
                    naive = Format(b, row.Unit);
                    naiveRatio = (baseNs / ns).ToString("0.0", ci) + "×";
                }
                var target = double.IsNaN(row.Target) ? "(none)" : (row.Unit == Unit.PerSecond ? "≥ " : "≤ ") + Format(row.Target, row.Unit);
                var met = double.IsNaN(row.Target) ? "" : (row.Unit == Unit.PerSecond ? ours >= row.Target : ours <= row.Target) ? "yes" : "NO";
                Console.WriteLine($"| {row.Id} | {row.What} | {Format(ours, row.Unit)} | {Format(row.Mlflow, row.Unit)} | {ratio.ToString("0.0", ci)}× | {target} | {met} | {naive} | {naiveRatio} |");
            }
            Console.WriteLine();
        }

        private static string Format(double value, Unit unit) =>
            unit == Unit.Milliseconds ? value.ToString("0.00", CultureInfo.InvariantCulture) + " ms"
            : value >= 100 ? value.ToString("N0", CultureInfo.InvariantCulture) : value.ToString("0.0", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// A fast sanity run without BenchmarkDotNet: the same classes, setups and methods, timed with a
    /// Stopwatch (1 warm-up + 3 timed iterations, median). For development, not for the record.
    /// </summary>
    internal static class QuickRunner
    {
        public static Dictionary<string, double> Run(string[] filters)
        {
            var results = new Dictionary<string, double>(StringComparer.Ordinal);
            Type[] types = [typeof(PerCallLogging), typeof(BatchLogging), typeof(RunCreation), typeof(MetricHistory), typeof(LargeStore),
                typeof(SignalAnalysisBench), typeof(BacktestBench), typeof(PredictionParquetBench)];
            foreach (var type in types)
            {
                var methods = type.GetMethods().Where(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null)
                    .Where(m => filters.Length == 0 || filters.Any(f => (type.Name + "." + m.Name).Contains(f, StringComparison.OrdinalIgnoreCase)))
                    .ToList();
                if (methods.Count == 0) continue;
                // One [Params] property at most (the backtest's Days): each value is its own instance and setup.
                var sized = type.GetProperties().FirstOrDefault(p => p.GetCustomAttribute<ParamsAttribute>() is not null);
                var values = sized?.GetCustomAttribute<ParamsAttribute>()!.Values ?? [null];
                foreach (var value in values)
                {
                    var instance = Activator.CreateInstance(type)!;
                    var suffix = sized is null ? "" : $"[{sized.Name}={value}]";
                    sized?.SetValue(instance, value);
                    // As BenchmarkDotNet: untargeted setups once, a [GlobalSetup(Target = …)] only around its method.
                    Invoke<GlobalSetupAttribute>(instance, null);
                    try
                    {
                        foreach (var method in methods)
                        {
                            Invoke<GlobalSetupAttribute>(instance, method.Name);
                            try
                            {
                                results[method.Name + suffix] = Time(instance, method, type.Name + "." + method.Name + suffix);
                            }
                            finally
                            {
                                Invoke<GlobalCleanupAttribute>(instance, method.Name);
                            }
                        }
                    }
                    finally
                    {
                        Invoke<GlobalCleanupAttribute>(instance, null);
                    }
                }
            }
            return results;
        }

        private static double Time(object instance, MethodInfo method, string name)
        {
            var ops = method.GetCustomAttribute<BenchmarkAttribute>()!.OperationsPerInvoke;
            var times = new List<double>();
            var cpu = new List<double>();
            for (var i = 0; i < 4; i++)
            {
                Invoke<IterationSetupAttribute>(instance);
                // BenchmarkDotNet's default (ForceGC): a full collection before each iteration, so garbage left by
                // the previous one (or by setup) is not collected on this one's clock.
                GC.Collect();
                GC.WaitForPendingFinalizers();
                GC.Collect();
                // CPU time of the whole process too (all threads): on a shared machine it moves less than the wall clock.
                var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
                var sw = Stopwatch.StartNew();
                method.Invoke(instance, null);
                sw.Stop();
                var cpuUsed = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
                Invoke<IterationCleanupAttribute>(instance);
                if (i > 0) times.Add(sw.Elapsed.TotalNanoseconds / ops);
                if (i > 0) cpu.Add(cpuUsed.TotalNanoseconds / ops);
            }
            times.Sort();
            cpu.Sort();
            Console.WriteLine($"{name}: {times[1]:0.0} ns/op ({1e9 / times[1]:N0} op/s; process CPU {cpu[1]:0.0} ns/op)");
            return times[1];
        }

        private static void Invoke<TAttribute>(object instance) where TAttribute : Attribute
        {
            foreach (var m in instance.GetType().GetMethods().Where(m => m.GetCustomAttribute<TAttribute>() is not null)) m.Invoke(instance, null);
        }

        /// <summary>The setup/cleanup methods targeting <paramref name="benchmark"/> (null: those with no target).</summary>
        private static void Invoke<TAttribute>(object instance, string? benchmark) where TAttribute : TargetedAttribute
        {
            foreach (var m in instance.GetType().GetMethods())
            {
                if (m.GetCustomAttribute<TAttribute>() is not { } attribute) continue;
                var targets = attribute.Targets ?? [];
                if (benchmark is null ? targets.Length == 0 : targets.Contains(benchmark)) m.Invoke(instance, null);
            }
        }
    }
}
