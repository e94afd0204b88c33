namespace QuickStart;

/// <summary>Simple evaluation of predictions over a set of days: MSE and the mean daily IC.</summary>
public static class Evaluation
{
    public static double MeanSquaredError(double[] prediction, double[] label, ReadOnlySpan<int> rows)
    {
        double sum = 0;
        foreach (var r in rows) sum += (prediction[r] - label[r]) * (prediction[r] - label[r]);
        return sum / rows.Length;
    }

    /// <summary>Mean over days of the cross-sectional Pearson correlation (Qlib's "IC").</summary>
    public static double MeanDailyIc(double[] prediction, double[] label, int instruments, int firstDay, int dayCount)
    {
        double total = 0;
        for (var d = firstDay; d < firstDay + dayCount; d++)
            total += Pearson(prediction.AsSpan(d * instruments, instruments), label.AsSpan(d * instruments, instruments));
        return total / dayCount;
    }

    /// <summary>Mean over days of the cross-sectional Spearman correlation (Qlib's "Rank IC").</summary>
    public static double MeanDailyRankIc(double[] prediction, double[] label, int instruments, int firstDay, int dayCount)
    {
        double total = 0;
        for (var d = firstDay; d < firstDay + dayCount; d++)
            total += Pearson(Ranks(prediction.AsSpan(d * instruments, instruments)), Ranks(label.AsSpan(d * instruments, instruments)));
        return total / dayCount;
    }

    private static double Pearson(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double ma = 0, mb = 0;
        for (var i = 0; i < a.Length; i++) { ma += a[i]; mb += b[i]; }
        ma /= a.Length; mb /= b.Length;
        double cov = 0, va = 0, vb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            cov += (a[i] - ma) * (b[i] - mb);
            va += (a[i] - ma) * (a[i] - ma);
            vb += (b[i] - mb) * (b[i] - mb);
        }
        return cov / Math.Sqrt(va * vb);
    }

    // Average ranks for ties, as pandas' rank(method="average").
    private static double[] Ranks(ReadOnlySpan<double> values)
    {
        var order = new int[values.Length];
        for (var i = 0; i < order.Length; i++) order[i] = i;
        var copy = values.ToArray();
        Array.Sort(order, (x, y) => copy[x].CompareTo(copy[y]));
        var ranks = new double[values.Length];
        for (var i = 0; i < order.Length;)
        {
            var j = i;
            while (j + 1 < order.Length && copy[order[j + 1]] == copy[order[i]]) j++;
            var rank = (i + j) / 2.0 + 1;
            for (var k = i; k <= j; k++) ranks[order[k]] = rank;
            i = j + 1;
        }
        return ranks;
    }
}
