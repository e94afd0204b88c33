using System.Buffers;
using System.Runtime.InteropServices;

namespace Qlib.Tracked.Artifacts.FlatParquet;

/// <summary>An INT32 column (annotated INT_32, as Parquet.Net writes it), PLAIN.</summary>
internal sealed class Int32Column : FlatColumn
{
    private readonly int[] _values;

    public Int32Column(string name, int[] values) : base(name, values.Length) => _values = values;

    public override int PhysicalType => ParquetFormat.PhysicalType.Int32;

    protected override void WriteAnnotations(ThriftCompactWriter thrift) => thrift.FieldI32(6, ParquetFormat.ConvertedInt32);

    public override void Encode()
    {
        if (_values.Length == 0) return;
        var min = _values[0];
        var max = _values[0];
        foreach (var v in _values)
        {
            if (v < min) min = v;
            if (v > max) max = v;
        }
        Min = BitConverter.GetBytes(min);
        Max = BitConverter.GetBytes(max);
    }

    public override ReadOnlySpan<byte> DataPage(int start, int count, PooledBufferWriter scratch) =>
        MemoryMarshal.AsBytes(_values.AsSpan(start, count));
}
