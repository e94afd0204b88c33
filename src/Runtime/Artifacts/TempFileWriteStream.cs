namespace Qlib.Tracked.Artifacts;

/// <summary>
/// A write-only stream over a private temp file that is handed on whole when disposed: renamed onto its target
/// (<see cref="AtomicWriteStream"/>) or uploaded (a proxied repository's write). Nobody sees the bytes before then, so
/// readers get the old content or the complete new one. Disposing commits (the repository contract); call
/// <see cref="Abort"/> first to discard. A write that throws aborts automatically, because the temp file's content is
/// then unknown. Not thread-safe: one writer at a time, like any <see cref="Stream"/>.
/// </summary>
public abstract class TempFileWriteStream : Stream, IAbortableWriteStream
{
    private readonly FileStream _temp;
    private bool _aborted;
    private bool _done;

    /// <summary>Creates <paramref name="tempPath"/>, failing if it exists (every writer names its own temp file).</summary>
    private protected TempFileWriteStream(string tempPath)
    {
        TempPath = tempPath;
        _temp = new FileStream(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920);
    }

    /// <summary>Where the bytes are until <see cref="Commit"/> hands them on.</summary>
    private protected string TempPath { get; }

    /// <summary>
    /// Whether the bytes must reach the disk before <see cref="Commit"/>: true where the commit publishes the file
    /// under its real name (a power cut must not leave that name on a file whose data never landed).
    /// </summary>
    private protected abstract bool FlushToDisk { get; }

    /// <summary>
    /// Hands the finished, closed temp file at <see cref="TempPath"/> on (called once, unless aborted); a throw
    /// reaches the caller of Dispose. The temp file is deleted afterwards unless the commit renamed it away.
    /// </summary>
    private protected abstract void Commit();

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
    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <inheritdoc/>
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        try { _temp.Write(buffer); }
        catch { _aborted = true; throw; }
    }

    /// <inheritdoc/>
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc/>
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try { await _temp.WriteAsync(buffer, cancellationToken).ConfigureAwait(false); }
        catch { _aborted = true; throw; }
    }

    /// <inheritdoc/>
    public override void WriteByte(byte value)
    {
        try { _temp.WriteByte(value); }
        catch { _aborted = true; throw; }
    }

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

    /// <summary>Commits like <see cref="Dispose(bool)"/>; the commit is synchronous either way.</summary>
    public override ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private void Finish()
    {
        try
        {
            try
            {
                if (!_aborted) _temp.Flush(FlushToDisk);
            }
            finally
            {
                // Closed before the commit: Windows cannot rename an open file.
                _temp.Dispose();
            }
            if (!_aborted) Commit();
        }
        finally
        {
            // Gone already when the commit renamed it; otherwise (aborted, failed, uploaded) it must not linger.
            TryDelete(TempPath);
        }
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
