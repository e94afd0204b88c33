using Qlib.Tracked.Stores.FileBacked;

namespace Qlib.Tracked.Artifacts;

/// <summary>
/// A write stream for a remote artifact: bytes go to a private temp file, and disposing hands the finished file to
/// the upload (which streams it, and can reopen it for a retry); the temp file is deleted either way. Aborted, or
/// after a failed write, nothing is uploaded, so the remote artifact keeps its old content.
/// </summary>
internal sealed class UploadOnDisposeStream(Action<string> upload)
    : TempFileWriteStream(AtomicReplace.TempPathFor(Path.Combine(Path.GetTempPath(), "qlib-upload")))
{
    // The server stores the artifact; the local copy only lives until the upload has read it.
    private protected override bool FlushToDisk => false;

    private protected override void Commit() => upload(TempPath);
}
