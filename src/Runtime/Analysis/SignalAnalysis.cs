using Qlib.Tracked.Frames;

namespace Qlib.Tracked.Analysis;

/// <summary>The per-date long-short series (qlib-semantics §4.2), with the two legs Qlib does not keep. Immutable record; the series it holds are shared, not copied.</summary>
/// <param name="LongShort">(long − short) / 2 per date (Qlib's <c>long_short_r</c>).</param>
/// <param name="LongAverage">NaN-skipping mean label of every row on the date (Qlib's <c>long_avg_r</c>).</param>
/// <param name="Long">Mean label of the N highest scores.</param>
/// <param name="Short">Mean label of the N lowest scores.</param>
public sealed record LongShortReturns(DateSeries LongShort, DateSeries LongAverage, DateSeries Long, DateSeries Short);

/// <summary>What SigAnaRecord computes: the IC series, optionally the long-short series, and the metrics it logs. Immutable record; the series it holds are shared, not copied.</summary>
public sealed record SignalAnalysisResult(
    DateSeries Ic,
    DateSeries RankIc,
    LongShortReturns? LongShort,
    IReadOnlyList<KeyValuePair<string, double>> Metrics)
{
    /// <summary>The metric <paramref name="name"/> (one of <see cref="RecordMetrics"/>).</summary>
    public double Metric(string name)
    {
        foreach (var (key, value) in Metrics)
            if (key == name) return value;
        throw new KeyNotFoundException($"No metric '{name}' in this signal analysis.");
    }
}

/// <summary>
/// Qlib's signal analysis (<c>calc_ic</c>, <c>calc_long_short_return</c> and SigAnaRecord's summary,
/// qlib-semantics §3.3, §4.1, §4.2) on typed frames: data in, data out, nothing stored.
/// Stateless; thread-safe.
/// </summary>
public static class SignalAnalysis
{
    /// <summary>Qlib's default long-short quantile.</summary>
    public const double DefaultQuantile = 0.2;

    /// <summary>Qlib's default annualisation scaler for SigAnaRecord.</summary>
    public const double DefaultAnnScaler = 252;

    /// <summary>
    /// SigAnaRecord's computation: IC and Rank IC per date and <c>IC</c>, <c>ICIR</c>, <c>Rank IC</c>,
    /// <c>Rank ICIR</c>; with <paramref name="longShort"/> also the long-short series and
    /// <c>Long-Short Ann Return/Sharpe</c>, <c>Long-Avg Ann Return/Sharpe</c> scaled by <paramref name="annScaler"/>.
    /// </summary>
    public static SignalAnalysisResult Analyze(PredictionFrame pred, LabelFrame label, bool longShort = false, double annScaler = DefaultAnnScaler)
        => Analyze(SignalPanel.Align(pred, label), longShort, annScaler);

    /// <inheritdoc cref="Analyze(PredictionFrame, LabelFrame, bool, double)"/>
    internal static SignalAnalysisResult Analyze(SignalPanel panel, bool longShort = false, double annScaler = DefaultAnnScaler)
    {
        ArgumentNullException.ThrowIfNull(panel);
        var (ic, ric) = CalcIc(panel);
        var metrics = new List<KeyValuePair<string, double>>(8);
        double icMean = ic.Mean(), ricMean = ric.Mean();
        metrics.Add(new(RecordMetrics.IC, icMean));
        metrics.Add(new(RecordMetrics.ICIR, icMean / ic.Std()));
        metrics.Add(new(RecordMetrics.RankIC, ricMean));
        metrics.Add(new(RecordMetrics.RankICIR, ricMean / ric.Std()));
        LongShortReturns? ls = null;
        if (longShort)
        {
            ls = CalcLongShortReturn(panel);
            double lsMean = ls.LongShort.Mean(), laMean = ls.LongAverage.Mean();
            metrics.Add(new(RecordMetrics.LongShortAnnReturn, lsMean * annScaler));
            metrics.Add(new(RecordMetrics.LongShortAnnSharpe, lsMean / ls.LongShort.Std() * Math.Sqrt(annScaler)));
            metrics.Add(new(RecordMetrics.LongAvgAnnReturn, laMean * annScaler));
            metrics.Add(new(RecordMetrics.LongAvgAnnSharpe, laMean / ls.LongAverage.Std() * Math.Sqrt(annScaler)));
        }
        return new SignalAnalysisResult(ic, ric, ls, metrics);
    }

    /// <inheritdoc cref="CalcIc(SignalPanel)"/>
    public static (DateSeries Ic, DateSeries RankIc) CalcIc(PredictionFrame pred, LabelFrame label) => CalcIc(SignalPanel.Align(pred, label));

    /// <summary>
    /// Qlib's <c>calc_ic</c>: per date, the Pearson and the Spearman (average ranks for ties) correlation of
    /// score and label over the rows where both are present; NaN with fewer than two such rows or a
    /// constant side.
    /// </summary>
    internal static (DateSeries Ic, DateSeries RankIc) CalcIc(SignalPanel panel)
    {
        ArgumentNullException.ThrowIfNull(panel);
        var days = panel.DateCount;
        var ic = new double[days];
        var ric = new double[days];
        DateRanges.Run(days, (from, to) => IcRange(panel, from, to, ic, ric));
        return (new DateSeries(panel.Dates, ic), new DateSeries(panel.Dates, ric));
    }

