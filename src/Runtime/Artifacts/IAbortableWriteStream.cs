namespace Qlib.Tracked.Artifacts;

/// <summary>
/// An artifact write stream that publishes what was written when it is disposed (the repository contract), unless
/// <see cref="Abort"/> was called first: then the artifact keeps its old content (or stays absent). A serializer
/// that fails half-way aborts, so a torn artifact never replaces a good one, whatever the repository.
/// </summary>
public interface IAbortableWriteStream
{
    /// <summary>Discards everything written; disposing then publishes nothing.</summary>
    void Abort();
}
