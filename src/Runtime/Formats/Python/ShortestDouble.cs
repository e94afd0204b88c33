using System.Numerics;

namespace Qlib.Tracked.Formats.Python;

/// <summary>
/// Shortest round-trip decimal digits of a double (Ulf Adams' Ryu, PLDI 2018, <c>d2s.c</c>'s <c>d2d</c>),
/// and Python's <c>repr</c> layout of them as ASCII. The digits are those of .NET's <c>"R"</c> and of
/// Python's <c>repr</c> (the shortest string that parses back to the same double, the one closest to the
/// exact value among the shortest); this only avoids .NET's general number formatting (~85 ns) on the
/// metric-append hot path. <see cref="PythonFloat.Format"/> stays the reference that tests compare with.
/// </summary>
internal static class ShortestDouble
{
    private const int MantissaBits = 52;
    private const int ExponentBits = 11;
    private const int Bias = 1023;
    private const int Pow5InvBitCount = 125;
    private const int Pow5BitCount = 125;

    // 5^i scaled to 125 significant bits (Ryu's DOUBLE_POW5_SPLIT), and 2^(bits(5^q) - 1 + 125) / 5^q
    // rounded up (DOUBLE_POW5_INV_SPLIT); computed once instead of carried as a 1,300-number table.
    private static readonly ulong[] Pow5Split = BuildPow5Split(326);
    private static readonly ulong[] Pow5InvSplit = BuildPow5InvSplit(342);

    /// <summary>
    /// Python's <c>repr</c> of a finite, non-zero double as ASCII into <paramref name="destination"/>
    /// (at least <see cref="PythonFloat.MaxLength"/> bytes); returns the length.
    /// </summary>
    public static int FormatFiniteNonZero(double value, Span<byte> destination)
    {
        var bits = BitConverter.DoubleToUInt64Bits(value);
        var negative = (long)bits < 0;
        var ieeeMantissa = bits & ((1UL << MantissaBits) - 1);
        var ieeeExponent = (int)((bits >> MantissaBits) & ((1U << ExponentBits) - 1));
        var output = Decimal(ieeeMantissa, ieeeExponent, out var exponent);

        var digitCount = DigitCount(output);
        Span<byte> digits = stackalloc byte[20];
        WriteDigits(output, digits[..digitCount]);
        // Exponent of the first digit (d.ddd × 10^x), as Python's repr decides on.
        var x = exponent + digitCount - 1;

        var written = 0;
        if (negative) destination[written++] = (byte)'-';
        if (x < -4 || x >= 16)
        {
            destination[written++] = digits[0];
            if (digitCount > 1)
            {
                destination[written++] = (byte)'.';
                digits[1..digitCount].CopyTo(destination[written..]);
                written += digitCount - 1;
            }
            destination[written++] = (byte)'e';
            destination[written++] = x < 0 ? (byte)'-' : (byte)'+';
            var magnitude = Math.Abs(x);
            if (magnitude >= 100)
            {
                destination[written++] = (byte)('0' + (magnitude / 100));
                magnitude %= 100;
            }
            destination[written++] = (byte)('0' + (magnitude / 10));
            destination[written++] = (byte)('0' + (magnitude % 10));
            return written;
        }
        if (x < 0)
        {
            destination[written++] = (byte)'0';
            destination[written++] = (byte)'.';
            for (var i = -1; i > x; i--) destination[written++] = (byte)'0';
            digits[..digitCount].CopyTo(destination[written..]);
            return written + digitCount;
        }
        var integerDigits = x + 1;
        if (digitCount <= integerDigits)
        {
            digits[..digitCount].CopyTo(destination[written..]);
            written += digitCount;
            for (var i = digitCount; i < integerDigits; i++) destination[written++] = (byte)'0';
            destination[written++] = (byte)'.';
            destination[written++] = (byte)'0';
            return written;
        }
        digits[..integerDigits].CopyTo(destination[written..]);
        written += integerDigits;
        destination[written++] = (byte)'.';
        digits[integerDigits..digitCount].CopyTo(destination[written..]);
        return written + digitCount - integerDigits;
    }

