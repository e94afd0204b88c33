namespace Qlib.Tracked.Stores.FileBacked;

/// <summary>
/// Where ranged reads of metric files stopped, so that a long history read page after page (a server's
/// <c>metrics/get-history</c> pages of 25,000 points) starts each page where the previous one ended instead of parsing
/// every earlier point again: four pages of a 100,000-point history parsed 250,000 points without it. An entry is used
/// only for the very file it came from — the same path, length and last-write time — so an append, a rewrite or a
/// replacement sends the read back to the top. Thread-safe: entries are immutable and swapped whole, one per slot
/// chosen by path (a newer entry replaces whatever held the slot).
/// </summary>
internal static class MetricReadResume
{
    private const int Slots = 64;

    private static readonly Entry?[] Entries = new Entry?[Slots];

    /// <summary>Point number <see cref="Points"/> (counting valid points from 0) starts at byte <see cref="Offset"/>, after <see cref="Lines"/> lines.</summary>
    internal sealed record Entry(string Path, long Length, DateTime WriteTime, int Points, long Offset, int Lines);

    /// <summary>A place at or before point <paramref name="skip"/> of this very file to start reading from, or null.</summary>
    public static Entry? Find(string path, long length, DateTime writeTime, int skip)
    {
        var entry = Volatile.Read(ref Entries[Slot(path)]);
        return entry is not null && entry.Points <= skip && entry.Length == length && entry.WriteTime == writeTime
            && string.Equals(entry.Path, path, StringComparison.Ordinal) ? entry : null;
    }

    public static void Remember(Entry entry) => Volatile.Write(ref Entries[Slot(entry.Path)], entry);

    private static int Slot(string path) => (int)((uint)string.GetHashCode(path, StringComparison.Ordinal) % Slots);
}
