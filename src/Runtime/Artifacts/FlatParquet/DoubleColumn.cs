using System.Buffers;
using System.Runtime.InteropServices;

namespace Qlib.Tracked.Artifacts.FlatParquet;

/// <summary>
/// A DOUBLE column, PLAIN: the values' own bytes. Scores, labels and returns are close to random, so neither a
/// dictionary nor a general-purpose codec shrinks them enough to pay for the time. NaN is stored as NaN (pandas
/// reads it as missing).
/// </summary>
internal sealed class DoubleColumn : FlatColumn
{
    private readonly double[] _values;

    public DoubleColumn(string name, double[] values) : base(name, values.Length) => _values = values;

    public override int PhysicalType => ParquetFormat.PhysicalType.Double;

    /// <summary>
    /// Only the statistics: min and max over the non-NaN values (none when every value is NaN), with a zero
    /// minimum written as −0.0 and a zero maximum as +0.0, as the format asks so readers' pruning stays correct.
    /// </summary>
    public override void Encode()
    {
        var min = double.PositiveInfinity;
        var max = double.NegativeInfinity;
        var any = false;
        foreach (var v in _values)
        {
            if (double.IsNaN(v)) continue;
            any = true;
            if (v < min) min = v;
            if (v > max) max = v;
        }
        if (!any) return;
        if (min == 0) min = -0.0;
        if (max == 0) max = 0.0;
        Min = BitConverter.GetBytes(min);
        Max = BitConverter.GetBytes(max);
    }

    public override ReadOnlySpan<byte> DataPage(int start, int count, PooledBufferWriter scratch) =>
        MemoryMarshal.AsBytes(_values.AsSpan(start, count));
}
