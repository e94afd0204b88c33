using System.Globalization;
using System.Text.RegularExpressions;
using Qlib.Tracked.Frames;

namespace Qlib.Tracked.Analysis;

/// <summary>How <see cref="RiskAnalysis.Compute"/> accumulates returns (Qlib's <c>mode</c>).</summary>
public enum RiskAnalysisMode
{
    /// <summary>Arithmetic: mean, sample std, <c>mean × N</c>, drawdown of the summed curve (Qlib's default).</summary>
    Sum,

    /// <summary>Geometric: compounded curve, std of log returns, compounded annual return, percentage drawdown.</summary>
    Product,
}

/// <summary>One column of Qlib's risk-analysis frame; <see cref="N"/> is the scaler that was used. Immutable; thread-safe.</summary>
public readonly record struct RiskAnalysisResult(double Mean, double Std, double AnnualizedReturn, double InformationRatio, double MaxDrawdown, double N)
{
    /// <summary>The row names of Qlib's frame, in its order.</summary>
    public static readonly string[] MetricNames = ["mean", "std", "annualized_return", "information_ratio", "max_drawdown"];

    /// <summary>The value of <see cref="MetricNames"/>[<paramref name="index"/>].</summary>
    public double this[int index] => index switch
    {
        0 => Mean,
        1 => Std,
        2 => AnnualizedReturn,
        3 => InformationRatio,
        4 => MaxDrawdown,
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };
}

/// <summary>Qlib's <c>risk_analysis(r, N=None, freq="day", mode="sum")</c> (qlib-semantics §4.3). Stateless; thread-safe.</summary>
public static partial class RiskAnalysis
{
    /// <summary>
    /// Risk of the return series <paramref name="returns"/>. The scaler is <paramref name="n"/> when given
    /// (it wins over <paramref name="freq"/>, as in Qlib), otherwise the one for <paramref name="freq"/>
    /// (238 for a day; see <see cref="Scaler"/>). Sum mode: NaN-skipping mean and sample std,
    /// <c>mean × N</c>, <c>min(C − cummax C)</c> with <c>C = cumsum r</c>. Product mode: <c>curve = cumprod(1 + r)</c>
    /// (a NaN stays NaN in the curve and the product carries on past it), <c>mean = curve[-1]^(1/len) − 1</c>
    /// and <c>annualized_return = curve[-1]^(N/len) − 1</c> with len counting NaN entries too,
    /// <c>std = std(log(1 + r))</c>, <c>max_drawdown = min(curve / cummax curve − 1)</c>.
    /// Both: <c>information_ratio = mean / std × √N</c>.
    /// </summary>
    public static RiskAnalysisResult Compute(ReadOnlySpan<double> returns, double? n = null, string? freq = "day", RiskAnalysisMode mode = RiskAnalysisMode.Sum)
    {
        var scaler = Scaler(n, freq);
        double mean, std, annualized, maxDrawdown;
        if (mode == RiskAnalysisMode.Sum)
        {
            mean = Stats.NanMean(returns);
            std = Stats.NanStd(returns);
            annualized = mean * scaler;
            maxDrawdown = SumDrawdown(returns);
        }
        else if (mode == RiskAnalysisMode.Product)
        {
            var logs = new double[returns.Length];
            for (var i = 0; i < returns.Length; i++) logs[i] = Math.Log(1 + returns[i]);
            std = Stats.NanStd(logs);
            var (last, drawdown) = ProductCurve(returns);
            var len = returns.Length;
            mean = Math.Pow(last, 1.0 / len) - 1;
            var cumulative = last - 1;
            annualized = Math.Pow(1 + cumulative, scaler / len) - 1;
            maxDrawdown = drawdown;
        }
        else
        {
            throw TrackingException.InvalidParameter($"Unknown risk-analysis mode {mode}; use Sum or Product.");
        }
        return new RiskAnalysisResult(mean, std, annualized, mean / std * Math.Sqrt(scaler), maxDrawdown, scaler);
    }

    /// <inheritdoc cref="Compute(ReadOnlySpan{double}, double?, string?, RiskAnalysisMode)"/>
    public static RiskAnalysisTable ComputeTable(ReadOnlySpan<double> returns, double? n = null, string? freq = "day", RiskAnalysisMode mode = RiskAnalysisMode.Sum) =>
        RiskAnalysisTable.From(("", Compute(returns, n, freq, mode)));

    /// <summary>
    /// The scaler N: <paramref name="n"/> when given; otherwise from <paramref name="freq"/>, parsed like
    /// Qlib's <c>Freq.parse</c> (<c>^(\d*)(month|mon|week|w|day|d|minute|min)$</c>, case-insensitive, a missing
    /// count meaning 1) as <c>base / count</c> with base 12 (month), 50 (week), 238 (day), 240 × 238 (minute).
    /// Both null is INVALID_PARAMETER_VALUE, as Qlib raises.
    /// </summary>
    public static double Scaler(double? n, string? freq)
    {
        if (n is { } given) return given;
        if (freq is null) throw TrackingException.InvalidParameter("risk_analysis needs N or freq; both are null.");
        var match = FreqPattern().Match(freq);
        if (!match.Success)
            throw TrackingException.InvalidParameter(
                $"Frequency '{freq}' is not one Qlib parses: a count and one of month, mon, week, w, day, d, minute, min (e.g. 1day, 5min).");
        var count = match.Groups[1].Length == 0 ? 1 : int.Parse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture);
        if (count == 0) throw TrackingException.InvalidParameter($"Frequency '{freq}' has a zero count.");
        double unitBase = match.Groups[2].Value.ToLowerInvariant() switch
        {
            "month" or "mon" => 12,
            "week" or "w" => 50,
            "day" or "d" => 238,
            _ => 240 * 238,
        };
        return unitBase / count;
    }

    [GeneratedRegex(@"^(\d*)(month|mon|week|w|day|d|minute|min)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FreqPattern();

    /// <summary><c>(C − C.cummax()).min()</c> with <c>C = r.cumsum()</c>, pandas' NaN rules (NaN stays in place, skipped by cummax and min).</summary>
    private static double SumDrawdown(ReadOnlySpan<double> returns)
    {
        double sum = 0, peak = double.NaN, worst = double.NaN;
        foreach (var r in returns)
        {
            if (double.IsNaN(r)) continue;
            sum += r;
            if (double.IsNaN(peak) || sum > peak) peak = sum;
            var dd = sum - peak;
            if (double.IsNaN(worst) || dd < worst) worst = dd;
        }
        return worst;
    }

    /// <summary>The last value of <c>(1 + r).cumprod()</c> (NaN when the last entry is NaN) and <c>(curve / curve.cummax() − 1).min()</c>.</summary>
    private static (double Last, double MaxDrawdown) ProductCurve(ReadOnlySpan<double> returns)
    {
        double product = 1, peak = double.NaN, worst = double.NaN, last = double.NaN;
        var any = false;
        foreach (var r in returns)
        {
            var growth = 1 + r;
            if (double.IsNaN(growth))
            {
                last = double.NaN;
                continue;
            }
            product = any ? product * growth : growth;
            any = true;
            last = product;
            if (double.IsNaN(peak) || product > peak) peak = product;
            var dd = product / peak - 1;
            if (double.IsNaN(worst) || dd < worst) worst = dd;
        }
        return (last, worst);
    }
}
