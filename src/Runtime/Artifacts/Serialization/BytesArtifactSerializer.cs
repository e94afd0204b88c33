namespace Qlib.Tracked.Artifacts;

/// <summary>
/// Raw bytes, stored as given. Refuses artifacts our typed serializers wrote (a MemoryPack
/// envelope, a Parquet table with our metadata): reading those as bytes is almost always a mix-up,
/// and <see cref="IArtifactRepository.OpenRead"/> remains for deliberate raw access.
/// </summary>
public sealed class BytesArtifactSerializer : IArtifactSerializer<byte[]>, IArtifactSerializer<ReadOnlyMemory<byte>>
{
    public static BytesArtifactSerializer Instance { get; } = new();

    public string Format => "bytes";

    public void Serialize(Stream destination, byte[] value) => destination.Write(value);

    public void Serialize(Stream destination, ReadOnlyMemory<byte> value) => destination.Write(value.Span);

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
