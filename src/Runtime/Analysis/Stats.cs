namespace Qlib.Tracked.Analysis;

/// <summary>pandas' NaN-skipping reductions, as Qlib's formulas call them (qlib-semantics §4).</summary>
internal static class Stats
{
    /// <summary><c>Series.mean()</c>: NaN skipped; NaN when no value is left.</summary>
    public static double NanMean(ReadOnlySpan<double> values)
    {
        double sum = 0;
        var count = 0;
        foreach (var v in values)
        {
            if (double.IsNaN(v)) continue;
            sum += v;
            count++;
        }
        return count == 0 ? double.NaN : sum / count;
    }

    /// <summary><c>Series.std()</c>: NaN skipped, sample standard deviation (ddof=1); NaN with fewer than two values.</summary>
    public static double NanStd(ReadOnlySpan<double> values)
    {
        var mean = NanMean(values);
        if (double.IsNaN(mean)) return double.NaN;
        double squares = 0;
        var count = 0;
        foreach (var v in values)
        {
            if (double.IsNaN(v)) continue;
            var d = v - mean;
            squares += d * d;
            count++;
        }
        return count < 2 ? double.NaN : Math.Sqrt(squares / (count - 1));
    }

    /// <summary>
    /// <c>np.corrcoef(x, y)[0, 1]</c> for complete pairs: NaN with fewer than two pairs or when either side
    /// is constant (pandas' zero-variance NaN), otherwise the Pearson correlation clipped to [-1, 1].
    /// </summary>
    public static double Pearson(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        if (x.Length != y.Length) throw new ArgumentException("x and y must have the same length.", nameof(y));
        var n = x.Length;
        if (n < 2 || IsConstant(x) || IsConstant(y)) return double.NaN;
        double sx = 0, sy = 0;
        for (var i = 0; i < n; i++)
        {
            sx += x[i];
            sy += y[i];
        }
        double mx = sx / n, my = sy / n;
        double sxx = 0, syy = 0, sxy = 0;
        for (var i = 0; i < n; i++)
        {
            double dx = x[i] - mx, dy = y[i] - my;
            sxx += dx * dx;
            syy += dy * dy;
            sxy += dx * dy;
        }
        // numpy: cov / stddev_x / stddev_y, each with the same (n - 1) divisor.
        var ddof = n - 1.0;
        var r = sxy / ddof / Math.Sqrt(sxx / ddof) / Math.Sqrt(syy / ddof);
        return double.IsNaN(r) ? r : Math.Clamp(r, -1.0, 1.0);
    }

    private static bool IsConstant(ReadOnlySpan<double> values)
    {
        var first = values[0];
        for (var i = 1; i < values.Length; i++)
            if (values[i] != first) return false;
        return true;
    }

    /// <summary>
    /// scipy's <c>rankdata(method="average")</c>: 1-based ranks, ties share the mean of their positions.
    /// <paramref name="keys"/> and <paramref name="order"/> are scratch buffers of the same length
    /// (reused across calls so a panel allocates nothing per date). Values must not be NaN.
    /// </summary>
    public static void AverageRanks(ReadOnlySpan<double> values, Span<double> ranks, Span<double> keys, Span<int> order)
    {
        var n = values.Length;
        values.CopyTo(keys);
        for (var i = 0; i < n; i++) order[i] = i;
        keys[..n].Sort(order[..n]);
        var start = 0;
        while (start < n)
        {
            var end = start + 1;
            while (end < n && keys[end] == keys[start]) end++;
            // Positions start..end-1 (0-based) share rank mean(start+1 .. end) = (start + end + 1) / 2.
            var rank = (start + end + 1) / 2.0;
            for (var k = start; k < end; k++) ranks[order[k]] = rank;
            start = end;
        }
    }
}
