using System.Globalization;

namespace Qlib.Tracked.Formats.Python;

/// <summary>
/// Spells doubles exactly as Python's <c>str(float)</c>/<c>repr</c> does, and parses what Python
/// writes or accepts. MLflow stores metric values with <c>str(float)</c>, so files written here
/// must use the same spelling to be byte-identical to what MLflow writes.
/// Stateless; thread-safe.
/// </summary>
/// <remarks>
/// The shortest round-trip digits come from <see cref="ShortestDouble"/> (Ryu; the digits Python's repr
/// picks, which .NET's "R" misses for a few powers of two) and are laid out with Python's rules: scientific when the decimal exponent is &lt; -4 or &gt;= 16
/// (sign and at least two exponent digits), otherwise fixed with at least one fractional digit.
/// </remarks>
public static class PythonFloat
{
    /// <summary>Enough room for any spelling (<c>-1.2345678901234567e-308</c> is 24 chars).</summary>
    public const int MaxLength = 32;

    /// <summary>Python's <c>str(value)</c>.</summary>
    public static string ToString(double value)
    {
        Span<char> buffer = stackalloc char[MaxLength];
        var length = Format(value, buffer);
        return new string(buffer[..length]);
    }

    /// <summary>
    /// A <see cref="float"/> with its own shortest digits in Python's layout (<c>0.1f</c> → <c>0.1</c>, not the widened
    /// double's <c>0.10000000149011612</c>), as numpy prints a float32.
    /// </summary>
    public static string ToString(float value) =>
        float.IsFinite(value) ? ToString(double.Parse(value.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)) : ToString((double)value);

    /// <summary>A <see cref="Half"/> with its own shortest digits in Python's layout (as numpy prints a float16).</summary>
    public static string ToString(Half value) =>
        Half.IsFinite(value) ? ToString(double.Parse(value.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)) : ToString((double)value);

    /// <summary>Writes Python's spelling into <paramref name="destination"/> (at least <see cref="MaxLength"/> chars) and returns its length.</summary>
    public static int Format(double value, Span<char> destination)
    {
        if (double.IsFinite(value) && value != 0)
        {
            Span<byte> ascii = stackalloc byte[MaxLength];
            var length = ShortestDouble.FormatFiniteNonZero(value, ascii);
            for (var i = 0; i < length; i++) destination[i] = (char)ascii[i];
            return length;
        }
        return FormatFromDotNetDigits(value, destination);
    }

