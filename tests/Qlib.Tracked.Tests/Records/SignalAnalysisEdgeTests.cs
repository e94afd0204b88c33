using Qlib.Tracked.Analysis;
using Qlib.Tracked.Frames;
using static Qlib.Tracked.Tests.Records.QlibVectors;

namespace Qlib.Tracked.Tests.Records;

/// <summary>The edge cases of calc_ic and calc_long_short_return (qlib-semantics §4.1–4.2), on hand-checked panels.</summary>
public class SignalAnalysisEdgeTests
{
    private static readonly DateTime D1 = new(2021, 1, 4), D2 = new(2021, 1, 5), D3 = new(2021, 1, 6);

    /// <summary>One date per group; instruments A.. in order.</summary>
    private static (PredictionFrame, LabelFrame) Build(params (DateTime Date, double[] Score, double[] Label)[] days)
    {
        var dt = new List<DateTime>();
        var inst = new List<string>();
        var s = new List<double>();
        var l = new List<double>();
        foreach (var (date, score, label) in days)
        {
            for (var i = 0; i < score.Length; i++)
            {
                dt.Add(date);
                inst.Add("SH6" + i.ToString("D5", System.Globalization.CultureInfo.InvariantCulture));
                s.Add(score[i]);
                l.Add(label[i]);
            }
        }
        return (new PredictionFrame(dt.ToArray(), inst.ToArray(), s.ToArray()), new LabelFrame(dt.ToArray(), inst.ToArray(), l.ToArray()));
    }

    [Fact]
    public void CalcIc_NaNScoresAndLabels_DropIncompletePairs_TwoPairsGiveExactlyOne()
    {
        // Complete pairs: (1, 2) and (4, 8) on D1; (1, 5) and (2, 3) on D2.
        var (pred, label) = Build(
            (D1, [1, double.NaN, 3, 4], [2, 5, double.NaN, 8]),
            (D2, [1, 2, double.NaN], [5, 3, 1]));
        var (ic, ric) = SignalAnalysis.CalcIc(pred, label);
        // ±1 up to numpy's rounding of cov / σx / σy.
        Close(1.0, ic.Value[0], "ic D1");
        Close(-1.0, ic.Value[1], "ic D2");
        Close(1.0, ric.Value[0], "ric D1");
        Close(-1.0, ric.Value[1], "ric D2");
    }

    [Fact]
    public void CalcIc_FewerThanTwoPairs_OrAllLabelsNaN_OrConstantSide_IsNaN()
    {
        var (pred, label) = Build(
            (D1, [1, 2, 3], [double.NaN, double.NaN, double.NaN]), // every label NaN
            (D2, [1, double.NaN, 3], [4, 5, double.NaN]),            // one pair
            (D3, [0.1, 0.1, 0.1, 0.1], [1, 2, 3, 4]));               // constant score
        var (ic, ric) = SignalAnalysis.CalcIc(pred, label);
        Assert.All(ic.Value, v => Assert.True(double.IsNaN(v)));
        Assert.All(ric.Value, v => Assert.True(double.IsNaN(v)));
    }

    [Fact]
    public void CalcIc_TiedScoresAndLabels_UseAverageRanks()
    {
        // Ranks x = [1, 2.5, 2.5, 4], y = [1.5, 1.5, 3, 4]: Σdxdy = 3.75, Σdx² = Σdy² = 4.5 → 5/6.
        var (pred, label) = Build((D1, [1, 2, 2, 3], [1, 1, 2, 3]));
        var (ic, ric) = SignalAnalysis.CalcIc(pred, label);
        Close(5.0 / 6.0, ric.Value[0], "rank ic with ties");
        // Pearson on the raw values: x̄ = 2, ȳ = 1.75; Σdxdy = 2, Σdx² = 2, Σdy² = 2.75.
        Close(2 / Math.Sqrt(2 * 2.75), ic.Value[0], "ic");
    }