    /// <summary>Ryu's <c>d2d</c>: the shortest <c>output × 10^exponent</c> that rounds to the double.</summary>
    private static ulong Decimal(ulong ieeeMantissa, int ieeeExponent, out int exponent)
    {
        int e2;
        ulong m2;
        if (ieeeExponent == 0)
        {
            e2 = 1 - Bias - MantissaBits - 2;
            m2 = ieeeMantissa;
        }
        else
        {
            e2 = ieeeExponent - Bias - MantissaBits - 2;
            m2 = (1UL << MantissaBits) | ieeeMantissa;
        }
        var even = (m2 & 1) == 0;
        var acceptBounds = even;

        var mv = 4 * m2;
        var mmShift = ieeeMantissa != 0 || ieeeExponent <= 1 ? 1u : 0u;

        ulong vr, vp, vm;
        int e10;
        var vmIsTrailingZeros = false;
        var vrIsTrailingZeros = false;
        if (e2 >= 0)
        {
            var q = Log10Pow2(e2) - (e2 > 3 ? 1 : 0);
            e10 = q;
            var k = Pow5InvBitCount + Pow5Bits(q) - 1;
            var i = -e2 + q + k;
            vr = MulShiftAll(m2, Pow5InvSplit, q, i, out vp, out vm, mmShift);
            if (q <= 21)
            {
                // Only one of mp, mv, mm can be a multiple of 5, if any.
                var mvMod5 = (uint)(mv % 5);
                if (mvMod5 == 0) vrIsTrailingZeros = MultipleOfPowerOf5(mv, q);
                else if (acceptBounds) vmIsTrailingZeros = MultipleOfPowerOf5(mv - 1 - mmShift, q);
                else vp -= MultipleOfPowerOf5(mv + 2, q) ? 1UL : 0UL;
            }
        }
        else
        {
            var q = Log10Pow5(-e2) - (-e2 > 1 ? 1 : 0);
            e10 = q + e2;
            var i = -e2 - q;
            var k = Pow5Bits(i) - Pow5BitCount;
            var j = q - k;
            vr = MulShiftAll(m2, Pow5Split, i, j, out vp, out vm, mmShift);
            if (q <= 1)
            {
                // mv = 4 * m2 has at least 2 trailing zero bits.
                vrIsTrailingZeros = true;
                if (acceptBounds) vmIsTrailingZeros = mmShift == 1; // mm = mv - 1 - mmShift: 1 trailing 0 bit iff mmShift == 1
                else vp--;                                          // mp = mv + 2: always at least one trailing 0 bit
            }
            else if (q < 63)
            {
                vrIsTrailingZeros = MultipleOfPowerOf2(mv, q);
            }
        }

        var removed = 0;
        ulong output;
        if (vmIsTrailingZeros || vrIsTrailingZeros)
        {
            // The general case (rare: about 0.7% of doubles).
            var lastRemovedDigit = 0u;
            while (vp / 10 > vm / 10)
            {
                var vmDiv10 = vm / 10;
                vmIsTrailingZeros &= vm - (vmDiv10 * 10) == 0;
                vrIsTrailingZeros &= lastRemovedDigit == 0;
                var vrDiv10 = vr / 10;
                lastRemovedDigit = (uint)(vr - (vrDiv10 * 10));
                vr = vrDiv10;
                vp /= 10;
                vm = vmDiv10;
                removed++;
            }
            if (vmIsTrailingZeros)
            {
                while (vm % 10 == 0)
                {
                    vrIsTrailingZeros &= lastRemovedDigit == 0;
                    var vrDiv10 = vr / 10;
                    lastRemovedDigit = (uint)(vr - (vrDiv10 * 10));
                    vr = vrDiv10;
                    vp /= 10;
                    vm /= 10;
                    removed++;
                }
            }
            if (vrIsTrailingZeros && lastRemovedDigit == 5 && vr % 2 == 0) lastRemovedDigit = 4; // round half to even
            output = vr + ((vr == vm && (!acceptBounds || !vmIsTrailingZeros)) || lastRemovedDigit >= 5 ? 1UL : 0UL);
        }
        else
        {
            // The common case: vm and vr need no trailing-zero bookkeeping.
            var roundUp = false;
            var vpDiv100 = vp / 100;
            var vmDiv100 = vm / 100;
            if (vpDiv100 > vmDiv100)
            {
                var vrDiv100 = vr / 100;
                var vrMod100 = (uint)(vr - (vrDiv100 * 100));
                roundUp = vrMod100 >= 50;
                vr = vrDiv100;
                vp = vpDiv100;
                vm = vmDiv100;
                removed += 2;
            }
            while (true)
            {
                var vpDiv10 = vp / 10;
                var vmDiv10 = vm / 10;
                if (vpDiv10 <= vmDiv10) break;
                var vrDiv10 = vr / 10;
                var vrMod10 = (uint)(vr - (vrDiv10 * 10));
                roundUp = vrMod10 >= 5;
                vr = vrDiv10;
                vp = vpDiv10;
                vm = vmDiv10;
                removed++;
            }
            output = vr + (vr == vm || roundUp ? 1UL : 0UL);
        }
        exponent = e10 + removed;
        return output;
    }

