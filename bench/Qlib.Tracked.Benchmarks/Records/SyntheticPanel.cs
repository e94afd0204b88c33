using Qlib.Tracked.Frames;

namespace Qlib.Tracked.Benchmarks.Records;

/// <summary>
/// The signal-analysis panel of qlib-semantics "Speed of real Qlib/pandas" §1, seeded: <c>dates × instruments</c>
/// rows sorted by (datetime, instrument), score N(0,1) with 2 % NaN, label 0.001·score + N(0, 0.02) with 3 % NaN.
/// </summary>
internal static class SyntheticPanel
{
    public static (PredictionFrame Pred, LabelFrame Label) Create(int dates, int instruments, int seed = 20261126)
    {
        var random = new Random(seed);
        var calendar = BusinessDays(new DateTime(2010, 1, 4), dates);
        var codes = Instruments(instruments);
        var n = dates * instruments;
        var datetime = new DateTime[n];
        var instrument = new string[n];
        var score = new double[n];
        var label = new double[n];
        var row = 0;
        for (var d = 0; d < dates; d++)
        {
            for (var i = 0; i < instruments; i++, row++)
            {
                datetime[row] = calendar[d];
                instrument[row] = codes[i];
                var s = Normal(random);
                var l = 0.001 * s + 0.02 * Normal(random);
                score[row] = random.NextDouble() < 0.02 ? double.NaN : s;
                label[row] = random.NextDouble() < 0.03 ? double.NaN : l;
            }
        }
        return (new PredictionFrame(datetime, instrument, score), new LabelFrame(datetime, instrument, label));
    }

    /// <summary>SH600000, SH600001, …: ordinal order equals numeric order.</summary>
    public static string[] Instruments(int count) =>
        Enumerable.Range(0, count).Select(i => "SH" + (600000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    /// <summary><paramref name="count"/> weekdays from <paramref name="start"/> on.</summary>
    public static DateTime[] BusinessDays(DateTime start, int count)
    {
        var days = new DateTime[count];
        var d = start;
        for (var i = 0; i < count; i++)
        {
            while (d.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday) d = d.AddDays(1);
            days[i] = d;
            d = d.AddDays(1);
        }
        return days;
    }

    /// <summary>A standard normal draw (Box–Muller).</summary>
    public static double Normal(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
