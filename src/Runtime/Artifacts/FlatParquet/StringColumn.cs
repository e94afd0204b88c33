using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Qlib.Tracked.Artifacts.FlatParquet;

/// <summary>
/// A UTF-8 string column (BYTE_ARRAY, annotated UTF8 / STRING). A frame's strings are categories (instruments
/// repeat once per date), so it is dictionary-encoded when values repeat: the dictionary holds each distinct value
/// once and the data pages hold its bit-packed index.
/// </summary>
internal sealed class StringColumn : FlatColumn
{
    private readonly string[] _values;
    private DictionaryIndices? _indices;

    public StringColumn(string name, string[] values) : base(name, values.Length)
    {
        var missing = Array.IndexOf(values, null);
        if (missing >= 0) throw new ArgumentException($"Column '{name}' is null at row {missing}; a required Parquet column has no nulls.", nameof(values));
        _values = values;
    }

    public override int PhysicalType => ParquetFormat.PhysicalType.ByteArray;

    /// <summary>String statistics order by UTF-8 bytes, which the deprecated signed min/max fields get wrong.</summary>
    public override bool SignedStatistics => false;

    protected override void WriteAnnotations(ThriftCompactWriter thrift)
    {
        thrift.FieldI32(6, ParquetFormat.ConvertedUtf8);
        thrift.FieldStructBegin(10);   // logicalType
        thrift.FieldEmptyStruct(1);    // STRING
        thrift.StructEnd();
    }

    public override void Encode()
    {
        // Frames usually repeat the same string instances (one per instrument), so look the reference up
        // first and hash the characters only for an instance not seen before.
        var byReference = new ReferenceIndex();
        var byValue = new Dictionary<string, int>(StringComparer.Ordinal);
        var distinct = new List<string>();
        var indices = ArrayPool<int>.Shared.Rent(_values.Length);
        var limit = _values.Length / 2;
        for (var i = 0; i < _values.Length; i++)
        {
            var value = _values[i];
            if (!byReference.TryGet(value, out var index))
            {
                if (!byValue.TryGetValue(value, out index))
                {
                    if (distinct.Count >= limit)
                    {
                        // Too many distinct values for a dictionary: PLAIN pages, no statistics.
                        ArrayPool<int>.Shared.Return(indices);
                        return;
                    }
                    index = distinct.Count;
                    byValue.Add(value, index);
                    distinct.Add(value);
                }
                // Bounded, so a column of all-different instances does not keep a second huge table.
                if (byReference.Count < 4 * distinct.Count + 1024) byReference.Add(value, index);
            }
            indices[i] = index;
        }
        if (!DictionaryIndices.Worthwhile(distinct.Count, _values.Length))
        {
            ArrayPool<int>.Shared.Return(indices);
            return;
        }
        _indices = new DictionaryIndices(indices, distinct.Count);
        DictionaryCount = distinct.Count;
        var dictionary = new PooledBufferWriter();
        byte[]? min = null, max = null;
        foreach (var value in distinct)
        {
            var utf8 = Encoding.UTF8.GetBytes(value);
            WritePlain(utf8, dictionary);
            if (min is null || utf8.AsSpan().SequenceCompareTo(min) < 0) min = utf8;
            if (max is null || utf8.AsSpan().SequenceCompareTo(max) > 0) max = utf8;
        }
        Dictionary = dictionary;
        Min = min;
        Max = max;
    }

    public override void Release()
    {
        _indices?.Release();
        base.Release();
    }

    public override ReadOnlySpan<byte> DataPage(int start, int count, PooledBufferWriter scratch)
    {
        if (_indices is { } indices) return indices.Page(start, count, scratch);
        scratch.ResetWrittenCount();
        foreach (var value in _values.AsSpan(start, count)) WritePlain(Encoding.UTF8.GetBytes(value), scratch);
        return scratch.WrittenSpan;
    }

    /// <summary>PLAIN BYTE_ARRAY: a 4-byte little-endian length, then the bytes.</summary>
    private static void WritePlain(ReadOnlySpan<byte> utf8, PooledBufferWriter output)
    {
        BinaryPrimitives.WriteInt32LittleEndian(output.GetSpan(4), utf8.Length);
        output.Advance(4);
        output.Write(utf8);
    }
}
