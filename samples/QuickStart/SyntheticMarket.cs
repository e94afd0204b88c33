namespace QuickStart;

/// <summary>
/// A seeded synthetic market panel: per (day, instrument) a handful of features that persist from day
/// to day (like real factors) and a forward-return label that depends on them linearly plus much more noise,
/// so the signal is as weak as real ones (IC a few hundredths).
/// Stored day-major so one day's cross-section is contiguous.
/// </summary>
public sealed class SyntheticMarket
{
    public required DateTime[] Days { get; init; }
    public required string[] Instruments { get; init; }
    public required string[] FeatureNames { get; init; }

    /// <summary>Features, [day * instruments + instrument][feature].</summary>
    public required double[][] Features { get; init; }

    /// <summary>Forward return of each (day, instrument), same indexing as <see cref="Features"/>.</summary>
    public required double[] Label { get; init; }

    public int Rows => Label.Length;

    /// <summary>Standard deviation of the part of a daily return no feature explains.</summary>
    public const double NoiseStd = 0.02;

    /// <summary>Standard deviation of the style factor's daily return, per unit of exposure.</summary>
    public const double StyleStd = 0.006;

    public static SyntheticMarket Generate(int seed, int instruments, int days, int features)
    {
        var rng = new Random(seed);
        var names = Enumerable.Range(0, features).Select(f => $"f{f}").ToArray();
        // True loadings: a couple of stronger factors, the rest weaker, all small next to the noise. A real daily
        // return is mostly noise (about 2% a day here); a good alpha model's cross-sectional correlation with it (the
        // IC) is a few hundredths, so these loadings give a signal of about 0.1% a day and an IC near 0.06 (0.05–0.075 over seeds).
        var beta = Enumerable.Range(0, features).Select(f => (f % 2 == 0 ? 1 : -1) * 0.0009 / (1 + f)).ToArray();
        var state = new double[instruments * features];
        for (var k = 0; k < state.Length; k++) state[k] = Gaussian(rng);

        var x = new double[days * instruments][];
        var y = new double[days * instruments];
        for (var d = 0; d < days; d++)
        {
            // A style factor (think size or value): every day it pays a random return on the exposure the first
            // feature measures. Stocks the model ranks high share that exposure, so the portfolio's excess return
            // swings with the style, and the daily IC with it, as real ones do.
            var styleReturn = StyleStd * Gaussian(rng);
            for (var i = 0; i < instruments; i++)
            {
                var row = new double[features];
                double signal = 0;
                for (var f = 0; f < features; f++)
                {
                    ref var s = ref state[i * features + f];
                    s = 0.9 * s + Math.Sqrt(1 - 0.81) * Gaussian(rng);   // AR(1), unit variance
                    row[f] = s;
                    signal += beta[f] * s;
                }
                x[d * instruments + i] = row;
                y[d * instruments + i] = signal + styleReturn * row[0] + NoiseStd * Gaussian(rng);
            }
        }

        return new SyntheticMarket
        {
            Days = BusinessDays(new DateTime(2020, 1, 2), days),
            Instruments = Enumerable.Range(0, instruments).Select(i => $"SH{600000 + i}").ToArray(),
            FeatureNames = names,
            Features = x,
            Label = y,
        };
    }

    private static DateTime[] BusinessDays(DateTime start, int count)
    {
        var result = new DateTime[count];
        var day = start;
        for (var n = 0; n < count; day = day.AddDays(1))
        {
            if (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday) continue;
            result[n++] = day;
        }
        return result;
    }

    private static double Gaussian(Random rng)
    {
        // Box–Muller: deterministic for a seed, no dependency.
        var u1 = 1.0 - rng.NextDouble();
        var u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
