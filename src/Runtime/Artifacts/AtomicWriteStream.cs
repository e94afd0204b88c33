namespace Qlib.Tracked.Artifacts;

/// <summary>
/// A write-only stream over a temp file next to the target that is renamed onto the target when
/// disposed. Readers therefore see either the old artifact or the complete new one, never a torn
/// file. Disposing commits (the repository contract); call <see cref="Abort"/> first to discard.
/// A write that throws aborts automatically, because the temp file's content is then unknown.
/// Not thread-safe: one writer at a time, like any <see cref="Stream"/>.
/// </summary>
public sealed class AtomicWriteStream : Stream, IAbortableWriteStream
{
    /// <summary>Temp files start with this prefix so listings can skip leftovers of a crashed process.</summary>
    internal const string TempPrefix = ".qlib-tmp-";

    private readonly FileStream _temp;
    private readonly string _tempPath;
    private readonly string _targetPath;
    private bool _aborted;
    private bool _done;

    internal AtomicWriteStream(string targetPath)
    {
        _targetPath = targetPath;
        // The final rename would put a regular file in place of a device or pipe (as root, `--out /dev/full` would
        // replace the device): refuse before anything is written.
        if (Stores.FileBacked.Index.LinuxStat.IsSpecialFile(targetPath))
            throw TrackingException.InvalidParameter(
                $"Cannot write '{targetPath}': it is a pipe, socket or device, not a file, and writing replaces the file at that path whole.");
        var folder = Path.GetDirectoryName(targetPath)!;
        // Same folder as the target so the final rename stays on one file system and is atomic.
        _tempPath = Path.Combine(folder, $"{TempPrefix}{Guid.NewGuid():N}-{Path.GetFileName(targetPath)}");
        _temp = new FileStream(_tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920);
    }

    /// <summary>Discards everything written; the target keeps its old content (or stays absent).</summary>
    public void Abort() => _aborted = true;

    /// <inheritdoc/>
    public override bool CanRead => false;
    /// <inheritdoc/>
    public override bool CanSeek => !_done && _temp.CanSeek;
    /// <inheritdoc/>
    public override bool CanWrite => !_done;
    /// <inheritdoc/>
    public override long Length => _temp.Length;

    /// <inheritdoc/>
    public override long Position
    {
        get => _temp.Position;
        set => _temp.Position = value;
    }

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => Guard(() => _temp.Write(buffer, offset, count));

    /// <inheritdoc/>
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        try { _temp.Write(buffer); }
        catch { _aborted = true; throw; }
    }

    /// <inheritdoc/>
    public override async Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        try { await _temp.WriteAsync(buffer.AsMemory(offset, count), cancellationToken).ConfigureAwait(false); }
        catch { _aborted = true; throw; }
    }

    /// <inheritdoc/>
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try { await _temp.WriteAsync(buffer, cancellationToken).ConfigureAwait(false); }
        catch { _aborted = true; throw; }
    }

    /// <inheritdoc/>
    public override void WriteByte(byte value) => Guard(() => _temp.WriteByte(value));
    /// <inheritdoc/>
    public override void Flush() => _temp.Flush();
    /// <inheritdoc/>
    public override Task FlushAsync(CancellationToken cancellationToken) => _temp.FlushAsync(cancellationToken);
    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin) => _temp.Seek(offset, origin);
    /// <inheritdoc/>
    public override void SetLength(long value) => _temp.SetLength(value);
    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("An artifact write stream cannot be read.");

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        try
        {
            if (disposing && !_done)
            {
                _done = true;
                Finish();
            }
        }
        finally
        {
            base.Dispose(disposing);
        }
    }

    /// <summary>Commits like <see cref="Dispose(bool)"/>; the final fsync and rename are synchronous either way.</summary>
    public override ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private void Finish()
    {
        try
        {
            // Flush(true) reaches the disk before the rename publishes the name, so a power cut
            // cannot leave the real name pointing at a file whose data never landed.
            if (!_aborted) _temp.Flush(flushToDisk: true);
        }
        catch
        {
            _aborted = true;
            throw;
        }
        finally
        {
            _temp.Dispose();
            if (_aborted) TryDelete(_tempPath);
        }
        if (_aborted) return;
        try
        {
            File.Move(_tempPath, _targetPath, overwrite: true);
        }
        catch
        {
            TryDelete(_tempPath);
            throw;
        }
    }

    private void Guard(Action write)
    {
        try { write(); }
        catch { _aborted = true; throw; }
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
