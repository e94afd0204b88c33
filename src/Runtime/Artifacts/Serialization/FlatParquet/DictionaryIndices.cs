using System.Buffers;

namespace Qlib.Tracked.Artifacts;

/// <summary>A column's values as indices into its dictionary, and the data pages that carry them.</summary>
internal sealed class DictionaryIndices
{
    public DictionaryIndices(int[] indices, int distinct)
    {
        Indices = indices;
        BitWidth = RleBitPackedEncoder.BitWidth(distinct);
    }

    public int[] Indices { get; }

    public int BitWidth { get; }

    /// <summary>
    /// Dictionary encoding pays when values repeat: with at most one distinct value per two rows the page of
    /// codes plus the dictionary is smaller than the values themselves, and readers decode each value once.
    /// </summary>
    public static bool Worthwhile(int distinct, int rows) => rows > 0 && distinct <= rows / 2;

    /// <summary>An RLE_DICTIONARY data page body: the bit width, then the indices in the hybrid encoding.</summary>
    public ReadOnlySpan<byte> Page(int start, int count, ArrayBufferWriter<byte> scratch)
    {
        scratch.ResetWrittenCount();
        scratch.GetSpan(1)[0] = (byte)BitWidth;
        scratch.Advance(1);
        RleBitPackedEncoder.Encode(Indices.AsSpan(start, count), BitWidth, scratch);
        return scratch.WrittenSpan;
    }
}
