using Qlib.Tracked.Frames;

namespace Qlib.Tracked.Benchmarks.Records;

/// <summary>One (datetime, instrument) row of a prediction/label panel, as a row object.</summary>
internal sealed record PanelRow(DateTime Datetime, string Instrument, double Score, double Label);

/// <summary>
/// The in-run baseline for SigAnaRecord: the same formulas (qlib-semantics §4.1–4.2) written the straightforward
/// way — a list of row objects, LINQ <c>GroupBy</c> per date, <c>OrderBy</c> for ranks and the long/short legs — as a
/// C# port that mirrors pandas' <c>groupby().apply()</c> would. Its metrics must equal the library's (checked in setup).
/// </summary>
internal static class LinqSignalAnalysis
{
    public static List<PanelRow> Rows(PredictionFrame pred, LabelFrame label) =>
        Enumerable.Range(0, pred.RowCount).Select(i => new PanelRow(pred.Datetime[i], pred.Instrument[i], pred.Score[i], label.Label[i])).ToList();

    /// <summary>IC, ICIR, Rank IC, Rank ICIR, then the four long-short metrics (ann_scaler 252).</summary>
    public static double[] Analyze(List<PanelRow> rows)
    {
        var ic = new List<double>();
        var ric = new List<double>();
        var longShort = new List<double>();
        var longAvg = new List<double>();
        foreach (var day in rows.GroupBy(r => r.Datetime).OrderBy(g => g.Key))
        {
            var pairs = day.Where(r => !double.IsNaN(r.Score) && !double.IsNaN(r.Label)).ToList();
            var x = pairs.Select(p => p.Score).ToList();
            var y = pairs.Select(p => p.Label).ToList();
            ic.Add(Pearson(x, y));
            ric.Add(pairs.Count < 2 ? double.NaN : Pearson(Ranks(x), Ranks(y)));

            var n = (int)(day.Count() * 0.2);
            var scored = day.Where(r => !double.IsNaN(r.Score)).ToList();
            var top = MeanSkipNaN(scored.OrderByDescending(r => r.Score).Take(n).Select(r => r.Label));
            var bottom = MeanSkipNaN(scored.OrderBy(r => r.Score).Take(n).Select(r => r.Label));
            longShort.Add((top - bottom) / 2);
            longAvg.Add(MeanSkipNaN(day.Select(r => r.Label)));
        }
        double icMean = MeanSkipNaN(ic), ricMean = MeanSkipNaN(ric), lsMean = MeanSkipNaN(longShort), laMean = MeanSkipNaN(longAvg);
        return
        [
            icMean, icMean / StdSkipNaN(ic), ricMean, ricMean / StdSkipNaN(ric),
            lsMean * 252, lsMean / StdSkipNaN(longShort) * Math.Sqrt(252), laMean * 252, laMean / StdSkipNaN(longAvg) * Math.Sqrt(252),
        ];
    }

    private static double Pearson(List<double> x, List<double> y)
    {
        if (x.Count < 2 || x.Distinct().Count() == 1 || y.Distinct().Count() == 1) return double.NaN;
        double mx = x.Average(), my = y.Average();
        var sxy = x.Zip(y, (a, b) => (a - mx) * (b - my)).Sum();
        var sxx = x.Sum(a => (a - mx) * (a - mx));
        var syy = y.Sum(b => (b - my) * (b - my));
        var ddof = x.Count - 1.0;
        return Math.Clamp(sxy / ddof / Math.Sqrt(sxx / ddof) / Math.Sqrt(syy / ddof), -1, 1);
    }

    /// <summary>Average ranks (1-based), ties sharing the mean of their positions.</summary>
    private static List<double> Ranks(List<double> values)
    {
        var ranks = new double[values.Count];
        var position = 1;
        foreach (var tie in values.Select((v, i) => (Value: v, Index: i)).OrderBy(p => p.Value).GroupBy(p => p.Value))
        {
            var members = tie.ToList();
            var rank = position + (members.Count - 1) / 2.0;
            foreach (var m in members) ranks[m.Index] = rank;
            position += members.Count;
        }
        return ranks.ToList();
    }

    private static double MeanSkipNaN(IEnumerable<double> values)
    {
        var kept = values.Where(v => !double.IsNaN(v)).ToList();
        return kept.Count == 0 ? double.NaN : kept.Average();
    }

    private static double StdSkipNaN(IEnumerable<double> values)
    {
        var kept = values.Where(v => !double.IsNaN(v)).ToList();
        if (kept.Count < 2) return double.NaN;
        var mean = kept.Average();
        return Math.Sqrt(kept.Sum(v => (v - mean) * (v - mean)) / (kept.Count - 1));
    }
}
