using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Qlib.Tracked.Artifacts.FlatParquet;

/// <summary>
/// A naive timestamp column in milliseconds: INT64 with the logical type TIMESTAMP(isAdjustedToUTC=false,
/// MILLIS), what pandas and DuckDB read as a plain timestamp. The wall-clock value is stored whatever the
/// DateTime's Kind; sub-millisecond ticks are dropped (rounded down). A sorted frame's dates repeat once per
/// instrument, so the column is dictionary-encoded when values repeat: each date becomes one RLE run.
/// </summary>
internal sealed class TimestampMillisColumn : FlatColumn
{
    private readonly DateTime[] _values;
    private long[] _millis = [];
    private DictionaryIndices? _indices;

    public TimestampMillisColumn(string name, DateTime[] values) : base(name, values.Length) => _values = values;

    public override int PhysicalType => ParquetFormat.PhysicalType.Int64;

    protected override void WriteAnnotations(ThriftCompactWriter thrift)
    {
        thrift.FieldStructBegin(10);     // logicalType
        thrift.FieldStructBegin(8);      // TIMESTAMP
        thrift.FieldBool(1, false);      // isAdjustedToUTC
        thrift.FieldStructBegin(2);      // unit
        thrift.FieldEmptyStruct(1);      // MILLIS
        thrift.StructEnd();
        thrift.StructEnd();
        thrift.StructEnd();
    }

    public override void Encode()
    {
        if (_values.Length == 0) return;
        long min = long.MaxValue, max = long.MinValue;
        var lookup = new Dictionary<long, int>();
        var distinct = new List<long>();
        var indices = ArrayPool<int>.Shared.Rent(_values.Length);
        var limit = _values.Length / 2;
        var last = 0L;
        var lastIndex = -1;
        for (var i = 0; i < _values.Length; i++)
        {
            var value = ToUnixMillis(_values[i]);
            if (lastIndex < 0 || value != last)
            {
                if (!lookup.TryGetValue(value, out lastIndex))
                {
                    if (distinct.Count >= limit)
                    {
                        // Too many distinct values for a dictionary: PLAIN pages of the numbers themselves.
                        ArrayPool<int>.Shared.Return(indices);
                        EncodePlain();
                        return;
                    }
                    lastIndex = distinct.Count;
                    lookup.Add(value, lastIndex);
                    distinct.Add(value);
                    if (value < min) min = value;
                    if (value > max) max = value;
                }
                last = value;
            }
            indices[i] = lastIndex;
        }
        Min = LittleEndian(min);
        Max = LittleEndian(max);
        _indices = new DictionaryIndices(indices, distinct.Count);
        DictionaryCount = distinct.Count;
        Dictionary = new PooledBufferWriter(distinct.Count * sizeof(long));
        Dictionary.Write(MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(distinct)));
    }

    private void EncodePlain()
    {
        var millis = new long[_values.Length];
        for (var i = 0; i < millis.Length; i++) millis[i] = ToUnixMillis(_values[i]);
        _millis = millis;
        Min = LittleEndian(MinOf(millis));
        Max = LittleEndian(MaxOf(millis));
    }

    public override void Release()
    {
        _indices?.Release();
        base.Release();
    }

    public override ReadOnlySpan<byte> DataPage(int start, int count, PooledBufferWriter scratch) =>
        _indices is { } indices ? indices.Page(start, count, scratch) : MemoryMarshal.AsBytes(_millis.AsSpan(start, count));

    /// <summary>Milliseconds since 1970-01-01 of the wall-clock value, rounded down (also before 1970).</summary>
    public static long ToUnixMillis(DateTime value) =>
        Math.DivRem(value.Ticks - DateTime.UnixEpoch.Ticks, TimeSpan.TicksPerMillisecond) is var (q, r) && r < 0 ? q - 1 : q;

    private static long MinOf(ReadOnlySpan<long> values)
    {
        var min = values[0];
        foreach (var v in values) if (v < min) min = v;
        return min;
    }

    private static long MaxOf(ReadOnlySpan<long> values)
    {
        var max = values[0];
        foreach (var v in values) if (v > max) max = v;
        return max;
    }

    private static byte[] LittleEndian(long value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        return bytes;
    }
}
