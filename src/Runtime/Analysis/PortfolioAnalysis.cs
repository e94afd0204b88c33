using Qlib.Tracked.Frames;

namespace Qlib.Tracked.Analysis;

/// <summary>
/// PortAnaRecord's risk analysis of a backtest report (qlib-semantics §3.4): the excess return without
/// cost (<c>return − bench</c>) and with cost (<c>return − bench − cost</c>), each through
/// <see cref="RiskAnalysis.Compute"/> in sum mode at the analysis frequency, logged flattened as
/// <c>{freq}.{series}.{metric}</c> (<c>1day.excess_return_with_cost.annualized_return</c>, …).
/// The backtest that produces the report is not here.
/// Stateless; thread-safe.
/// </summary>
public static class PortfolioAnalysis
{
    /// <summary>The series name of <c>return − bench</c> in the risk-analysis table and the logged metric keys.</summary>
    public const string ExcessReturnWithoutCost = "excess_return_without_cost";
    /// <summary>The series name of <c>return − bench − cost</c> in the risk-analysis table and the logged metric keys.</summary>
    public const string ExcessReturnWithCost = "excess_return_with_cost";

    /// <summary>The frequency PortAnaRecord analyses a daily backtest at (its artifact suffix and metric prefix).</summary>
    public const string DefaultFreq = "1day";

    /// <summary>
    /// Qlib's <c>port_analysis_{freq}</c> frame: <c>excess_return_without_cost</c> then <c>excess_return_with_cost</c>,
    /// five rows each. The three columns must have the same length (one entry per report day).
    /// </summary>
    public static RiskAnalysisTable ExcessReturnAnalysis(ReadOnlySpan<double> returns, ReadOnlySpan<double> bench, ReadOnlySpan<double> cost,
        string freq = DefaultFreq, RiskAnalysisMode mode = RiskAnalysisMode.Sum)
    {
        if (bench.Length != returns.Length || cost.Length != returns.Length)
            throw TrackingException.InvalidParameter(
                $"Report columns must have equal lengths, got return={returns.Length}, bench={bench.Length}, cost={cost.Length}.");
        var without = new double[returns.Length];
        var with = new double[returns.Length];
        for (var i = 0; i < returns.Length; i++)
        {
            without[i] = returns[i] - bench[i];
            with[i] = returns[i] - bench[i] - cost[i];
        }
        return RiskAnalysisTable.From(
            (ExcessReturnWithoutCost, RiskAnalysis.Compute(without, freq: freq, mode: mode)),
            (ExcessReturnWithCost, RiskAnalysis.Compute(with, freq: freq, mode: mode)));
    }

    /// <summary>The metrics PortAnaRecord logs for <paramref name="table"/>: <c>{freq}.{series}.{metric}</c> → risk, in table order.</summary>
    public static IReadOnlyList<KeyValuePair<string, double>> FlattenMetrics(string freq, RiskAnalysisTable table)
    {
        ArgumentException.ThrowIfNullOrEmpty(freq);
        ArgumentNullException.ThrowIfNull(table);
        var metrics = new List<KeyValuePair<string, double>>(table.RowCount);
        for (var i = 0; i < table.RowCount; i++)
        {
            var key = table.Series[i].Length == 0 ? $"{freq}.{table.Metric[i]}" : $"{freq}.{table.Series[i]}.{table.Metric[i]}";
            metrics.Add(new(key, table.Risk[i]));
        }
        return metrics;
    }
}
