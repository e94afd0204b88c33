using MemoryPack;

namespace QuickStart;

/// <summary>A fitted ridge regression, saved as a typed MemoryPack artifact (Qlib would pickle it).</summary>
[MemoryPackable]
public sealed partial class RidgeModel
{
    public double Alpha { get; set; }
    public string[] FeatureNames { get; set; } = [];
    public double[] Weights { get; set; } = [];
    public double Intercept { get; set; }

    public double Predict(double[] features)
    {
        var y = Intercept;
        for (var f = 0; f < Weights.Length; f++) y += Weights[f] * features[f];
        return y;
    }

    /// <summary>Closed-form ridge: (XᵀX + αI)⁻¹Xᵀy on centred data, solved by Cholesky.</summary>
    public static RidgeModel Fit(double[][] x, double[] y, ReadOnlySpan<int> rows, double alpha, string[] featureNames)
    {
        var p = featureNames.Length;
        var meanX = new double[p];
        double meanY = 0;
        foreach (var r in rows)
        {
            for (var f = 0; f < p; f++) meanX[f] += x[r][f];
            meanY += y[r];
        }
        for (var f = 0; f < p; f++) meanX[f] /= rows.Length;
        meanY /= rows.Length;

        var a = new double[p, p];
        var b = new double[p];
        foreach (var r in rows)
        {
            var yr = y[r] - meanY;
            for (var i = 0; i < p; i++)
            {
                var xi = x[r][i] - meanX[i];
                b[i] += xi * yr;
                for (var j = 0; j <= i; j++) a[i, j] += xi * (x[r][j] - meanX[j]);
            }
        }
        for (var i = 0; i < p; i++) a[i, i] += alpha;

        var w = SolveCholesky(a, b);
        var intercept = meanY;
        for (var f = 0; f < p; f++) intercept -= w[f] * meanX[f];
        return new RidgeModel { Alpha = alpha, FeatureNames = featureNames, Weights = w, Intercept = intercept };
    }

    // a is symmetric positive definite (lower triangle filled); alpha > 0 guarantees it.
    private static double[] SolveCholesky(double[,] a, double[] b)
    {
        var n = b.Length;
        var l = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                var sum = a[i, j];
                for (var k = 0; k < j; k++) sum -= l[i, k] * l[j, k];
                l[i, j] = i == j ? Math.Sqrt(sum) : sum / l[j, j];
            }
        }
        var z = new double[n];
        for (var i = 0; i < n; i++)
        {
            var sum = b[i];
            for (var k = 0; k < i; k++) sum -= l[i, k] * z[k];
            z[i] = sum / l[i, i];
        }
        var w = new double[n];
        for (var i = n - 1; i >= 0; i--)
        {
            var sum = z[i];
            for (var k = i + 1; k < n; k++) sum -= l[k, i] * w[k];
            w[i] = sum / l[i, i];
        }
        return w;
    }
}