    [Fact]
    public void CalcIc_RankIgnoresNaNRows_RanksAfterFiltering()
    {
        // The NaN-label row has the top score; ranks are taken over the 3 complete pairs only: x ranks 1,2,3 vs y 3,2,1.
        var (pred, label) = Build((D1, [1, 2, 3, 100], [3, 2, 1, double.NaN]));
        var (_, ric) = SignalAnalysis.CalcIc(pred, label);
        Assert.Equal(-1.0, ric.Value[0]);
    }

    [Fact]
    public void LongShort_TiesBrokenByRowOrder_HalvedSpread()
    {
        // 10 rows → N = 2. Long: the first two 5s (rows 0, 1); short: the first two 1s (rows 3, 4).
        var (pred, label) = Build((D1, [5, 5, 5, 1, 1, 1, 3, 3, 3, 3], [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0]));
        var ls = SignalAnalysis.CalcLongShortReturn(pred, label);
        Close(0.15, ls.Long.Value[0], "long");
        Close(0.45, ls.Short.Value[0], "short");
        Close(-0.15, ls.LongShort.Value[0], "long-short");
        Close(0.55, ls.LongAverage.Value[0], "long-avg");
    }

    [Fact]
    public void LongShort_NCountsEveryRow_NaNScoresNeverChosen_NaNLabelsSkipped()
    {
        // D1: 5 rows → N = 1 although only 3 scores are present; long = row 4 (label 3), short = row 2 (label 1).
        // D2: 4 rows → N = 0 → both legs NaN; long_avg is still the mean label.
        // D3: 5 rows, N = 1, the top score's label is NaN → long NaN → long-short NaN.
        var (pred, label) = Build(
            (D1, [double.NaN, double.NaN, 1, 2, 3], [10, 10, 1, 2, 3]),
            (D2, [1, 2, 3, 4], [1, 2, 3, double.NaN]),
            (D3, [1, 2, 3, 4, 5], [1, 2, 3, 4, double.NaN]));
        var ls = SignalAnalysis.CalcLongShortReturn(pred, label);
        Assert.Equal(3.0, ls.Long.Value[0]);
        Assert.Equal(1.0, ls.Short.Value[0]);
        Assert.Equal(1.0, ls.LongShort.Value[0]);
        Close(26.0 / 5, ls.LongAverage.Value[0], "long_avg D1");
        Assert.True(double.IsNaN(ls.Long.Value[1]) && double.IsNaN(ls.Short.Value[1]) && double.IsNaN(ls.LongShort.Value[1]));
        Assert.Equal(2.0, ls.LongAverage.Value[1]);
        Assert.True(double.IsNaN(ls.Long.Value[2]));
        Assert.Equal(1.0, ls.Short.Value[2]);
        Assert.True(double.IsNaN(ls.LongShort.Value[2]));
        Assert.Equal(2.5, ls.LongAverage.Value[2]);
    }

    [Fact]
    public void Summary_SkipsNaNDates_SampleStd()
    {
        // IC per date: 1, -1, NaN (all labels NaN) → IC = 0, std (ddof=1) = √2, ICIR = 0.
        var (pred, label) = Build(
            (D1, [1, 2], [1, 2]),
            (D2, [1, 2], [2, 1]),
            (D3, [1, 2], [double.NaN, double.NaN]));
        var result = SignalAnalysis.Analyze(pred, label, longShort: true);
        Assert.Equal(0.0, result.Metric(RecordMetrics.IC));
        Assert.Equal(0.0, result.Metric(RecordMetrics.ICIR));
        Assert.True(double.IsNaN(result.Ic.Value[2]));
        // 2 rows per date → N = 0: every long-short value NaN, so the annual return is NaN.
        Assert.True(double.IsNaN(result.Metric(RecordMetrics.LongShortAnnReturn)));
        // long_avg = 1.5, 1.5, NaN → mean 1.5 × 252; std 0 → Sharpe +∞ (pandas divides by zero too).
        Close(1.5 * 252, result.Metric(RecordMetrics.LongAvgAnnReturn), "long-avg ann return");
        Assert.Equal(double.PositiveInfinity, result.Metric(RecordMetrics.LongAvgAnnSharpe));
    }

