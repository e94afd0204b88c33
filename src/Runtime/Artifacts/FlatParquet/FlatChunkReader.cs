using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Parquet.Meta;

namespace Qlib.Tracked.Artifacts.FlatParquet;

/// <summary>
/// Decodes a column chunk laid out the way <see cref="FlatParquetWriter"/> writes one (and pyarrow does without
/// compression): a required flat column, uncompressed, an optional PLAIN dictionary page, then v1 data pages that
/// are PLAIN or dictionary indices. Repeated values are decoded once and shared, which is what makes a million-row
/// frame cheap to load. Any other layout (codecs, nulls, v2 pages, other encodings) is left to Parquet.Net.
/// </summary>
internal static class FlatChunkReader
{
    /// <summary>Decodes <c>output.Length</c> PLAIN values from the start of <c>input</c>; false if the input is too short.</summary>
    public delegate bool PlainDecoder<T>(ReadOnlySpan<byte> input, Span<T> output);

    /// <summary>
    /// Reads the chunk into <paramref name="output"/> (its length is the chunk's value count). False, with
    /// <paramref name="output"/> in an unknown state, when the chunk is not laid out as described above.
    /// </summary>
    public static bool TryRead<T>(Stream stream, ColumnMetaData chunk, SchemaElement element, Span<T> output, PlainDecoder<T> plain)
    {
        if (chunk.Codec != CompressionCodec.UNCOMPRESSED || element.RepetitionType != FieldRepetitionType.REQUIRED
            || chunk.NumValues != output.Length || chunk.TotalCompressedSize is <= 0 or > int.MaxValue)
            return false;
        var start = chunk.DictionaryPageOffset is { } dictionaryOffset && dictionaryOffset > 0 && dictionaryOffset < chunk.DataPageOffset
            ? dictionaryOffset
            : chunk.DataPageOffset;
        if (start < 0 || start + chunk.TotalCompressedSize > stream.Length) return false;

        var bytes = ArrayPool<byte>.Shared.Rent((int)chunk.TotalCompressedSize);
        try
        {
            var position = stream.Position;
            stream.Position = start;
            stream.ReadExactly(bytes, 0, (int)chunk.TotalCompressedSize);
            stream.Position = position;
            return Decode(bytes.AsSpan(0, (int)chunk.TotalCompressedSize), output, plain);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    /// <summary>
    /// Fixed-width values (doubles, 64-bit integers) stored PLAIN, with no dictionary: each page's values are read
    /// from the file straight into <paramref name="output"/>'s memory, without a chunk buffer and a copy (10 MB
    /// each for a million-row score column). False when the chunk is laid out any other way (the caller then
    /// uses <see cref="TryRead"/>); the output is then in an unknown state.
    /// </summary>
    public static bool TryReadPlainFixed<T>(Stream stream, ColumnMetaData chunk, SchemaElement element, Span<T> output) where T : unmanaged
    {
        if (!BitConverter.IsLittleEndian || chunk.Codec != CompressionCodec.UNCOMPRESSED || element.RepetitionType != FieldRepetitionType.REQUIRED
            || chunk.NumValues != output.Length || chunk.DictionaryPageOffset is > 0 || chunk.DataPageOffset < 0
            || chunk.DataPageOffset + chunk.TotalCompressedSize > stream.Length)
            return false;
        var size = Unsafe.SizeOf<T>();
        var end = chunk.DataPageOffset + chunk.TotalCompressedSize;
        var origin = stream.Position;
        var position = chunk.DataPageOffset;
        var filled = 0;
        Span<byte> window = stackalloc byte[HeaderWindow];
        try
        {
            while (filled < output.Length)
            {
                stream.Position = position;
                var got = stream.ReadAtLeast(window[..(int)Math.Min(HeaderWindow, end - position)], 1, throwOnEndOfStream: false);
                PageHeader header;
                int headerLength;
                try
                {
                    header = PageHeader.Read(window[..got], out headerLength);
                }
                catch (Exception e) when (e is InvalidDataException or IndexOutOfRangeException)
                {
                    return false; // a header longer than the window, or not ours: the general path decides
                }
                var count = header.ValueCount;
                if (header.Type != (int)PageType.DATA_PAGE || header.Encoding != (int)Encoding.PLAIN || count <= 0 || count > output.Length - filled
                    || header.CompressedSize != header.UncompressedSize || header.CompressedSize != (long)count * size
                    || position + headerLength + header.CompressedSize > end)
                    return false;
                stream.Position = position + headerLength;
                stream.ReadExactly(MemoryMarshal.AsBytes(output.Slice(filled, count)));
                filled += count;
                position += headerLength + header.CompressedSize;
            }
            return position == end;
        }
        finally
        {
            stream.Position = origin;
        }
    }

    /// <summary>Bytes read to find a page header: ours are about 20, pyarrow's (with statistics) under 100.</summary>
    private const int HeaderWindow = 256;

    private static bool Decode<T>(ReadOnlySpan<byte> chunk, Span<T> output, PlainDecoder<T> plain)
    {
        T[]? dictionary = null;
        var filled = 0;
        var position = 0;
        while (filled < output.Length)
        {
            if (position >= chunk.Length) return false;
            var header = PageHeader.Read(chunk[position..], out var headerLength);
            position += headerLength;
            if (header.CompressedSize != header.UncompressedSize || header.CompressedSize < 0 || position + header.CompressedSize > chunk.Length)
                return false;
            var body = chunk.Slice(position, header.CompressedSize);
            position += header.CompressedSize;
            switch (header.Type)
            {
                case (int)PageType.DICTIONARY_PAGE when header.Encoding is (int)Encoding.PLAIN or (int)Encoding.PLAIN_DICTIONARY && header.ValueCount >= 0:
                    dictionary = new T[header.ValueCount];
                    if (!plain(body, dictionary)) return false;
                    break;
                case (int)PageType.DATA_PAGE when header.ValueCount >= 0 && header.ValueCount <= output.Length - filled:
                    var values = output.Slice(filled, header.ValueCount);
                    if (header.Encoding == (int)Encoding.PLAIN)
                    {
                        if (!plain(body, values)) return false;
                    }
                    else if (header.Encoding is (int)Encoding.RLE_DICTIONARY or (int)Encoding.PLAIN_DICTIONARY && dictionary is not null)
                    {
                        if (body.IsEmpty) return values.IsEmpty;
                        Lookup(body[1..], body[0], dictionary, values);
                    }
                    else
                    {
                        return false;
                    }
                    filled += header.ValueCount;
                    break;
                default:
                    return false; // index pages, v2 data pages, other encodings
            }
        }
        return true;
    }

    private static void Lookup<T>(ReadOnlySpan<byte> indexBytes, int bitWidth, T[] dictionary, Span<T> output)
    {
        var indices = ArrayPool<int>.Shared.Rent(output.Length);
        try
        {
            var span = indices.AsSpan(0, output.Length);
            RleBitPackedDecoder.Decode(indexBytes, bitWidth, span);
            for (var i = 0; i < span.Length; i++)
            {
                var index = span[i];
                if ((uint)index >= (uint)dictionary.Length)
                    throw new InvalidDataException($"A dictionary index {index} is past the dictionary's {dictionary.Length} values.");
                output[i] = dictionary[index];
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(indices);
        }
    }
}
