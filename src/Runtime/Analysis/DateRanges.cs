namespace Qlib.Tracked.Analysis;

/// <summary>
/// Runs a per-date computation over contiguous ranges of dates, in parallel when the panel is large enough to
/// pay for it. Each date's result depends only on that date's rows and lands in its own slot, so the output is
/// the same whatever the split or the number of cores.
/// </summary>
internal static class DateRanges
{
    /// <summary>Below this many dates a panel is computed on the calling thread (the split costs more than it saves).</summary>
    private const int MinDatesPerRange = 64;

    /// <param name="days">Number of dates.</param>
    /// <param name="body">Computes dates <c>from .. to - 1</c>; called once per range, with its own scratch buffers.</param>
    public static void Run(int days, Action<int, int> body)
    {
        var ranges = Math.Min(Environment.ProcessorCount, days / MinDatesPerRange);
        if (ranges <= 1)
        {
            body(0, days);
            return;
        }
        Parallel.For(0, ranges, r => body((int)((long)days * r / ranges), (int)((long)days * (r + 1) / ranges)));
    }
}
