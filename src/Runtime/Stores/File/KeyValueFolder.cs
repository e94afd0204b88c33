namespace Qlib.Tracked.Stores.FileBacked;

/// <summary>
/// A <c>params/</c> or <c>tags/</c> folder: one file per key, the value as the exact file content;
/// keys with '/' are sub-folders, walked recursively and rebuilt with '/'.
/// </summary>
internal static class KeyValueFolder
{
    public static Dictionary<string, string> ReadAll(string folder)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!Directory.Exists(folder)) return result;
        var prefixLength = folder.Length + 1;
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            var key = file[prefixLength..];
            if (Path.DirectorySeparatorChar != '/') key = key.Replace(Path.DirectorySeparatorChar, '/');
            try
            {
                result[key] = AtomicFile.ReadExact(file);
            }
            catch (FileNotFoundException)
            {
                // Deleted between listing and reading (delete_tag in another process).
            }
        }
        return result;
    }

    /// <summary>The value of one key, or null when the file does not exist.</summary>
    public static string? TryRead(string path)
    {
        // A missing file is the common case (a new param): an exists check is far cheaper than the exception.
        if (!File.Exists(path)) return null;
        try
        {
            return AtomicFile.ReadExact(path);
        }
        catch (FileNotFoundException) { return null; }
        catch (DirectoryNotFoundException) { return null; }
    }
}
