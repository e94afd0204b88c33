using System.Buffers;

namespace Qlib.Tracked.Artifacts.FlatParquet;

/// <summary>
/// Parquet's RLE / bit-packing hybrid, used here for dictionary indices: a run of at least eight equal
/// indices becomes one RLE run (a sorted frame's dates collapse to one run per date), everything else is
/// bit-packed eight values at a time at the dictionary's bit width (a frame's instruments, which cycle).
/// </summary>
internal static class RleBitPackedEncoder
{
    /// <summary>
    /// Groups of eight per bit-packed run. Kept under 64 so each run header is a single byte, the run length
    /// other writers use; any reader accepts it.
    /// </summary>
    private const int MaxGroupsPerRun = 63;

    /// <summary>Bits needed for indices below <paramref name="distinct"/>; at least 1 (some readers reject width 0).</summary>
    public static int BitWidth(int distinct) => Math.Max(1, 32 - int.LeadingZeroCount(Math.Max(distinct - 1, 0)));

    /// <summary>Appends <paramref name="values"/> (all below 2^<paramref name="bitWidth"/>) in the hybrid encoding.</summary>
    public static void Encode(ReadOnlySpan<int> values, int bitWidth, PooledBufferWriter output)
    {
        var i = 0;
        while (i < values.Length)
        {
            var run = RunLength(values, i);
            if (run >= 8)
            {
                WriteRleRun(values[i], run, bitWidth, output);
                i += run;
                continue;
            }
            // Bit-pack whole groups until a long run starts at a group boundary (or the run is as long as allowed).
            var end = i;
            var groups = 0;
            do
            {
                end += 8;
                groups++;
            }
            while (end < values.Length && groups < MaxGroupsPerRun && RunLength(values, end) < 8);
            WriteBitPackedRun(values[i..Math.Min(end, values.Length)], groups, bitWidth, output);
            i = end;
        }
    }

    private static int RunLength(ReadOnlySpan<int> values, int start)
    {
        var value = values[start];
        var end = start + 1;
        while (end < values.Length && values[end] == value) end++;
        return end - start;
    }

    private static void WriteRleRun(int value, int count, int bitWidth, PooledBufferWriter output)
    {
        WriteVarint((uint)count << 1, output);
        var bytes = (bitWidth + 7) / 8;
        var span = output.GetSpan(bytes);
        for (var b = 0; b < bytes; b++) span[b] = (byte)(value >> (8 * b));
        output.Advance(bytes);
    }

    /// <summary>
    /// <paramref name="groups"/> × 8 values, least significant bit first; a last group short of eight (only at the
    /// end of the page) is padded with zeros, which readers ignore past the page's value count.
    /// </summary>
    private static void WriteBitPackedRun(ReadOnlySpan<int> values, int groups, int bitWidth, PooledBufferWriter output)
    {
        WriteVarint(((uint)groups << 1) | 1, output);
        var byteCount = groups * bitWidth;
        var span = output.GetSpan(byteCount + 8)[..byteCount];
        span.Clear();
        ulong buffer = 0;
        var bits = 0;
        var at = 0;
        for (var k = 0; k < groups * 8; k++)
        {
            var value = k < values.Length ? (uint)values[k] : 0u;
            buffer |= (ulong)value << bits;
            bits += bitWidth;
            while (bits >= 8)
            {
                span[at++] = (byte)buffer;
                buffer >>= 8;
                bits -= 8;
            }
        }
        output.Advance(byteCount);
    }

    private static void WriteVarint(uint value, PooledBufferWriter output)
    {
        var span = output.GetSpan(5);
        var n = 0;
        while (value >= 0x80)
        {
            span[n++] = (byte)(value | 0x80);
            value >>= 7;
        }
        span[n++] = (byte)value;
        output.Advance(n);
    }
}
