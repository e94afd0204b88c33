namespace Qlib.Tracked.Artifacts;

/// <summary>
/// A write stream for a remote artifact: bytes go to a private temp file, and disposing hands the finished file to
/// the upload (which streams it, and can reopen it for a retry) and deletes it. Aborted, or after a failed write,
/// nothing is uploaded, so the remote artifact keeps its old content.
/// </summary>
internal sealed class UploadOnDisposeStream : Stream, IAbortableWriteStream
{
    private readonly Action<string> _upload;
    private readonly string _tempPath;
    private readonly FileStream _temp;
    private bool _aborted;
    private bool _done;

    public UploadOnDisposeStream(Action<string> upload)
    {
        _upload = upload;
        _tempPath = Path.Combine(Path.GetTempPath(), $"qlib-upload-{Guid.NewGuid():N}.tmp");
        _temp = new FileStream(_tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920);
    }

    public void Abort() => _aborted = true;

    public override bool CanRead => false;
    public override bool CanSeek => !_done;
    public override bool CanWrite => !_done;
    public override long Length => _temp.Length;

    public override long Position
    {
        get => _temp.Position;
        set => _temp.Position = value;
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        try { _temp.Write(buffer); }
        catch { _aborted = true; throw; }
    }

    public override void Flush() => _temp.Flush();
    public override long Seek(long offset, SeekOrigin origin) => _temp.Seek(offset, origin);
    public override void SetLength(long value) => _temp.SetLength(value);
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("An artifact write stream cannot be read.");

    protected override void Dispose(bool disposing)
    {
        try
        {
            if (disposing && !_done)
            {
                _done = true;
                try
                {
                    _temp.Dispose();
                    if (!_aborted) _upload(_tempPath);
                }
                finally
                {
                    try { File.Delete(_tempPath); }
                    catch (IOException) { }
                    catch (UnauthorizedAccessException) { }
                }
            }
        }
        finally
        {
            base.Dispose(disposing);
        }
    }

    public override ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
