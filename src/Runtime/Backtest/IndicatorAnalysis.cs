namespace Qlib.Tracked.Backtest;

/// <summary>Qlib's <c>indicator_analysis(df, method)</c> result: rows <c>ffr, pa, pos</c> of one <c>value</c> column. Immutable; thread-safe.</summary>
public readonly record struct IndicatorAnalysisResult(double Ffr, double Pa, double Pos)
{
    /// <summary>The row names of Qlib's result frame, in <see cref="this[int]"/>'s order. Do not modify the array.</summary>
    public static readonly string[] Names = ["ffr", "pa", "pos"];

    /// <summary>The value of row <paramref name="index"/> of <see cref="Names"/>: 0 ffr, 1 pa, 2 pos.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not 0, 1 or 2.</exception>
    public double this[int index] => index switch { 0 => Ffr, 1 => Pa, 2 => Pos, _ => throw new ArgumentOutOfRangeException(nameof(index)) };
}

/// <summary>Qlib's <c>indicator_analysis</c> (qlib-semantics §3.4). Stateless; thread-safe.</summary>
public static class IndicatorAnalysis
{
    /// <summary>
    /// <c>ffr</c> and <c>pa</c> as <c>Σ(x·w) / Σw</c> (NaN products skipped, every weight in the denominator) with
    /// w = <c>count</c> (<paramref name="method"/> <c>mean</c>), <c>|deal_amount|</c> (<c>amount_weighted</c>) or
    /// <c>|value|</c> (<c>value_weighted</c>); <c>pos</c> always weighted by <c>count</c>.
    /// </summary>
    public static IndicatorAnalysisResult Compute(IndicatorFrame frame, string method = "mean")
    {
        ArgumentNullException.ThrowIfNull(frame);
        var n = frame.RowCount;
        var count = new double[n];
        for (var i = 0; i < n; i++) count[i] = frame.Count[i];
        double[] weights = method switch
        {
            "mean" => count,
            "amount_weighted" => frame.DealAmount.Select(Math.Abs).ToArray(),
            "value_weighted" => frame.Value.Select(Math.Abs).ToArray(),
            _ => throw TrackingException.InvalidParameter($"indicator_analysis method '{method}' is not one of mean, amount_weighted, value_weighted."),
        };
        return new IndicatorAnalysisResult(Weighted(frame.Ffr, weights), Weighted(frame.Pa, weights), Weighted(frame.Pos, count));
    }

    private static double Weighted(double[] x, double[] w)
    {
        double num = 0, den = 0;
        for (var i = 0; i < x.Length; i++)
        {
            var p = x[i] * w[i];
            if (!double.IsNaN(p)) num += p;
            if (!double.IsNaN(w[i])) den += w[i];
        }
        return num / den;
    }
}
