using System.Globalization;

namespace Qlib.Tracked.Benchmarks.Records;

/// <summary>
/// The record templates' figures next to real Qlib/pandas on this machine kind (qlib-semantics "Speed of real
/// Qlib/pandas": medians of 3 runs) and the issue's targets, with the in-run row-object baseline.
/// </summary>
internal static class RecordTargets
{
    private const double Ms = 1e6;

    /// <param name="nsPerOp">Method name (with <c>[Days=N]</c> for the backtest sizes) → nanoseconds per call.</param>
    public static void PrintTable(IReadOnlyDictionary<string, double> nsPerOp, string source)
    {
        if (!nsPerOp.Keys.Any(k => k.StartsWith("Ours_", StringComparison.Ordinal))) return;
        var ci = CultureInfo.InvariantCulture;
        Console.WriteLine();
        Console.WriteLine($"Record templates vs real Qlib/pandas (qlib-semantics, medians) — {source}");
        Console.WriteLine("| # | what | ours | Qlib/pandas | vs Qlib | target | met | in-run row-object baseline | vs baseline |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|:-:|---:|---:|");
        Row(nsPerOp, "s", "SigAnaRecord computation, 2,500 × 500 (IC + Rank IC + long-short)", nameof(SignalAnalysisBench.Ours_SignalAnalysis),
            2_451 + 6_002, 170, nameof(SignalAnalysisBench.Linq_SignalAnalysis));
        Row(nsPerOp, "s", "SigAnaRecord.Generate on a file store (+ Parquet load/save, 8 metrics)", nameof(SignalAnalysisBench.Ours_SigAnaRecord),
            2_451 + 6_002, double.NaN, nameof(SignalAnalysisBench.Linq_SignalAnalysis));
        Row(nsPerOp, "t", "TopkDropout(50, 5) backtest, 2,500 days × 500", nameof(BacktestBench.Ours_Backtest) + "[Days=2500]",
            61_302, 1_500, nameof(BacktestBench.RowObject_Backtest) + "[Days=2500]", "simulation 61.3 s of 77.3 s");
        Row(nsPerOp, "p", "prediction Parquet write + read, 1.25 M rows", nameof(PredictionParquetBench.Ours_WriteRead),
            7.6 + 7.4, 100, nameof(PredictionParquetBench.RowObject_WriteRead), "pickle, not Parquet");
        Console.WriteLine();

        if (PredictionParquetBench.FileBytes.Count > 0)
        {
            foreach (var (method, bytes) in PredictionParquetBench.FileBytes.OrderBy(p => p.Key, StringComparer.Ordinal))
                Console.WriteLine($"prediction file, {method}: {bytes.ToString("N0", ci)} bytes ({bytes / 1e6:0.00} MB; pandas' pickle 15,026,836; target ≤ 15 MB)");
            Console.WriteLine();
        }

        var sizes = nsPerOp.Keys.Where(k => k.StartsWith(nameof(BacktestBench.Ours_Backtest) + "[Days=", StringComparison.Ordinal))
            .Select(k => int.Parse(k[(k.IndexOf('=') + 1)..^1], ci)).Order().ToList();
        if (sizes.Count == 0) return;
        Console.WriteLine("Backtest scaling (500 instruments, TopkDropout(50, 5)); Qlib's simulation: 21.6 / 25.6 / 24.5 ms per day at 250 / 1,000 / 2,500 days");
        Console.WriteLine("| days | ours | ours per day | baseline | baseline per day | vs baseline |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|");
        foreach (var days in sizes)
        {
            var ours = nsPerOp[$"{nameof(BacktestBench.Ours_Backtest)}[Days={days}]"];
            var line = $"| {days.ToString("N0", ci)} | {Format(ours / Ms)} | {(ours / 1e3 / days).ToString("0.0", ci)} µs |";
            if (nsPerOp.TryGetValue($"{nameof(BacktestBench.RowObject_Backtest)}[Days={days}]", out var b))
                line += $" {Format(b / Ms)} | {(b / 1e3 / days).ToString("0.0", ci)} µs | {(b / ours).ToString("0.0", ci)}× |";
            else
                line += " — | — | — |";
            Console.WriteLine(line);
        }
        Console.WriteLine();
    }

    private static void Row(IReadOnlyDictionary<string, double> nsPerOp, string id, string what, string method, double qlibMs, double targetMs,
        string baseline, string? qlibNote = null)
    {
        if (!nsPerOp.TryGetValue(method, out var ns)) return;
        var ci = CultureInfo.InvariantCulture;
        var ours = ns / Ms;
        var qlib = Format(qlibMs) + (qlibNote is null ? "" : $" ({qlibNote})");
        var target = double.IsNaN(targetMs) ? "(none)" : "< " + Format(targetMs);
        var met = double.IsNaN(targetMs) ? "" : ours < targetMs ? "yes" : "NO";
        string b = "—", ratio = "—";
        if (nsPerOp.TryGetValue(baseline, out var baseNs))
        {
            b = Format(baseNs / Ms);
            ratio = (baseNs / ns).ToString("0.0", ci) + "×";
        }
        Console.WriteLine($"| {id} | {what} | {Format(ours)} | {qlib} | {(qlibMs / ours).ToString("0.0", ci)}× | {target} | {met} | {b} | {ratio} |");
    }

    private static string Format(double ms) =>
        ms >= 1_000 ? (ms / 1_000).ToString("0.00", CultureInfo.InvariantCulture) + " s" : ms.ToString("0.0", CultureInfo.InvariantCulture) + " ms";
}
