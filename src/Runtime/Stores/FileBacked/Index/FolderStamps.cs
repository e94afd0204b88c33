namespace Qlib.Tracked.Stores.FileBacked.Index;

/// <summary>
/// The stamps of a key folder (<c>metrics/</c>, <c>params/</c> or <c>tags/</c>) and of every sub-folder in it
/// ('/' in a key is a sub-folder), taken just before the folder was listed. A folder's write time changes
/// whenever an entry is created, removed or renamed in it, so equal settled stamps prove the listing (the set
/// of keys) is still the same; they say nothing about a file rewritten or appended in place.
/// </summary>
internal sealed class FolderStamps(string[] relativePaths, FileStamp[] stamps)
{
    public string[] RelativePaths { get; } = relativePaths;
    public FileStamp[] Stamps { get; } = stamps;

    /// <summary>Stats <paramref name="root"/> and its sub-folders (before listing them), settled at <paramref name="statTimeUtc"/>.</summary>
    public static FolderStamps Take(string root, DateTime statTimeUtc)
    {
        var rootStamp = FileStamp.Of(new DirectoryInfo(root));
        var paths = new List<string> { "" };
        var stamps = new List<FileStamp> { rootStamp.Settled(statTimeUtc) };
        if (rootStamp.Exists)
        {
            try
            {
                foreach (var sub in new DirectoryInfo(root).EnumerateDirectories("*", SearchOption.AllDirectories))
                {
                    paths.Add(Path.GetRelativePath(root, sub.FullName));
                    stamps.Add(FileStamp.Of(sub).Settled(statTimeUtc));
                }
            }
            catch (DirectoryNotFoundException)
            {
                stamps[0] = FileStamp.Unsettled; // removed while listing: look again next time
            }
        }
        return new FolderStamps([.. paths], [.. stamps]);
    }

    /// <summary>
    /// One stat per folder (one for a flat key folder) of <c>runFolder/kindFolder</c>: true when no folder gained,
    /// lost or renamed an entry.
    /// </summary>
    public bool StillCurrent(string runFolder, string kindFolder)
    {
        for (var i = 0; i < Stamps.Length; i++)
        {
            var recorded = Stamps[i];
            if (recorded == FileStamp.Unsettled) return false;
            var stamp = RelativePaths[i].Length == 0
                ? FileStamp.OfFolder(runFolder, kindFolder)
                : FileStamp.OfFolder(Path.Combine(runFolder, kindFolder), RelativePaths[i]);
            // Missing equals Missing: a key folder that still does not exist still holds no keys.
            if (stamp != recorded) return false;
        }
        return true;
    }
}