    [Fact]
    public void UnbalancedPanel_EachDateUsesItsOwnRows_SameAsAnalysingDatesApart()
    {
        // D1 has 3 instruments, D2 has 6 (instruments missing on D1).
        double[] s1 = [0.3, -0.1, 0.8], l1 = [0.02, -0.01, 0.03];
        double[] s2 = [0.5, 0.1, -0.4, 0.9, 0.0, -0.2], l2 = [0.01, 0.02, -0.03, 0.04, 0.0, 0.01];
        var (pred, label) = Build((D1, s1, l1), (D2, s2, l2));
        var (ic, ric) = SignalAnalysis.CalcIc(pred, label);
        var ls = SignalAnalysis.CalcLongShortReturn(pred, label);
        var (p1, q1) = Build((D1, s1, l1));
        var (p2, q2) = Build((D2, s2, l2));
        var (ic1, ric1) = SignalAnalysis.CalcIc(p1, q1);
        var (ic2, ric2) = SignalAnalysis.CalcIc(p2, q2);
        Assert.Equal([ic1.Value[0], ic2.Value[0]], ic.Value);
        Assert.Equal([ric1.Value[0], ric2.Value[0]], ric.Value);
        // D1: 3 rows → N = 0 → NaN; D2: 6 rows → N = 1: long = label of 0.9 (0.04), short = label of -0.4 (-0.03).
        Assert.True(double.IsNaN(ls.LongShort.Value[0]));
        Close(0.035, ls.LongShort.Value[1], "long-short D2");
    }

    [Fact]
    public void Align_PredAndLabelWithDifferentRows_IsTheOuterUnion_MissingSideNaN()
    {
        var pred = new PredictionFrame([D1, D1, D1, D1, D1], ["A", "B", "C", "D", "E"], [1, 2, 3, 4, 5]);
        var label = new LabelFrame([D1, D1, D1, D1, D1, D2, D2], ["A", "B", "D", "E", "F", "A", "B"], [1, 2, 4, 8, 9, 1, 2]);
        var panel = SignalPanel.Align(pred, label);
        Assert.Equal([D1, D2], panel.Dates);
        Assert.Equal([0, 6, 8], panel.Starts);
        Assert.Equal([1, 2, 3, 4, 5, double.NaN, double.NaN, double.NaN], panel.Score);
        Assert.Equal([1, 2, double.NaN, 4, 8, 9, 1, 2], panel.Label);
        // 6 rows on D1 → N = 1: long = E (label 8), short = A (label 1).
        var ls = SignalAnalysis.CalcLongShortReturn(panel);
        Assert.Equal(3.5, ls.LongShort.Value[0]);
    }

    [Fact]
    public void Align_UnsortedOrDuplicateRows_SaysSoClearly()
    {
        var unsorted = new PredictionFrame([D2, D1], ["A", "A"], [1, 2]);
        var e = Assert.Throws<TrackingException>(() => SignalPanel.Align(unsorted, new LabelFrame([D1], ["A"], [1])));
        Assert.Equal(ErrorCode.InvalidParameterValue, e.Code);
        Assert.Contains("prediction frame is not sorted by (datetime, instrument) at row 1", e.Message);
        Assert.Contains("(2021-01-04, A) comes after (2021-01-05, A)", e.Message);

        var byInstrument = new LabelFrame([D1, D1], ["B", "A"], [1, 2]);
        e = Assert.Throws<TrackingException>(() => SignalPanel.Align(new PredictionFrame([D1], ["A"], [1]), byInstrument));
        Assert.Contains("label frame is not sorted", e.Message);

        var duplicate = new PredictionFrame([D1, D1], ["A", "A"], [1, 2]);
        e = Assert.Throws<TrackingException>(() => SignalAnalysis.CalcIc(duplicate, new LabelFrame([D1], ["A"], [1])));
        Assert.Contains("(2021-01-04, A) appears twice", e.Message);
    }

