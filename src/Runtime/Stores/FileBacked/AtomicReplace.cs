namespace Qlib.Tracked.Stores.FileBacked;

/// <summary>
/// The one way this project replaces a file whole so that readers never see it half-done: write a temp file next to
/// the target (named by <see cref="TempFileNames.ForReplace"/>, so <c>qtrack gc</c> can tell a killed writer's
/// leftover), then rename it onto the target. Used by the store's meta.yaml rewrites (<see cref="AtomicFile"/>),
/// artifact writes and exports (<see cref="Artifacts.AtomicWriteStream"/>) and the CLI's own files.
/// </summary>
/// <remarks>
/// Sync policy: <see cref="WriteAllBytes"/> does not sync — it writes the store's small metadata files, which MLflow
/// does not sync either, and run creation writes six of them; <see cref="Artifacts.AtomicWriteStream"/> syncs before
/// <see cref="Publish"/>, because artifacts are users' data written once. On Linux the writes and the rename go
/// through the C library (<see cref="LinuxWrite"/>); elsewhere, or with <see cref="Interop.NativeCalls.ForcePortable"/>,
/// through .NET's file APIs, with the same result.
/// </remarks>
internal static class AtomicReplace
{
    /// <summary>A fresh temp file name in <paramref name="targetPath"/>'s folder (the same file system, so the rename is atomic).</summary>
    public static string TempPathFor(string targetPath) => TempFileNames.ForReplace(targetPath);

    /// <summary>Replaces <paramref name="targetPath"/> with <paramref name="bytes"/> (not synced: see the remarks).</summary>
    /// <exception cref="DirectoryNotFoundException">The target's folder does not exist.</exception>
    /// <param name="targetPath">The file to replace.</param>
    /// <param name="bytes">Its new content.</param>
    /// <param name="targetIsNew">
    /// The target cannot exist yet (a meta.yaml in a run folder this call's caller has just made): the temp is renamed
    /// in place directly, skipping the exchange <see cref="LinuxWrite.Replace"/> tries first, which would only fail.
    /// </param>
    public static void WriteAllBytes(string targetPath, ReadOnlySpan<byte> bytes, bool targetIsNew = false)
    {
        var temp = TempPathFor(targetPath);
        try
        {
            if (LinuxWrite.IsSupported)
            {
                if (!LinuxWrite.TryWriteAll(temp, bytes, createNew: true))
                    throw new DirectoryNotFoundException($"Could not find a part of the path '{temp}'.");
            }
            else
            {
                using var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
                stream.Write(bytes);
            }
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
        PublishTemp(temp, targetPath, targetIsNew);
    }

    /// <summary>
    /// Renames the finished <paramref name="tempPath"/> onto <paramref name="targetPath"/> (same folder), replacing it
    /// atomically; on failure the temp file is removed and the target keeps its old content.
    /// </summary>
    public static void Publish(string tempPath, string targetPath) => PublishTemp(tempPath, targetPath, targetIsNew: false);

    private static void PublishTemp(string tempPath, string targetPath, bool targetIsNew)
    {
        try
        {
            if (LinuxWrite.IsSupported && targetIsNew) LinuxWrite.RenameOntoNew(tempPath, targetPath);
            else if (LinuxWrite.IsSupported) LinuxWrite.Replace(tempPath, targetPath);
            else File.Move(tempPath, targetPath, overwrite: true);
        }
        catch
        {
            TryDelete(tempPath);
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
