using Qlib.Tracked.Stores.FileBacked;

namespace Qlib.Tracked.Artifacts;

/// <summary>
/// A write-only stream that replaces the file at its target path when disposed (<see cref="AtomicReplace"/>): the
/// bytes go to a temp file next to the target, reach the disk, and are renamed onto the target. Readers therefore see
/// either the old file or the complete new one, never a torn file. Disposing commits; call
/// <see cref="TempFileWriteStream.Abort"/> first to discard. Not thread-safe: one writer at a time.
/// </summary>
public sealed class AtomicWriteStream : TempFileWriteStream
{
    private readonly string _targetPath;

    /// <summary>Starts replacing <paramref name="targetPath"/>, whose folder must exist.</summary>
    /// <exception cref="TrackingException">The path is a pipe, socket or device (the rename would replace it with a file).</exception>
    public AtomicWriteStream(string targetPath) : base(TempPathOf(targetPath)) => _targetPath = Path.GetFullPath(targetPath);

    // Artifacts and exports are users' data, often large and written once: worth a sync before they replace the old copy.
    private protected override bool FlushToDisk => true;

    private protected override void Commit() => AtomicReplace.Publish(TempPath, _targetPath);

    private static string TempPathOf(string targetPath)
    {
        // The final rename would put a regular file in place of a device or pipe (as root, `--out /dev/full` would
        // replace the device): refuse before anything is written.
        if (Interop.LinuxStat.IsSpecialFile(targetPath))
            throw TrackingException.InvalidParameter(
                $"Cannot write '{targetPath}': it is a pipe, socket or device, not a file, and writing replaces the file at that path whole.");
        return AtomicReplace.TempPathFor(Path.GetFullPath(targetPath));
    }
}
