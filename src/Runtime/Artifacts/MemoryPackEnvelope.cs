using System.Buffers.Binary;
using System.Text;

namespace Qlib.Tracked.Artifacts;

/// <summary>
/// The header around MemoryPack payloads, which carry no type of their own:
/// <c>"QTMP"</c> · version byte · type-name length (uint16 LE) · type name (UTF-8) ·
/// payload length (int64 LE) · payload. The type name lets a load with the wrong type fail with
/// both names; the payload length turns truncation into a clear error instead of a garbled object.
/// </summary>
internal static class MemoryPackEnvelope
{
    public const byte Version = 1;
    private static ReadOnlySpan<byte> Magic => "QTMP"u8;
    private const int FixedHeader = 4 + 1 + 2;

    public static void Write(Stream destination, string typeName, ReadOnlySpan<byte> payload)
    {
        var name = Encoding.UTF8.GetBytes(typeName);
        Span<byte> header = stackalloc byte[FixedHeader];
        Magic.CopyTo(header);
        header[4] = Version;
        BinaryPrimitives.WriteUInt16LittleEndian(header[5..], checked((ushort)name.Length));
        destination.Write(header);
        destination.Write(name);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(length, payload.Length);
        destination.Write(length);
        destination.Write(payload);
    }

    public static bool HasMagic(ReadOnlySpan<byte> data) => data.Length >= 4 && data[..4].SequenceEqual(Magic);

    /// <summary>The stored type name when <paramref name="data"/> starts with a readable envelope header.</summary>
    public static bool TryReadTypeName(ReadOnlySpan<byte> data, out string typeName)
    {
        typeName = "";
        if (!HasMagic(data) || data.Length < FixedHeader) return false;
        var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(data[5..]);
        if (data.Length < FixedHeader + nameLength) return false;
        typeName = Encoding.UTF8.GetString(data.Slice(FixedHeader, nameLength));
        return true;
    }

    /// <summary>
    /// Splits an envelope into its type name and payload; throws <see cref="ArtifactCorruptException"/>
    /// on any damage. The caller must already know <paramref name="data"/> starts with the magic.
    /// </summary>
    public static (string TypeName, ReadOnlyMemory<byte> Payload) Read(ReadOnlyMemory<byte> data, string artifactName)
    {
        var span = data.Span;
        if (span.Length < FixedHeader) throw Corrupt(artifactName, "the header is truncated");
        if (span[4] != Version)
            throw Corrupt(artifactName, $"envelope version {span[4]} is not supported (this build reads version {Version})");
        if (!TryReadTypeName(span, out var typeName)) throw Corrupt(artifactName, "the type name is truncated");
        var at = FixedHeader + BinaryPrimitives.ReadUInt16LittleEndian(span[5..]);
        if (span.Length < at + 8) throw Corrupt(artifactName, "the payload length is truncated");
        var payloadLength = BinaryPrimitives.ReadInt64LittleEndian(span[at..]);
        var available = span.Length - at - 8;
        if (payloadLength < 0 || payloadLength > available)
            throw Corrupt(artifactName, $"the payload is truncated ({available} of {payloadLength} bytes present)");
        if (payloadLength < available)
            throw Corrupt(artifactName, $"{available - payloadLength} unexpected bytes follow the payload");
        return (typeName, data.Slice(at + 8, (int)payloadLength));
    }

    private static ArtifactCorruptException Corrupt(string artifactName, string problem) =>
        new(artifactName, "MemoryPack", problem);
}
