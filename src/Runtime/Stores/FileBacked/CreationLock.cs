namespace Qlib.Tracked.Stores.FileBacked;

/// <summary>
/// An OS lock on a lock FILE in the store root, held while an experiment is created or renamed so
/// two processes (or two store instances) cannot both pass the "name is free" check. A file rather
/// than a folder so MLflow, which lists folders as experiments, ignores it.
/// </summary>
internal sealed class CreationLock : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly FileStream _stream;

    private CreationLock(FileStream stream) => _stream = stream;

    public static CreationLock Acquire(string root)
    {
        var path = Path.Combine(root, StoreLayout.CreationLockFile);
        var deadline = DateTime.UtcNow + Timeout;
        var delayMs = 1;
        while (true)
        {
            try
            {
                // FileShare.None takes an exclusive OS lock (flock on Unix), which also excludes
                // other handles of this same process.
                return new CreationLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(delayMs + Random.Shared.Next(delayMs + 1));
                delayMs = Math.Min(delayMs * 2, 50);
            }
            catch (IOException e)
            {
                throw new TrackingException(ErrorCode.InternalError,
                    $"Could not lock '{path}' within {Timeout.TotalSeconds:0} s to create an experiment: {e.Message}", e);
            }
        }
    }

    public void Dispose() => _stream.Dispose();
}
