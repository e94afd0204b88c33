namespace Qlib.Tracked.Stores.FileBacked.Index;

/// <summary>
/// One attempt to make a run watch-clean (<see cref="RunWatcher.TryWatchRun"/>): the event count and overflow epoch
/// read before its first watch was added, and the key folders that got a watch ("" = the kind folder itself).
/// </summary>
internal sealed class WatchPass(int events, int epoch)
{
    public int Events { get; } = events;
    public int Epoch { get; } = epoch;
    public HashSet<string> Metrics { get; } = new(StringComparer.Ordinal);
    public HashSet<string> Params { get; } = new(StringComparer.Ordinal);
    public HashSet<string> Tags { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// True when every folder the entry's key-folder stamps list (taken or confirmed after the watches were added)
    /// is watched; a kind folder that does not exist needs none (the run folder's watch reports its creation).
    /// </summary>
    public bool Covers(RunIndexEntry entry) =>
        CoversKind(entry.MetricFolders, Metrics) && CoversKind(entry.ParamFolders, Params) && CoversKind(entry.TagFolders, Tags);

    private static bool CoversKind(FolderStamps? stamps, HashSet<string> watched)
    {
        if (stamps is null) return false;
        for (var i = 0; i < stamps.RelativePaths.Length; i++)
        {
            var relative = stamps.RelativePaths[i];
            if (relative.Length == 0 && stamps.Stamps[i] == FileStamp.Missing) continue;
            if (!watched.Contains(relative)) return false;
        }
        return true;
    }
}
