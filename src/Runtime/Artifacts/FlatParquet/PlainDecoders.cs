using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Qlib.Tracked.Artifacts.FlatParquet;

/// <summary>PLAIN value decoders for <see cref="FlatChunkReader"/>: little-endian numbers, length-prefixed UTF-8.</summary>
internal static class PlainDecoders
{
    public static bool Int64(ReadOnlySpan<byte> input, Span<long> output) => Fixed(input, output);

    public static bool Double(ReadOnlySpan<byte> input, Span<double> output) => Fixed(input, output);

    /// <summary>
    /// INT64 milliseconds since 1970 straight to naive DateTimes (a dictionary page's few thousand dates are then
    /// converted once, not once per row); false for a value no DateTime holds, which the caller reports.
    /// </summary>
    public static bool UnixMillis(ReadOnlySpan<byte> input, Span<DateTime> output)
    {
        if (!BitConverter.IsLittleEndian || input.Length < output.Length * sizeof(long)) return false;
        var millis = MemoryMarshal.Cast<byte, long>(input[..(output.Length * sizeof(long))]);
        for (var i = 0; i < output.Length; i++)
        {
            var ms = millis[i];
            if (ms < MinUnixMillis || ms > MaxUnixMillis) return false;
            output[i] = new DateTime(DateTime.UnixEpoch.Ticks + ms * TimeSpan.TicksPerMillisecond, DateTimeKind.Unspecified);
        }
        return true;
    }

    public static readonly long MinUnixMillis = (DateTime.MinValue.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMillisecond;
    public static readonly long MaxUnixMillis = (DateTime.MaxValue.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMillisecond;

    /// <summary>Strings through <paramref name="interner"/>, so equal values share one instance.</summary>
    public static FlatChunkReader.PlainDecoder<string?> Strings(StringInterner interner) => (input, output) =>
    {
        var position = 0;
        for (var i = 0; i < output.Length; i++)
        {
            if (position + 4 > input.Length) return false;
            var length = BinaryPrimitives.ReadInt32LittleEndian(input[position..]);
            if (length < 0 || position + 4 + length > input.Length) return false;
            output[i] = interner.GetUtf8(input.Slice(position + 4, length));
            position += 4 + length;
        }
        return true;
    };

    private static bool Fixed<T>(ReadOnlySpan<byte> input, Span<T> output) where T : struct
    {
        if (!BitConverter.IsLittleEndian) return false;
        var bytes = output.Length * Unsafe.SizeOf<T>();
        if (input.Length < bytes) return false;
        MemoryMarshal.Cast<byte, T>(input[..bytes]).CopyTo(output);
        return true;
    }
}
