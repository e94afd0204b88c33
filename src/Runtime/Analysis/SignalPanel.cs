using Qlib.Tracked.Frames;

namespace Qlib.Tracked.Analysis;

/// <summary>
/// Predictions and labels aligned on (datetime, instrument), as Qlib's <c>DataFrame({"pred": pred,
/// "label": label})</c> aligns them: the union of both frames' rows, a side that lacks a row reads NaN.
/// Rows are sorted by datetime then instrument, and each date's row range is found once
/// (<see cref="Dates"/>, <see cref="Starts"/>): date d holds rows <c>Starts[d] .. Starts[d + 1] - 1</c>.
/// </summary>
internal sealed class SignalPanel
{
    private SignalPanel(DateTime[] dates, int[] starts, double[] score, double[] label)
    {
        Dates = dates;
        Starts = starts;
        Score = score;
        Label = label;
    }

    /// <summary>Distinct dates, ascending.</summary>
    public DateTime[] Dates { get; }

    /// <summary><c>Dates.Length + 1</c> row offsets; the last is <see cref="RowCount"/>.</summary>
    public int[] Starts { get; }

    public double[] Score { get; }
    public double[] Label { get; }
    public int RowCount => Score.Length;
    public int DateCount => Dates.Length;

    /// <summary>The most rows any date has (the size scratch buffers need).</summary>
    public int MaxRowsPerDate
    {
        get
        {
            var max = 0;
            for (var d = 0; d < Dates.Length; d++) max = Math.Max(max, Starts[d + 1] - Starts[d]);
            return max;
        }
    }

    /// <summary>
    /// Aligns <paramref name="pred"/> and <paramref name="label"/>. Both must be sorted by datetime, then
    /// instrument (ordinal), with no repeated (datetime, instrument): what pandas' <c>sort_index()</c> gives
    /// and what SignalRecord stores. Anything else is INVALID_PARAMETER_VALUE naming the first bad row.
    /// </summary>
    public static SignalPanel Align(PredictionFrame pred, LabelFrame label)
    {
        ArgumentNullException.ThrowIfNull(pred);
        ArgumentNullException.ThrowIfNull(label);
        PanelGrouping.CheckSorted(pred.Datetime, pred.Instrument, "The prediction frame");
        PanelGrouping.CheckSorted(label.Datetime, label.Instrument, "The label frame");
        if (SameKeys(pred, label))
        {
            var (dates, starts) = PanelGrouping.GroupSorted(pred.Datetime);
            return new SignalPanel(dates, starts, pred.Score, label.Label);
        }
        return Merge(pred, label);
    }

    private static bool SameKeys(PredictionFrame pred, LabelFrame label)
    {
        if (pred.RowCount != label.RowCount) return false;
        if (ReferenceEquals(pred.Datetime, label.Datetime) && ReferenceEquals(pred.Instrument, label.Instrument)) return true;
        return pred.Datetime.AsSpan().SequenceEqual(label.Datetime) && pred.Instrument.AsSpan().SequenceEqual(label.Instrument);
    }

    /// <summary>Outer merge of two sorted key sequences: the union, in order, NaN for the missing side.</summary>
    private static SignalPanel Merge(PredictionFrame pred, LabelFrame label)
    {
        int np = pred.RowCount, nl = label.RowCount;
        var datetime = new List<DateTime>(Math.Max(np, nl));
        var score = new List<double>(Math.Max(np, nl));
        var labels = new List<double>(Math.Max(np, nl));
        int i = 0, j = 0;
        while (i < np || j < nl)
        {
            int c;
            if (i == np) c = 1;
            else if (j == nl) c = -1;
            else c = PanelGrouping.CompareKeys(pred.Datetime[i], pred.Instrument[i], label.Datetime[j], label.Instrument[j]);
            if (c < 0)
            {
                datetime.Add(pred.Datetime[i]);
                score.Add(pred.Score[i++]);
                labels.Add(double.NaN);
            }
            else if (c > 0)
            {
                datetime.Add(label.Datetime[j]);
                score.Add(double.NaN);
                labels.Add(label.Label[j++]);
            }
            else
            {
                datetime.Add(pred.Datetime[i]);
                score.Add(pred.Score[i++]);
                labels.Add(label.Label[j++]);
            }
        }
        var (dates, starts) = PanelGrouping.GroupSorted(datetime.ToArray());
        return new SignalPanel(dates, starts, score.ToArray(), labels.ToArray());
    }
}

/// <summary>Finding each date's row range in a panel sorted by (datetime, instrument).</summary>
internal static class PanelGrouping
{
    /// <summary>
    /// The distinct dates of <paramref name="datetime"/> and their row offsets (<c>dates.Length + 1</c> of
    /// them), in one pass. The column must be non-decreasing; INVALID_PARAMETER_VALUE naming the row otherwise.
    /// </summary>
    public static (DateTime[] Dates, int[] Starts) GroupSorted(DateTime[] datetime)
    {
        ArgumentNullException.ThrowIfNull(datetime);
        var dates = new List<DateTime>();
        var starts = new List<int>();
        for (var i = 0; i < datetime.Length; i++)
        {
            if (i > 0 && datetime[i] == datetime[i - 1]) continue;
            if (i > 0 && datetime[i] < datetime[i - 1])
                throw NotSorted("The panel", i, $"datetime {Show(datetime[i])} comes after {Show(datetime[i - 1])}");
            dates.Add(datetime[i]);
            starts.Add(i);
        }
        starts.Add(datetime.Length);
        return (dates.ToArray(), starts.ToArray());
    }

    /// <summary>
    /// Checks rows are sorted by datetime, then instrument (ordinal), each (datetime, instrument) once;
    /// INVALID_PARAMETER_VALUE naming the first row out of order.
    /// </summary>
    public static void CheckSorted(DateTime[] datetime, string[] instrument, string what)
    {
        for (var i = 1; i < datetime.Length; i++)
        {
            var c = CompareKeys(datetime[i - 1], instrument[i - 1], datetime[i], instrument[i]);
            if (c < 0) continue;
            var detail = c == 0
                ? $"({Show(datetime[i])}, {instrument[i]}) appears twice"
                : $"({Show(datetime[i])}, {instrument[i]}) comes after ({Show(datetime[i - 1])}, {instrument[i - 1]})";
            throw NotSorted(what, i, detail);
        }
    }

    internal static int CompareKeys(DateTime d1, string i1, DateTime d2, string i2)
    {
        var c = d1.CompareTo(d2);
        return c != 0 ? c : string.CompareOrdinal(i1, i2);
    }

    private static string Show(DateTime d) =>
        d.TimeOfDay == TimeSpan.Zero ? d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)
                                     : d.ToString("yyyy-MM-dd HH:mm:ss.FFFFFF", System.Globalization.CultureInfo.InvariantCulture);

    private static TrackingException NotSorted(string what, int row, string detail) => TrackingException.InvalidParameter(
        $"{what} is not sorted by (datetime, instrument) at row {row}: {detail}. Qlib's frames are sorted that way "
        + "(pandas' sort_index()); sort the rows by datetime, then instrument (ordinal), with each pair once.");
}