    [Fact]
    public void GroupSorted_FindsEachDateRangeOnce()
    {
        var (dates, starts) = PanelGrouping.GroupSorted([D1, D1, D2, D3, D3, D3]);
        Assert.Equal([D1, D2, D3], dates);
        Assert.Equal([0, 2, 3, 6], starts);
        var (none, zero) = PanelGrouping.GroupSorted([]);
        Assert.Empty(none);
        Assert.Equal([0], zero);
    }

    [Theory]
    [InlineData(30)]
    [InlineData(400)] // enough dates to be split into ranges computed on several threads
    public void LargeRandomPanel_MatchesANaiveReimplementation(int dateCount)
    {
        // A second, deliberately plain implementation (LINQ, OrderBy) on a random panel with NaNs and ties.
        var rng = new Random(7);
        var days = new List<(DateTime, double[], double[])>();
        for (var d = 0; d < dateCount; d++)
        {
            var n = rng.Next(0, 40);
            var s = new double[n];
            var l = new double[n];
            for (var i = 0; i < n; i++)
            {
                s[i] = rng.NextDouble() < 0.1 ? double.NaN : Math.Round(rng.NextDouble() * 10) / 10; // ties
                l[i] = rng.NextDouble() < 0.1 ? double.NaN : Math.Round(rng.NextDouble() * 20 - 10) / 100;
            }
            days.Add((D1.AddDays(d), s, l));
        }
        var (pred, label) = Build(days.ToArray());
        var (ic, ric) = SignalAnalysis.CalcIc(pred, label);
        var ls = SignalAnalysis.CalcLongShortReturn(pred, label);
        var k = 0;
        foreach (var (date, s, l) in days)
        {
            if (s.Length == 0) continue; // a date with no rows is not in the panel
            Assert.Equal(date, ic.Datetime[k]);
            var pairs = s.Zip(l).Where(p => !double.IsNaN(p.First) && !double.IsNaN(p.Second)).ToArray();
            Close(NaivePearson(pairs.Select(p => p.First).ToArray(), pairs.Select(p => p.Second).ToArray()), ic.Value[k], $"ic {date:d}");
            Close(NaivePearson(NaiveRanks(pairs.Select(p => p.First).ToArray()), NaiveRanks(pairs.Select(p => p.Second).ToArray())), ric.Value[k], $"ric {date:d}");
            var take = (int)(s.Length * 0.2);
            var rows = Enumerable.Range(0, s.Length).Where(i => !double.IsNaN(s[i])).ToArray();
            var top = rows.OrderByDescending(i => s[i]).ThenBy(i => i).Take(take).Select(i => l[i]).Where(v => !double.IsNaN(v)).ToArray();
            var bottom = rows.OrderBy(i => s[i]).ThenBy(i => i).Take(take).Select(i => l[i]).Where(v => !double.IsNaN(v)).ToArray();
            var longR = top.Length == 0 ? double.NaN : top.Average();
            var shortR = bottom.Length == 0 ? double.NaN : bottom.Average();
            Close(longR, ls.Long.Value[k], "long");
            Close(shortR, ls.Short.Value[k], "short");
            Close((longR - shortR) / 2, ls.LongShort.Value[k], "long-short");
            var present = l.Where(v => !double.IsNaN(v)).ToArray();
            Close(present.Length == 0 ? double.NaN : present.Average(), ls.LongAverage.Value[k], "long-avg");
            k++;
        }
        Assert.Equal(k, ic.RowCount);
    }

    private static double NaivePearson(double[] x, double[] y)
    {
        if (x.Length < 2 || x.Distinct().Count() == 1 || y.Distinct().Count() == 1) return double.NaN;
        double mx = x.Average(), my = y.Average();
        var sxy = x.Zip(y).Sum(p => (p.First - mx) * (p.Second - my));
        return sxy / Math.Sqrt(x.Sum(v => (v - mx) * (v - mx)) * y.Sum(v => (v - my) * (v - my)));
    }

    private static double[] NaiveRanks(double[] v) =>
        v.Select(a => v.Count(b => b < a) + (v.Count(b => b == a) + 1) / 2.0).ToArray();
}
