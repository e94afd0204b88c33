using Qlib.Tracked.Backtest;
using Qlib.Tracked.Frames;

namespace Qlib.Tracked.Benchmarks.Records;

/// <summary>
/// The backtest market of qlib-semantics "Speed of real Qlib/pandas" §2, seeded: <c>instruments</c> stocks plus the
/// benchmark SH000300 over <c>days + 2</c> business days (one before the backtest for the first signal, one after as
/// the last bar's right edge); daily returns N(0, 0.02) clipped to ±9 %, about 0.3 % ±10 % limit moves per side and
/// 0.3 % suspended days (every field NaN), constant factors in {0.5, 0.8, 1, 1.25, 2}; the prediction is N(0,1) for
/// every stock on days 0..days. With random scores TopkDropout(50, 5) drops 5 and buys 5 nearly every day.
/// </summary>
internal sealed class SyntheticMarket
{
    public const string Benchmark = "SH000300";

    private SyntheticMarket(MarketData market, PredictionFrame pred, List<MarketRow> rows, int days)
    {
        Market = market;
        Pred = pred;
        Rows = rows;
        Days = days;
    }

    public MarketData Market { get; }
    public PredictionFrame Pred { get; }
    /// <summary>The rows the market was built from (what a row-object baseline works on).</summary>
    public List<MarketRow> Rows { get; }
    public int Days { get; }
    public DateTime Start => Market.Calendar[1];
    public DateTime End => Market.Calendar[Days];

    /// <summary>PortAnaRecord's default backtest (account 1e8, cn costs and limits, unit 100) over the <see cref="Days"/> trade days.</summary>
    public BacktestConfig Config => new() { StartTime = Start, EndTime = End, Benchmark = Benchmark };

    public static SyntheticMarket Create(int days, int instruments = 500, int seed = 5150)
    {
        var random = new Random(seed);
        var calendar = SyntheticPanel.BusinessDays(new DateTime(2005, 1, 4), days + 2);
        var codes = SyntheticPanel.Instruments(instruments);
        double[] factors = [0.5, 0.8, 1, 1.25, 2];
        var rows = new List<MarketRow>((instruments + 1) * calendar.Length);
        var benchReturn = new double[calendar.Length];
        var benchCount = new int[calendar.Length];
        foreach (var code in codes)
        {
            var factor = factors[random.Next(factors.Length)];
            var close = 5 + 95 * random.NextDouble();
            for (var d = 0; d < calendar.Length; d++)
            {
                if (d > 0 && random.NextDouble() < 0.003)
                {
                    rows.Add(new MarketRow(calendar[d], code, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN));
                    continue;
                }
                var u = random.NextDouble();
                var r = u < 0.003 ? 0.1 : u < 0.006 ? -0.1 : Math.Clamp(0.02 * SyntheticPanel.Normal(random), -0.09, 0.09);
                if (d == 0) r = 0;
                var open = close;
                var next = close * (1 + r);
                rows.Add(new MarketRow(calendar[d], code, open, next, Math.Max(open, next) * 1.005, Math.Min(open, next) * 0.995,
                    Math.Round(1e5 + 1e6 * random.NextDouble()), factor, d == 0 ? double.NaN : r));
                close = next;
                if (d > 0)
                {
                    benchReturn[d] += r;
                    benchCount[d]++;
                }
            }
        }
        var level = 3000.0;
        for (var d = 0; d < calendar.Length; d++)
        {
            var r = d == 0 || benchCount[d] == 0 ? 0 : benchReturn[d] / benchCount[d];
            var next = level * (1 + r);
            rows.Add(new MarketRow(calendar[d], Benchmark, level, next, Math.Max(level, next), Math.Min(level, next), 1e9, 1, d == 0 ? double.NaN : r));
            level = next;
        }

        var n = (days + 1) * instruments;
        var datetime = new DateTime[n];
        var instrument = new string[n];
        var score = new double[n];
        var row = 0;
        for (var d = 0; d <= days; d++)
        {
            for (var i = 0; i < instruments; i++, row++)
            {
                datetime[row] = calendar[d];
                instrument[row] = codes[i];
                score[row] = SyntheticPanel.Normal(random);
            }
        }
        return new SyntheticMarket(MarketData.FromRows(rows), new PredictionFrame(datetime, instrument, score), rows, days);
    }
}