    /// <summary>
    /// The same layout from .NET's "R" digits: the general path the Ryu digits are tested against. .NET's digits
    /// are not always the shortest round-trip ones (e.g. 2^-25 gives <c>2.980232238769531e-08</c>, which parses
    /// back to a different double; Python and Ryu give <c>2.9802322387695312e-08</c>), so only zero, NaN and the
    /// infinities are spelled from here in production.
    /// </summary>
    internal static int FormatFromDotNetDigits(double value, Span<char> destination)
    {
        if (double.IsNaN(value)) return Copy("nan", destination);
        if (double.IsPositiveInfinity(value)) return Copy("inf", destination);
        if (double.IsNegativeInfinity(value)) return Copy("-inf", destination);

        Span<char> net = stackalloc char[MaxLength];
        value.TryFormat(net, out var netLength, "R", CultureInfo.InvariantCulture);
        net = net[..netLength];

        // Split .NET's spelling into sign, significant digits and the exponent of the first digit.
        var pos = 0;
        var negative = net[0] == '-';
        if (negative) pos++;
        Span<char> digits = stackalloc char[24];
        var digitCount = 0;
        var pointExponent = -1; // exponent of the first digit, before leading zeros are stripped
        var seenPoint = false;
        var leadingZeros = 0;
        var explicitExponent = 0;
        for (; pos < net.Length; pos++)
        {
            var c = net[pos];
            if (c == '.') { seenPoint = true; continue; }
            if (c is 'E' or 'e')
            {
                explicitExponent = int.Parse(net[(pos + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
                break;
            }
            if (!seenPoint) pointExponent++;
            if (digitCount == 0 && c == '0') { leadingZeros++; continue; }
            digits[digitCount++] = c;
        }

        var written = 0;
        if (negative) destination[written++] = '-';
        if (digitCount == 0)
        {
            // Zero (signed zero keeps its '-').
            destination[written++] = '0';
            destination[written++] = '.';
            destination[written++] = '0';
            return written;
        }

        // Trailing zeros are not significant ("100" is the digit 1 at exponent 2).
        while (digitCount > 1 && digits[digitCount - 1] == '0') digitCount--;
        var exponent = pointExponent - leadingZeros + explicitExponent;

        if (exponent < -4 || exponent >= 16)
        {
            destination[written++] = digits[0];
            if (digitCount > 1)
            {
                destination[written++] = '.';
                digits[1..digitCount].CopyTo(destination[written..]);
                written += digitCount - 1;
            }
            destination[written++] = 'e';
            destination[written++] = exponent < 0 ? '-' : '+';
            var magnitude = Math.Abs(exponent);
            if (magnitude < 10) destination[written++] = '0';
            magnitude.TryFormat(destination[written..], out var expLength, default, CultureInfo.InvariantCulture);
            return written + expLength;
        }

        if (exponent < 0)
        {
            destination[written++] = '0';
            destination[written++] = '.';
            for (var i = -1; i > exponent; i--) destination[written++] = '0';
            digits[..digitCount].CopyTo(destination[written..]);
            return written + digitCount;
        }

        var integerDigits = exponent + 1;
        for (var i = 0; i < integerDigits; i++) destination[written++] = i < digitCount ? digits[i] : '0';
        destination[written++] = '.';
        if (digitCount > integerDigits)
        {
            digits[integerDigits..digitCount].CopyTo(destination[written..]);
            written += digitCount - integerDigits;
        }
        else
        {
            destination[written++] = '0';
        }
        return written;
    }

    /// <summary>Writes Python's spelling as ASCII bytes (for metric lines built straight into byte buffers).</summary>
    /// <remarks>
    /// Finite non-zero values take <see cref="ShortestDouble"/> (Ryu: Python's shortest digits at about half the
    /// cost of .NET's "R"); tests compare it with Python's own output and with .NET's digits.
    /// </remarks>
    public static int FormatUtf8(double value, Span<byte> destination)
    {
        if (double.IsFinite(value) && value != 0) return ShortestDouble.FormatFiniteNonZero(value, destination);
        Span<char> chars = stackalloc char[MaxLength];
        var length = Format(value, chars);
        for (var i = 0; i < length; i++) destination[i] = (byte)chars[i];
        return length;
    }

    /// <summary>
    /// Parses what Python's <c>float()</c> accepts for MLflow files: decimal and scientific forms,
    /// plain integers (<c>2</c>), and <c>nan</c>/<c>inf</c>/<c>infinity</c> in any case with an optional sign.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> text, out double value)
    {
        text = text.Trim();
        if (TryParseSpecial(text, out value)) return true;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>The UTF-8 twin of <see cref="TryParse(ReadOnlySpan{char}, out double)"/> (metric files are parsed as bytes).</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out double value)
    {
        if (double.TryParse(utf8, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
        {
            // .NET also accepts "NaN"/"Infinity" here, which Python accepts too (case-insensitively).
            return true;
        }
        if (utf8.Length > 16) return false;
        Span<char> chars = stackalloc char[16];
        for (var i = 0; i < utf8.Length; i++) chars[i] = (char)utf8[i];
        return TryParse(chars[..utf8.Length], out value);
    }

    private static bool TryParseSpecial(ReadOnlySpan<char> text, out double value)
    {
        value = 0;
        var negative = false;
        if (text.Length > 0 && text[0] is '+' or '-')
        {
            negative = text[0] == '-';
            text = text[1..];
        }
        if (text.Equals("nan", StringComparison.OrdinalIgnoreCase))
        {
            value = double.NaN;
            return true;
        }
        if (text.Equals("inf", StringComparison.OrdinalIgnoreCase) || text.Equals("infinity", StringComparison.OrdinalIgnoreCase))
        {
            value = negative ? double.NegativeInfinity : double.PositiveInfinity;
            return true;
        }
        return false;
    }

    private static int Copy(string text, Span<char> destination)
    {
        text.CopyTo(destination);
        return text.Length;
    }
}
