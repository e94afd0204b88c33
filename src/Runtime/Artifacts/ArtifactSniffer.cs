using System.Buffers.Binary;
using System.Text;

namespace Qlib.Tracked.Artifacts;

/// <summary>
/// Recognises artifacts written by our typed serializers so that the untyped loaders (text, bytes,
/// JSON) can refuse them by name instead of returning binary garbage. Only reads headers and
/// compares; the description it returns is for error messages.
/// </summary>
internal static class ArtifactSniffer
{
    private static readonly byte[] ParquetMagic = "PAR1"u8.ToArray();

    /// <summary>
    /// "a MemoryPack object of type X" / "a Parquet table of type X" for our own artifacts, else null.
    /// A Parquet file from another tool is not "ours": raw-bytes loading of it stays allowed.
    /// </summary>
    public static string? DescribeOwn(ReadOnlySpan<byte> data)
    {
        if (MemoryPackEnvelope.TryReadTypeName(data, out var typeName))
            return $"a MemoryPack object of type '{typeName}'";
        if (IsParquet(data) && TryFindTableType(data, out var tableType))
            return tableType is null ? "a Qlib.Tracked Parquet table" : $"a Parquet table of type '{tableType}'";
        return null;
    }

    /// <summary>Our description if we wrote it, else a generic one for error messages.</summary>
    public static string Describe(ReadOnlySpan<byte> data)
    {
        var own = DescribeOwn(data);
        if (own is not null) return own;
        if (IsParquet(data)) return "a Parquet file";
        if (data.Length == 0) return "an empty file";
        return "data of another format";
    }

    public static bool IsParquet(ReadOnlySpan<byte> data) =>
        data.Length >= 12 && data[..4].SequenceEqual(ParquetMagic) && data[^4..].SequenceEqual(ParquetMagic);

    /// <summary>
    /// Looks for our table key in the Parquet footer (Thrift-encoded key-value metadata) and reads
    /// the value that follows it: a field header byte, a varint length, then UTF-8. Anything that
    /// does not parse still counts as ours, with an unknown type.
    /// </summary>
    private static bool TryFindTableType(ReadOnlySpan<byte> data, out string? tableType)
    {
        tableType = null;
        var footerLength = BinaryPrimitives.ReadInt32LittleEndian(data[^8..^4]);
        if (footerLength <= 0 || footerLength > data.Length - 12) return false;
        var footer = data[^(8 + footerLength)..^8];
        var key = Encoding.UTF8.GetBytes(ParquetTableMetadata.TableTypeKey);
        var at = footer.IndexOf(key);
        if (at < 0) return false;
        var rest = footer[(at + key.Length)..];
        if (rest.Length < 2) return true;
        var pos = 1;
        var length = 0;
        for (var shift = 0; pos < rest.Length && shift < 35; shift += 7)
        {
            var b = rest[pos++];
            length |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                if (length > 0 && length <= rest.Length - pos)
                    tableType = Encoding.UTF8.GetString(rest.Slice(pos, length));
                break;
            }
        }
        return true;
    }
}
