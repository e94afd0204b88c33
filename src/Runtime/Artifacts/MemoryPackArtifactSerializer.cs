using System.Diagnostics.CodeAnalysis;
using MemoryPack;

namespace Qlib.Tracked.Artifacts;

/// <summary>
/// MemoryPack inside a <see cref="MemoryPackEnvelope"/>. Works for every type MemoryPack has a
/// formatter for ([MemoryPackable] types, primitives, arrays, common collections).
/// Stateless; thread-safe: one instance may serve concurrent calls, each on its own stream.
/// </summary>
public sealed class MemoryPackArtifactSerializer<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.All)] T> : IArtifactSerializer<T>
{
    private readonly string _typeName;

    /// <param name="typeName">
    /// The identity stored in and checked against the envelope; defaults to the type's name. Pass the
    /// old name after renaming a type to keep loading artifacts saved under it.
    /// </param>
    public MemoryPackArtifactSerializer(string? typeName = null) => _typeName = typeName ?? ArtifactTypeName.Of<T>();

    /// <inheritdoc/>
    public string Format => "memorypack";

    /// <inheritdoc/>
    public void Serialize(Stream destination, T value)
    {
        var payload = MemoryPackSerializer.Serialize(value);
        MemoryPackEnvelope.Write(destination, _typeName, payload);
    }

    /// <summary>Reads an envelope holding a <typeparamref name="T"/> stored under this serializer's type name.</summary>
    /// <exception cref="ArtifactTypeMismatchException">The bytes are not a MemoryPack envelope, or the envelope names another type.</exception>
    /// <exception cref="ArtifactCorruptException">The envelope or its payload is damaged (truncated, undecodable, or with trailing bytes).</exception>
    public T Deserialize(Stream source, string artifactName)
    {
        var data = ArtifactBytes.ReadAll(source);
        if (!MemoryPackEnvelope.HasMagic(data))
            throw new ArtifactTypeMismatchException(artifactName, ArtifactSniffer.Describe(data), $"a MemoryPack object of type '{_typeName}'");
        var (stored, payload) = MemoryPackEnvelope.Read(data, artifactName);
        if (!string.Equals(stored, _typeName, StringComparison.Ordinal))
            throw new ArtifactTypeMismatchException(artifactName, $"a MemoryPack object of type '{stored}'", $"'{_typeName}'");
        T? value = default;
        int consumed;
        try
        {
            consumed = MemoryPackSerializer.Deserialize(payload.Span, ref value);
        }
        catch (MemoryPackSerializationException e)
        {
            throw new ArtifactCorruptException(artifactName, "MemoryPack", $"the payload does not decode as '{_typeName}' ({e.Message})", e);
        }
        catch (ArgumentOutOfRangeException e)
        {
            // MemoryPack reads past a damaged length prefix this way.
            throw new ArtifactCorruptException(artifactName, "MemoryPack", $"the payload ends early for '{_typeName}'", e);
        }
        if (consumed != payload.Length)
            throw new ArtifactCorruptException(artifactName, "MemoryPack", $"the payload decodes in {consumed} of its {payload.Length} bytes");
        return value!;
    }
}
