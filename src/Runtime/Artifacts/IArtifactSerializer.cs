namespace Qlib.Tracked.Artifacts;

/// <summary>
/// Turns one type into artifact bytes and back. Chosen by type (see <see cref="ArtifactSerializers"/>),
/// never by anything read from the artifact: a file can only make a load fail, not pick what is built.
/// Implementations should be stateless and thread-safe: generated code and <see cref="ArtifactSerializers"/> share one instance across threads.
/// </summary>
public interface IArtifactSerializer<T>
{
    /// <summary>A short name of the on-disk format ("text", "bytes", "json", "memorypack", "parquet").</summary>
    string Format { get; }

    /// <summary>Writes <paramref name="value"/> to <paramref name="destination"/> in <see cref="Format"/>; the stream is left open.</summary>
    void Serialize(Stream destination, T value);

    /// <summary>
    /// Reads a <typeparamref name="T"/>. Throws <see cref="ArtifactTypeMismatchException"/> when the
    /// artifact holds something else and <see cref="ArtifactCorruptException"/> when it is damaged;
    /// <paramref name="artifactName"/> only feeds those messages.
    /// </summary>
    T Deserialize(Stream source, string artifactName);
}
