namespace Qlib.Tracked.Stores.FileBacked;

/// <summary>
/// Decides whether a metric file that does not end with '\n' really ends with a torn line (a crash mid-write:
/// the next append must start on a fresh line) or another writer is in the middle of its append. The kernel
/// raises a file's length page by page while it copies one write, so a reader can see part of another process's
/// write. Our writers exclude each other with a lock (<see cref="MetricFile.WriterLockOffset"/>), but a writer
/// that takes no lock (MLflow: <c>open(path, "a")</c>, one write per line) can be mid-write; its write ends in
/// '\n' when it completes. Prepending '\n' then would leave an empty line, which MLflow refuses ("persisted metric
/// data contained 1 fields") for the whole experiment.
/// </summary>
internal static class TornLineCheck
{
    /// <summary>Looks in a row, 1 ms apart, that must see the same length and last byte.</summary>
    private const int StableLooks = 3;

    /// <summary>Bound on looks while the file keeps changing.</summary>
    private const int MaxLooks = 50;

    /// <summary>
    /// True when the file still ends with the same non-'\n' byte at the same length after
    /// <see cref="StableLooks"/> looks: a torn line. False as soon as it ends with '\n' (or is empty), and when
    /// it kept changing for <see cref="MaxLooks"/> looks: a live writer, whose lines end in '\n', is at work.
    /// </summary>
    /// <param name="end">The length seen; updated to the latest length seen.</param>
    /// <param name="last">The non-'\n' last byte seen.</param>
    /// <param name="file">What <paramref name="look"/> reads (a static lambda plus state: no closure is allocated per append).</param>
    /// <param name="look">Reads the current length and last byte (length 0: empty file, last byte ignored).</param>
    public static bool StaysTorn<TFile>(ref long end, byte last, TFile file, Func<TFile, (long End, byte Last)> look)
    {
        var stable = 0;
        for (var i = 0; i < MaxLooks; i++)
        {
            Thread.Sleep(1);
            var (nowEnd, nowLast) = look(file);
            if (nowEnd == end && nowLast == last)
            {
                if (++stable == StableLooks) return true;
                continue;
            }
            (end, last, stable) = (nowEnd, nowLast, 0);
            if (end == 0 || last == (byte)'\n') return false;
        }
        return false;
    }
}