    private static ulong MulShiftAll(ulong m, ulong[] table, int index, int j, out ulong vp, out ulong vm, uint mmShift)
    {
        var low = table[2 * index];
        var high = table[(2 * index) + 1];
        vp = MulShift(4 * m + 2, low, high, j);
        vm = MulShift(4 * m - 1 - mmShift, low, high, j);
        return MulShift(4 * m, low, high, j);
    }

    /// <summary><c>(m × (high·2^64 + low)) &gt;&gt; j</c> for 64 &lt; j &lt; 128 (the bits of the 192-bit product that are needed).</summary>
    private static ulong MulShift(ulong m, ulong low, ulong high, int j)
    {
        var b0High = Math.BigMul(m, low, out _);
        var b2High = Math.BigMul(m, high, out var b2Low);
        var sumLow = b0High + b2Low;
        var sumHigh = b2High + (sumLow < b0High ? 1UL : 0UL);
        var shift = j - 64;
        return (sumHigh << (64 - shift)) | (sumLow >> shift);
    }

    private static int Pow5Bits(int e) => (int)(((uint)e * 1217359) >> 19) + 1;

    private static int Log10Pow2(int e) => (int)(((uint)e * 78913) >> 18);

    private static int Log10Pow5(int e) => (int)(((uint)e * 732923) >> 20);

    private static bool MultipleOfPowerOf5(ulong value, int p)
    {
        var count = 0;
        while (value != 0 && value % 5 == 0)
        {
            value /= 5;
            count++;
        }
        return count >= p;
    }

    private static bool MultipleOfPowerOf2(ulong value, int p) => (value & ((1UL << p) - 1)) == 0;

    private static int DigitCount(ulong v)
    {
        // Ryu's decimalLength17: the output has at most 17 digits.
        if (v >= 10000000000000000UL) return 17;
        if (v >= 1000000000000000UL) return 16;
        if (v >= 100000000000000UL) return 15;
        if (v >= 10000000000000UL) return 14;
        if (v >= 1000000000000UL) return 13;
        if (v >= 100000000000UL) return 12;
        if (v >= 10000000000UL) return 11;
        if (v >= 1000000000UL) return 10;
        if (v >= 100000000UL) return 9;
        if (v >= 10000000UL) return 8;
        if (v >= 1000000UL) return 7;
        if (v >= 100000UL) return 6;
        if (v >= 10000UL) return 5;
        if (v >= 1000UL) return 4;
        if (v >= 100UL) return 3;
        return v >= 10UL ? 2 : 1;
    }

    /// <summary>The decimal digits of <paramref name="value"/> filling <paramref name="destination"/> exactly, two at a time.</summary>
    private static void WriteDigits(ulong value, Span<byte> destination)
    {
        var pairs = DigitPairs;
        var i = destination.Length;
        if (value >= 100_000_000)
        {
            // The low eight digits in 32-bit arithmetic (cheaper divisions), then the rest.
            var high = value / 100_000_000;
            var low = (uint)(value - (high * 100_000_000));
            for (var k = 0; k < 4; k++)
            {
                var quotient = low / 100;
                var pair = (int)(low - (quotient * 100)) * 2;
                destination[--i] = pairs[pair + 1];
                destination[--i] = pairs[pair];
                low = quotient;
            }
            value = high;
        }
        var rest = (uint)value; // at most 9 digits here
        while (rest >= 100)
        {
            var quotient = rest / 100;
            var pair = (int)(rest - (quotient * 100)) * 2;
            destination[--i] = pairs[pair + 1];
            destination[--i] = pairs[pair];
            rest = quotient;
        }
        if (rest >= 10)
        {
            destination[--i] = pairs[((int)rest * 2) + 1];
            destination[--i] = pairs[(int)rest * 2];
        }
        else
        {
            destination[--i] = (byte)('0' + rest);
        }
    }

    private static ReadOnlySpan<byte> DigitPairs =>
        "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"u8;

    private static ulong[] BuildPow5Split(int count)
    {
        var table = new ulong[2 * count];
        var pow = BigInteger.One;
        for (var i = 0; i < count; i++, pow *= 5)
        {
            var shift = (int)pow.GetBitLength() - Pow5BitCount;
            Store(table, i, shift >= 0 ? pow >> shift : pow << -shift);
        }
        return table;
    }

    private static ulong[] BuildPow5InvSplit(int count)
    {
        var table = new ulong[2 * count];
        var pow = BigInteger.One;
        for (var i = 0; i < count; i++, pow *= 5)
        {
            var j = (int)pow.GetBitLength() - 1 + Pow5InvBitCount;
            Store(table, i, (BigInteger.One << j) / pow + 1);
        }
        return table;
    }

    private static void Store(ulong[] table, int index, BigInteger value)
    {
        var mask = (BigInteger.One << 64) - 1;
        table[2 * index] = (ulong)(value & mask);
        table[(2 * index) + 1] = (ulong)(value >> 64);
    }
}
