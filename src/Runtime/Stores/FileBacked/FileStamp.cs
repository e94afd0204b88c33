using Qlib.Tracked.Interop;

namespace Qlib.Tracked.Stores.FileBacked;

/// <summary>
/// What one stat says about a file or folder: last write time and length. Two equal, settled stamps mean
/// the content read under the first is still the content (appends change the length; rewrites and
/// renames change the write time).
/// </summary>
/// <remarks>
/// File systems stamp writes with a coarse clock (a few ms on Linux, 2 s on FAT), so a second write in the
/// same tick as the first can keep both the time and the length. Like git's "racily clean" rule, a stamp
/// taken less than <see cref="SettleTime"/> after the write it shows is recorded as
/// <see cref="Unsettled"/>: whatever was read under it is read again next time, until the file has been
/// quiet long enough that any later write must carry a later time.
/// </remarks>
internal readonly record struct FileStamp(long WriteTicks, long Length)
{
    public static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(2);

    /// <summary>The file does not exist.</summary>
    public static FileStamp Missing => new(0, -1);

    /// <summary>Never equal to a real stamp: forces a re-read on the next check.</summary>
    public static FileStamp Unsettled => new(0, -2);

    public bool Exists => Length >= 0;

    [ThreadStatic] private static long t_stats;

    /// <summary>Stats this thread has issued (callers take differences around their work: tests count a query's stats).</summary>
    public static long StatsOnThisThread => t_stats;

    /// <summary>True when <paramref name="current"/> proves the content recorded under this stamp is unchanged.</summary>
    public bool Confirms(FileStamp current) => Length >= 0 && this == current;

    /// <summary>Stats the file <paramref name="path"/>; <see cref="Missing"/> when it does not exist or is a folder.</summary>
    public static FileStamp Of(string path) => OfFile(path, "", "");

    /// <summary>
    /// Stats the file <c>folder/sub/key</c> (empty parts left out; '/' in <paramref name="key"/> is a sub-folder)
    /// without building the path string; <see cref="Missing"/> when it does not exist or is a folder.
    /// </summary>
    public static FileStamp OfFile(string folder, string sub, string key)
    {
        t_stats++;
        if (!LinuxStat.TryStat(folder, sub, key, out var exists, out var isDirectory, out var ticks, out var length))
            return Of(new FileInfo(Join(folder, sub, key)));
        return exists && !isDirectory ? new FileStamp(ticks, length) : Missing;
    }

    /// <summary>Stats the folder <c>folder/sub</c> (<paramref name="sub"/> empty: the folder itself); <see cref="Missing"/> when it is not a folder.</summary>
    public static FileStamp OfFolder(string folder, string sub = "")
    {
        t_stats++;
        if (!LinuxStat.TryStat(folder, sub, "", out var exists, out var isDirectory, out var ticks, out _))
            return Of(new DirectoryInfo(Join(folder, sub, "")));
        return exists && isDirectory ? new FileStamp(ticks, 0) : Missing;
    }

    private static string Join(string folder, string sub, string key)
    {
        var path = sub.Length == 0 ? folder : Path.Combine(folder, sub);
        return key.Length == 0 ? path : StoreLayout.KeyPath(path, key);
    }

    public static FileStamp Of(FileSystemInfo info)
    {
        t_stats++;
        info.Refresh();
        if (!info.Exists) return Missing;
        return new FileStamp(info.LastWriteTimeUtc.Ticks, info is FileInfo file ? file.Length : 0);
    }

    /// <summary>The stamp to record for content read after this stat at <paramref name="statTimeUtc"/>.</summary>
    public FileStamp Settled(DateTime statTimeUtc) =>
        Exists && statTimeUtc.Ticks - WriteTicks >= SettleTime.Ticks ? this : Exists ? Unsettled : this;
}
