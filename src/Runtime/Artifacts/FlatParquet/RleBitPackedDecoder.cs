namespace Qlib.Tracked.Artifacts.FlatParquet;

/// <summary>Parquet's RLE / bit-packing hybrid, read side (dictionary indices of a data page).</summary>
internal static class RleBitPackedDecoder
{
    /// <summary>Fills <paramref name="output"/> from <paramref name="input"/>; throws when the input ends first.</summary>
    public static void Decode(ReadOnlySpan<byte> input, int bitWidth, Span<int> output)
    {
        if (bitWidth is < 0 or > 32) throw new InvalidDataException($"A dictionary index bit width of {bitWidth} is not valid.");
        var mask = bitWidth == 32 ? ulong.MaxValue >> 32 : (1UL << bitWidth) - 1;
        var position = 0;
        var filled = 0;
        while (filled < output.Length)
        {
            var header = ReadVarint(input, ref position);
            if ((header & 1) == 0)
            {
                var count = (int)Math.Min(header >> 1, (ulong)(output.Length - filled));
                var width = (bitWidth + 7) / 8;
                if (position + width > input.Length) throw Truncated();
                var value = 0;
                for (var b = 0; b < width; b++) value |= input[position + b] << (8 * b);
                position += width;
                output.Slice(filled, count).Fill(value);
                filled += count;
            }
            else
            {
                var groups = header >> 1;
                var runBytes = checked((int)(groups * (ulong)bitWidth));
                var take = (int)Math.Min(groups * 8, (ulong)(output.Length - filled));
                ulong buffer = 0;
                var bits = 0;
                var at = position;
                for (var k = 0; k < take; k++)
                {
                    while (bits < bitWidth)
                    {
                        if (at >= input.Length) throw Truncated();
                        buffer |= (ulong)input[at++] << bits;
                        bits += 8;
                    }
                    output[filled + k] = (int)(buffer & mask);
                    buffer >>= bitWidth;
                    bits -= bitWidth;
                }
                filled += take;
                position = Math.Min(input.Length, position + runBytes);
            }
        }
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> input, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (position >= input.Length) throw Truncated();
            var b = input[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return value;
        }
        throw new InvalidDataException("An RLE run header is longer than 10 bytes.");
    }

    private static InvalidDataException Truncated() => new("A data page's dictionary indices end before its value count.");
}