    private static void IcRange(SignalPanel panel, int from, int to, double[] ic, double[] ric)
    {
        var max = panel.MaxRowsPerDate;
        // Scratch buffers, sized once per range for the largest date.
        var x = new double[max];
        var y = new double[max];
        var rx = new double[max];
        var ry = new double[max];
        var keys = new double[max];
        var order = new int[max];
        double[] score = panel.Score, label = panel.Label;
        for (var d = from; d < to; d++)
        {
            var n = 0;
            for (int i = panel.Starts[d], end = panel.Starts[d + 1]; i < end; i++)
            {
                double s = score[i], l = label[i];
                if (double.IsNaN(s) || double.IsNaN(l)) continue;
                x[n] = s;
                y[n] = l;
                n++;
            }
            ic[d] = Stats.Pearson(x.AsSpan(0, n), y.AsSpan(0, n));
            if (n < 2)
            {
                ric[d] = double.NaN;
                continue;
            }
            Stats.AverageRanks(x.AsSpan(0, n), rx, keys, order);
            Stats.AverageRanks(y.AsSpan(0, n), ry, keys, order);
            ric[d] = Stats.Pearson(rx.AsSpan(0, n), ry.AsSpan(0, n));
        }
    }

    /// <inheritdoc cref="CalcLongShortReturn(SignalPanel, double)"/>
    public static LongShortReturns CalcLongShortReturn(PredictionFrame pred, LabelFrame label, double quantile = DefaultQuantile) =>
        CalcLongShortReturn(SignalPanel.Align(pred, label), quantile);

    /// <summary>
    /// Qlib's <c>calc_long_short_return</c>: per date N = ⌊rows × quantile⌋ counting every row of the date;
    /// the long leg is the mean label (NaN skipped) of the N highest scores and the short leg of the N
    /// lowest, rows with a NaN score never chosen and ties broken by row order (pandas'
    /// <c>nlargest</c>/<c>nsmallest</c>, <c>keep="first"</c>); <c>long_short_r = (long − short) / 2</c>
    /// and <c>long_avg_r</c> is the mean label of the date.
    /// </summary>
    internal static LongShortReturns CalcLongShortReturn(SignalPanel panel, double quantile = DefaultQuantile)
    {
        ArgumentNullException.ThrowIfNull(panel);
        if (!(quantile >= 0 && quantile <= 1))
            throw TrackingException.InvalidParameter($"quantile must be between 0 and 1, got {quantile}.");
        var days = panel.DateCount;
        var longShort = new double[days];
        var longAvg = new double[days];
        var longLeg = new double[days];
        var shortLeg = new double[days];
        DateRanges.Run(days, (from, to) => LongShortRange(panel, quantile, from, to, longShort, longAvg, longLeg, shortLeg));
        var dates = panel.Dates;
        return new LongShortReturns(new DateSeries(dates, longShort), new DateSeries(dates, longAvg),
            new DateSeries(dates, longLeg), new DateSeries(dates, shortLeg));
    }

    private static void LongShortRange(SignalPanel panel, double quantile, int from, int to,
        double[] longShort, double[] longAvg, double[] longLeg, double[] shortLeg)
    {
        var maxRows = panel.MaxRowsPerDate;
        var keys = new double[maxRows];
        var order = new int[maxRows];
        double[] score = panel.Score, label = panel.Label;
        for (var d = from; d < to; d++)
        {
            int start = panel.Starts[d], end = panel.Starts[d + 1];
            var rows = end - start;
            // Python's int(len(group) * quantile): the same double product, truncated.
            var take = (int)(rows * quantile);
            var n = 0;
            for (var i = start; i < end; i++)
            {
                if (double.IsNaN(score[i])) continue;
                keys[n] = score[i];
                order[n++] = i;
            }
            var pick = Math.Min(take, n);
            SortByScoreThenRow(keys.AsSpan(0, n), order.AsSpan(0, n));
            longLeg[d] = MeanLabelFromTop(label, keys.AsSpan(0, n), order.AsSpan(0, n), pick);
            shortLeg[d] = MeanLabel(label, order.AsSpan(0, pick));

            longShort[d] = (longLeg[d] - shortLeg[d]) / 2;
            longAvg[d] = Stats.NanMean(label.AsSpan(start, rows));
        }
    }

    /// <summary>
    /// Ascending by score, equal scores in row order: the order of pandas' <c>nsmallest(keep="first")</c>.
    /// One primitive key/item sort (much cheaper than a comparer sort), then each run of equal scores —
    /// which the unstable sort may have shuffled — is put back in row order.
    /// </summary>
    private static void SortByScoreThenRow(Span<double> keys, Span<int> rows)
    {
        keys.Sort(rows);
        var start = 0;
        while (start < keys.Length)
        {
            var end = start + 1;
            while (end < keys.Length && keys[end] == keys[start]) end++;
            if (end - start > 1) rows[start..end].Sort();
            start = end;
        }
    }

    /// <summary>
    /// The mean label of the <paramref name="pick"/> highest scores in pandas' <c>nlargest(keep="first")</c> order
    /// (descending score, equal scores in row order), read from the end of the ascending order run by run.
    /// </summary>
    private static double MeanLabelFromTop(double[] label, ReadOnlySpan<double> keys, ReadOnlySpan<int> rows, int pick)
    {
        double sum = 0;
        var count = 0;
        var end = keys.Length;
        while (pick > 0)
        {
            var start = end - 1;
            while (start > 0 && keys[start - 1] == keys[end - 1]) start--;
            var taken = Math.Min(pick, end - start);
            for (var k = start; k < start + taken; k++)
            {
                var v = label[rows[k]];
                if (double.IsNaN(v)) continue;
                sum += v;
                count++;
            }
            pick -= taken;
            end = start;
        }
        return count == 0 ? double.NaN : sum / count;
    }

    private static double MeanLabel(double[] label, ReadOnlySpan<int> rows)
    {
        double sum = 0;
        var count = 0;
        foreach (var r in rows)
        {
            var v = label[r];
            if (double.IsNaN(v)) continue;
            sum += v;
            count++;
        }
        return count == 0 ? double.NaN : sum / count;
    }
}
