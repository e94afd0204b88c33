using Qlib.Tracked.Backtest;

namespace QuickStart;

/// <summary>
/// The price panel behind <see cref="SyntheticMarket"/>'s labels, so PortAnaRecord can backtest the predictions.
/// The label of day d is Qlib's <c>Ref($close, -2) / Ref($close, -1) - 1</c> (the return from d+1's close to
/// d+2's, the bar a signal made on d trades into), so <c>close[d] = close[d-1] · (1 + label[d-2])</c>, with
/// every close rounded to float32 as Qlib stores it. <c>open</c> is the previous close, <c>high</c>/<c>low</c>
/// bracket open and close, <c>volume</c> 1e6, <c>factor</c> 1, <c>change</c> = close / previous close − 1 (float32,
/// NaN on the first day). The benchmark <c>SH000300</c> is the equal-weight mean of the same returns.
/// </summary>
public static class SyntheticPrices
{
    public const string Benchmark = "SH000300";

    public static MarketData Generate(SyntheticMarket market)
    {
        ArgumentNullException.ThrowIfNull(market);
        var n = market.Instruments.Length;
        var days = market.Days.Length;
        var rows = new List<MarketRow>((n + 1) * days);
        for (var i = 0; i < n; i++)
        {
            var start = 5 + (i * 37 % 100) / 4.0; // 5 … 29.75, deterministic per instrument
            AddSeries(rows, market.Instruments[i], market.Days, start, d => market.Label[d * n + i]);
        }
        AddSeries(rows, Benchmark, market.Days, 3000, d =>
        {
            double sum = 0;
            for (var i = 0; i < n; i++) sum += market.Label[d * n + i];
            return sum / n;
        });
        return MarketData.FromRows(rows);
    }

    /// <summary>The Qlib TopkDropout settings for a universe of <paramref name="instruments"/>: topk 50 / n_drop 5 at 300, scaled down for small ones.</summary>
    public static BacktestConfig Config(int instruments)
    {
        var topk = Math.Clamp(instruments / 6, 1, 50);
        return new BacktestConfig
        {
            Strategy = new TopkDropoutOptions { Topk = topk, NDrop = Math.Max(1, topk / 10) },
            Benchmark = Benchmark,
        };
    }

    private static void AddSeries(List<MarketRow> rows, string instrument, DateTime[] days, double start, Func<int, double> label)
    {
        var close = (double)(float)start;
        var previous = double.NaN;
        for (var d = 0; d < days.Length; d++)
        {
            if (d >= 2) close = (float)(close * (1 + label(d - 2)));
            var open = double.IsNaN(previous) ? close : previous;
            var change = double.IsNaN(previous) ? double.NaN : (float)(close / previous - 1);
            rows.Add(new MarketRow(days[d], instrument, open, close, Math.Max(open, close), Math.Min(open, close), 1e6, 1, change));
            previous = close;
        }
    }
}
