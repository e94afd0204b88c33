using System.Globalization;
using System.Text;
using Qlib.Tracked.Formats;
using Qlib.Tracked.Formats.Python;

namespace EvaluateCsv;

/// <summary>
/// The spellings of <c>shared/fixtures/qlib-vectors</c>: CSV floats as C's <c>%.17g</c> (17 significant
/// digits, round-trip), NaN as <c>NaN</c>; JSON as Python's <c>json.dump(indent=2)</c> (floats as
/// <c>repr</c>, NaN as <c>null</c>), with a final newline.
/// </summary>
public static class FixtureFormat
{
    /// <summary>C's <c>printf("%.17g", value)</c>; NaN is <c>NaN</c>, infinities <c>inf</c>/<c>-inf</c>.</summary>
    public static string G17(double value)
    {
        if (double.IsNaN(value)) return "NaN";
        if (double.IsInfinity(value)) return value > 0 ? "inf" : "-inf";
        if (value == 0) return double.IsNegative(value) ? "-0" : "0";
        // "E16": 17 significant digits, correctly rounded (d.dddddddddddddddde±xxx).
        var e = value.ToString("E16", CultureInfo.InvariantCulture);
        var negative = e[0] == '-';
        var mantissa = e.AsSpan(negative ? 1 : 0, e.IndexOf('E') - (negative ? 1 : 0));
        var exponent = int.Parse(e.AsSpan(e.IndexOf('E') + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        Span<char> digits = stackalloc char[17];
        digits[0] = mantissa[0];
        mantissa[2..].CopyTo(digits[1..]);
        var sb = new StringBuilder(32);
        if (negative) sb.Append('-');
        if (exponent < -4 || exponent >= 17)
        {
            var last = LastNonZero(digits);
            sb.Append(digits[0]);
            if (last > 0) sb.Append('.').Append(digits[1..(last + 1)]);
            sb.Append('e').Append(exponent < 0 ? '-' : '+');
            sb.Append(Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture));
            return sb.ToString();
        }
        if (exponent >= 0)
        {
            sb.Append(digits[..(exponent + 1)]);
            var fraction = digits[(exponent + 1)..];
            var last = LastNonZero(fraction);
            if (last >= 0) sb.Append('.').Append(fraction[..(last + 1)]);
        }
        else
        {
            var last = LastNonZero(digits);
            sb.Append("0.").Append('0', -exponent - 1).Append(digits[..(last + 1)]);
        }
        return sb.ToString();
    }

    private static int LastNonZero(ReadOnlySpan<char> digits)
    {
        for (var i = digits.Length - 1; i >= 0; i--)
            if (digits[i] != '0') return i;
        return -1;
    }

    /// <summary>Python's <c>json.dumps(value)</c> for a float: <c>repr</c>, NaN as <c>null</c> (what the fixture writes).</summary>
    public static string JsonNumber(double value) =>
        double.IsNaN(value) ? "null"
        : double.IsPositiveInfinity(value) ? "Infinity"
        : double.IsNegativeInfinity(value) ? "-Infinity"
        : PythonFloat.ToString(value);

    /// <summary>Python's <c>json.dump(metrics, f, indent=2)</c> followed by a newline, keys in the order given.</summary>
    public static string JsonObject(IEnumerable<KeyValuePair<string, double>> metrics)
    {
        var sb = new StringBuilder();
        var first = true;
        foreach (var (key, value) in metrics)
        {
            sb.Append(first ? "{\n" : ",\n");
            first = false;
            sb.Append("  ").Append(JsonString(key)).Append(": ").Append(JsonNumber(value));
        }
        sb.Append(first ? "{}\n" : "\n}\n");
        return sb.ToString();
    }

    /// <summary>A JSON string as Python writes it (<c>ensure_ascii=True</c>).</summary>
    public static string JsonString(string s)
    {
        var sb = new StringBuilder(s.Length + 2).Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                default:
                    if (c < 0x20 || c > 0x7f) sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        return sb.Append('"').ToString();
    }

    /// <summary>A date as the fixture writes it: <c>YYYY-MM-DD</c>, or with the time of day when the data has one.</summary>
    public static string Date(DateTime value, bool withTime) =>
        value.ToString(withTime ? "yyyy-MM-dd HH:mm:ss" : "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
