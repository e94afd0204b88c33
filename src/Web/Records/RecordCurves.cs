using Qlib.Tracked.Backtest;

namespace Qlib.Tracked.Web.Records;

/// <summary>
/// The curves a quant looks at first in a PortAnaRecord report, as Qlib's report graph draws them: the
/// cumulative excess return <c>C = cumsum(return − bench [− cost])</c> (summed, not compounded, as
/// Qlib's risk analysis sums) and its drawdown <c>C − cummax(C)</c> (≤ 0, absolute).
/// </summary>
internal sealed record RecordCurves(double[] CumExcessWithoutCost, double[] DrawdownWithoutCost, double[] CumExcessWithCost, double[] DrawdownWithCost)
{
    public static RecordCurves From(BacktestReport report)
    {
        var ret = report.Column("return");
        var bench = report.Column("bench");
        var cost = report.Column("cost");
        var n = report.RowCount;
        var withoutCost = new double[n];
        var withCost = new double[n];
        for (var i = 0; i < n; i++)
        {
            withoutCost[i] = ret[i] - bench[i];
            withCost[i] = ret[i] - bench[i] - cost[i];
        }
        var cumWithout = CumSum(withoutCost);
        var cumWith = CumSum(withCost);
        return new RecordCurves(cumWithout, Drawdown(cumWithout), cumWith, Drawdown(cumWith));
    }

    /// <summary>pandas' cumsum: a NaN stays NaN at its own position and is skipped in the running sum.</summary>
    public static double[] CumSum(double[] values)
    {
        var result = new double[values.Length];
        var sum = 0.0;
        for (var i = 0; i < values.Length; i++)
        {
            if (double.IsNaN(values[i])) { result[i] = double.NaN; continue; }
            sum += values[i];
            result[i] = sum;
        }
        return result;
    }

    /// <summary><c>C − cummax(C)</c>, NaN where C is NaN (pandas' cummax skips NaN too).</summary>
    public static double[] Drawdown(double[] cumulative)
    {
        var result = new double[cumulative.Length];
        var peak = double.NegativeInfinity;
        for (var i = 0; i < cumulative.Length; i++)
        {
            if (double.IsNaN(cumulative[i])) { result[i] = double.NaN; continue; }
            peak = Math.Max(peak, cumulative[i]);
            result[i] = cumulative[i] - peak;
        }
        return result;
    }
}
