namespace Qlib.Tracked.Artifacts;

/// <summary>
/// Raw bytes, stored as given. Refuses artifacts our typed serializers wrote (a MemoryPack
/// envelope, a Parquet table with our metadata): reading those as bytes is almost always a mix-up,
/// and <see cref="IArtifactRepository.OpenRead"/> remains for deliberate raw access.
/// Stateless; thread-safe: one instance may serve concurrent calls, each on its own stream.
/// </summary>
public sealed class BytesArtifactSerializer : IArtifactSerializer<byte[]>, IArtifactSerializer<ReadOnlyMemory<byte>>
{
    /// <summary>The shared instance (the serializer has no state).</summary>
    public static BytesArtifactSerializer Instance { get; } = new();

    /// <inheritdoc/>
    public string Format => "bytes";

    /// <inheritdoc/>
    public void Serialize(Stream destination, byte[] value) => destination.Write(value);

    /// <inheritdoc/>
    public void Serialize(Stream destination, ReadOnlyMemory<byte> value) => destination.Write(value.Span);

    /// <summary>Reads every byte of <paramref name="source"/>.</summary>
    /// <exception cref="ArtifactTypeMismatchException">The bytes are an artifact one of our typed serializers wrote (a MemoryPack envelope or one of our Parquet tables).</exception>
    public byte[] Deserialize(Stream source, string artifactName)
    {
        var data = ArtifactBytes.ReadAll(source);
        var own = ArtifactSniffer.DescribeOwn(data);
        if (own is not null) throw new ArtifactTypeMismatchException(artifactName, own, "raw bytes");
        return data;
    }

    ReadOnlyMemory<byte> IArtifactSerializer<ReadOnlyMemory<byte>>.Deserialize(Stream source, string artifactName) =>
        Deserialize(source, artifactName);
}
