namespace QuickStart;

/// <summary>Simple evaluation of predictions over a set of days: MSE and the mean daily IC (for choosing the penalty; the test window's IC comes from SigAnaRecord).</summary>
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
}
