using System.IO.Enumeration;

namespace Qlib.Tracked.Stores.FileBacked;

/// <summary>
/// The key files of a <c>params/</c>, <c>tags/</c> or <c>metrics/</c> folder, walked recursively ('/' in a key is a
/// sub-folder) without following symlinks. MLflow never writes a link there, so a link is damage or a trap: a link
/// to a folder above it would make a recursive walk loop until the kernel refuses the path (ELOOP), and a link to a
/// file elsewhere would put that file's bytes into a param or tag. Links — and a key folder that is itself a link —
/// are reported and left out, never followed.
/// </summary>
internal static class KeyFileListing
{
    /// <summary>One key file: its full path and the stamp the listing saw.</summary>
    public readonly record struct KeyFile(string FullPath, long LastWriteTicks, long Length);

    private static readonly EnumerationOptions Options = new()
    {
        RecurseSubdirectories = true,
        AttributesToSkip = 0,
        IgnoreInaccessible = false,
        MatchType = MatchType.Simple,
    };

    /// <param name="folder">The key folder (need not exist).</param>
    /// <param name="warn">Told (path, why) of every entry left out.</param>
    public static List<KeyFile> List(string folder, Action<string, string> warn)
    {
        var result = new List<KeyFile>();
        var info = new DirectoryInfo(folder);
        if (!info.Exists) return result;
        if (info.LinkTarget is not null)
        {
            warn(folder, "Skipped the folder: it is a symlink (MLflow never writes one there; not followed).");
            return result;
        }
        var links = new List<string>();
        var listing = new FileSystemEnumerable<KeyFile?>(folder,
            (ref FileSystemEntry entry) =>
            {
                if ((entry.Attributes & FileAttributes.ReparsePoint) != 0) return null;
                return entry.IsDirectory ? null : new KeyFile(entry.ToFullPath(), entry.LastWriteTimeUtc.UtcTicks, entry.Length);
            },
            Options)
        {
            ShouldRecursePredicate = (ref FileSystemEntry entry) => (entry.Attributes & FileAttributes.ReparsePoint) == 0,
            ShouldIncludePredicate = (ref FileSystemEntry entry) =>
            {
                if ((entry.Attributes & FileAttributes.ReparsePoint) == 0) return !entry.IsDirectory;
                links.Add(entry.ToFullPath());
                return false;
            },
        };
        try
        {
            foreach (var file in listing)
            {
                if (file is { } keyFile) result.Add(keyFile);
            }
        }
        catch (DirectoryNotFoundException)
        {
            // Removed while listing (a run purged by another process): what was seen is all there is.
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            warn(folder, $"Stopped listing the folder: {e.Message}");
        }
        foreach (var link in links) warn(link, "Skipped: it is a symlink (MLflow never writes one in a key folder; not followed).");
        return result;
    }
}
