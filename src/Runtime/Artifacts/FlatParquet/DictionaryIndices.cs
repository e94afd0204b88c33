using System.Buffers;

namespace Qlib.Tracked.Artifacts.FlatParquet;

/// <summary>
/// A column's values as indices into its dictionary, and the data pages that carry them. The index array is
/// rented (a million-row column's would otherwise be a fresh large-object allocation on every save) and goes
/// back to the pool on <see cref="Release"/>.
/// </summary>
internal sealed class DictionaryIndices
{
    private int[] _indices;

    /// <param name="indices">Rented from <see cref="ArrayPool{T}.Shared"/>; owned by this instance from now on.</param>
    /// <param name="distinct">How many values the dictionary holds (sets the bit width).</param>
    public DictionaryIndices(int[] indices, int distinct)
    {
        _indices = indices;
        BitWidth = RleBitPackedEncoder.BitWidth(distinct);
    }

    public int BitWidth { get; }

    /// <summary>
    /// Dictionary encoding pays when values repeat: with at most one distinct value per two rows the page of
    /// codes plus the dictionary is smaller than the values themselves, and readers decode each value once.
    /// </summary>
    public static bool Worthwhile(int distinct, int rows) => rows > 0 && distinct <= rows / 2;

    /// <summary>An RLE_DICTIONARY data page body: the bit width, then the indices in the hybrid encoding.</summary>
    public ReadOnlySpan<byte> Page(int start, int count, PooledBufferWriter scratch)
    {
        scratch.ResetWrittenCount();
        scratch.GetSpan(1)[0] = (byte)BitWidth;
        scratch.Advance(1);
        RleBitPackedEncoder.Encode(_indices.AsSpan(start, count), BitWidth, scratch);
        return scratch.WrittenSpan;
    }

    public void Release()
    {
        if (_indices.Length > 0) ArrayPool<int>.Shared.Return(_indices);
        _indices = [];
    }
}
