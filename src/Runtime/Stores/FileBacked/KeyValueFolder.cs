namespace Qlib.Tracked.Stores.FileBacked;

/// <summary>
/// A <c>params/</c> or <c>tags/</c> folder: one file per key, the value as the exact file content;
/// keys with '/' are sub-folders, walked recursively and rebuilt with '/'. A file over
/// <see cref="AtomicFile.MaxValueBytes"/> or that cannot be read is reported and left out, never read whole.
/// </summary>
internal static class KeyValueFolder
{
    /// <param name="folder">The params or tags folder.</param>
    /// <param name="warn">Told (file, why) of each value file that was left out.</param>
    public static Dictionary<string, string> ReadAll(string folder, Action<string, string> warn)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var prefixLength = folder.Length + 1;
        foreach (var (file, _, _) in KeyFileListing.List(folder, warn))
        {
            var key = file[prefixLength..];
            if (Path.DirectorySeparatorChar != '/') key = key.Replace(Path.DirectorySeparatorChar, '/');
            // A file deleted between listing and reading (delete_tag in another process) is simply not there.
            if (AtomicFile.TryReadExact(file, AtomicFile.MaxValueBytes, out var value, out var refused)) result[key] = value!;
            else if (refused is not null) warn(file, $"Skipped the value of '{key}': {refused}.");
        }
        return result;
    }

    /// <summary>The value of one key, or null when the file does not exist (or, with <paramref name="refused"/> saying why, cannot be read).</summary>
    public static string? TryRead(string path, out string? refused)
    {
        refused = null;
        // A missing file is the common case (a new param): an exists check is far cheaper than the exception.
        if (!File.Exists(path)) return null;
        return AtomicFile.TryReadExact(path, AtomicFile.MaxValueBytes, out var value, out refused) ? value : null;
    }
}
