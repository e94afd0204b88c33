using System.Globalization;
using System.Text;
using Qlib.Tracked.Formats;
using Qlib.Tracked.Formats.Python;
using Qlib.Tracked.Client;

namespace Qlib.Tracked;

/// <summary>
/// Spells one param type as Python's <c>str()</c> (the param file) and <c>repr()</c> (inside a list),
/// and parses both back exactly. Static members only, so generated code calls them with no boxing and
/// no delegate: <c>ParamText.FormatList&lt;double, ParamCodecs.Double&gt;(xs)</c>. Implementations must be stateless
/// (they are only static members), hence thread-safe.
/// </summary>
/// <typeparam name="T">The param's value type.</typeparam>
public interface IParamCodec<T>
{
    /// <summary>Python's <c>str(value)</c>.</summary>
    static abstract string Format(T value);

    /// <summary>Python's <c>repr(value)</c>, as an element of a list.</summary>
    static abstract void AppendRepr(StringBuilder builder, T value);

    /// <summary>Parses <see cref="Format"/>'s text (and what Python writes for the same value).</summary>
    static abstract bool TryParse(ReadOnlySpan<char> text, out T value);

    /// <summary>Parses <see cref="AppendRepr"/>'s text.</summary>
    static abstract bool TryParseRepr(ReadOnlySpan<char> text, out T value);
}

/// <summary>
/// The built-in param codecs. Spellings (the same as <see cref="ParamValue.Format"/>):
/// <list type="table">
/// <item><term>double</term><description>Python's float repr: <c>0.01</c>, <c>1e-05</c>, <c>100.0</c>, <c>-0.0</c>, <c>nan</c>, <c>inf</c>, <c>-inf</c>. Shortest round-trip digits, so every value (NaN and ±inf too) parses back to the same bits (NaN payloads aside).</description></item>
/// <item><term>float</term><description>the float's own shortest digits in Python's layout (<c>0.1f</c> → <c>0.1</c>); parses back exactly.</description></item>
/// <item><term>int / long</term><description>plain digits.</description></item>
/// <item><term>bool</term><description><c>True</c> / <c>False</c> (parsing also takes <c>true</c>/<c>false</c>).</description></item>
/// <item><term>string</term><description>as is; in a list, Python's quoted repr (<c>'a'</c>, <c>"it's"</c>, <c>\n</c>, <c>\\</c>, <c>\xNN</c> escapes).</description></item>
/// <item><term>decimal</term><description>invariant digits with the scale kept (<c>0.10</c>); in a list <c>Decimal('0.10')</c>.</description></item>
/// <item><term>DateTime</term><description><c>2021-01-04 09:30:00</c> (+ <c>.ffffff</c> when there are microseconds); in a list
/// <c>datetime.datetime(2021, 1, 4, 9, 30)</c>. Parses back with Kind Unspecified; ticks below a microsecond are not kept.</description></item>
/// <item><term>enum</term><description>its name (<c>Enum.ToString()</c>: flags read <c>A, B</c>, an undefined value its number); parsed by name, case-sensitively, or by number.</description></item>
/// </list>
/// Stateless; thread-safe.
/// </summary>
public static class ParamCodecs
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary><c>double</c> as Python's float: shortest round-trip digits, <c>nan</c>, <c>inf</c>, <c>-inf</c>. Stateless; thread-safe.</summary>
    public readonly struct Double : IParamCodec<double>
    {
        /// <inheritdoc/>
        public static string Format(double value) => PythonFloat.ToString(value);

        /// <inheritdoc/>
        public static void AppendRepr(StringBuilder builder, double value) => builder.Append(PythonFloat.ToString(value));

        /// <inheritdoc/>
        public static bool TryParse(ReadOnlySpan<char> text, out double value) => PythonFloat.TryParse(text, out value);

        /// <inheritdoc/>
        public static bool TryParseRepr(ReadOnlySpan<char> text, out double value) => PythonFloat.TryParse(text, out value);
    }

    /// <summary><c>float</c> in Python's float layout with the float's own shortest digits (<c>0.1f</c> → <c>0.1</c>). Stateless; thread-safe.</summary>
    public readonly struct Single : IParamCodec<float>
    {
        /// <inheritdoc/>
        public static string Format(float value) => PythonFloat.ToString(value);

        /// <inheritdoc/>
        public static void AppendRepr(StringBuilder builder, float value) => builder.Append(Format(value));

        /// <inheritdoc/>
        public static bool TryParse(ReadOnlySpan<char> text, out float value)
        {
            // Digits parse as a float directly: rounding through double could move the last bit.
            text = text.Trim();
            if (float.TryParse(text, NumberStyles.Float, Inv, out value)) return true;
            if (PythonFloat.TryParse(text, out var d) && !double.IsFinite(d))
            {
                value = (float)d;
                return true;
            }
            return false;
        }

        /// <inheritdoc/>
        public static bool TryParseRepr(ReadOnlySpan<char> text, out float value) => TryParse(text, out value);
    }

    /// <summary><c>int</c> as plain invariant digits. Stateless; thread-safe.</summary>
    public readonly struct Int32 : IParamCodec<int>
    {
        /// <inheritdoc/>
        public static string Format(int value) => value.ToString(Inv);

        /// <inheritdoc/>
        public static void AppendRepr(StringBuilder builder, int value) => builder.Append(value.ToString(Inv));

        /// <inheritdoc/>
        public static bool TryParse(ReadOnlySpan<char> text, out int value) => int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, Inv, out value);

        /// <inheritdoc/>
        public static bool TryParseRepr(ReadOnlySpan<char> text, out int value) => TryParse(text, out value);
    }

    /// <summary><c>long</c> as plain invariant digits. Stateless; thread-safe.</summary>
    public readonly struct Int64 : IParamCodec<long>
    {
        /// <inheritdoc/>
        public static string Format(long value) => value.ToString(Inv);

        /// <inheritdoc/>
        public static void AppendRepr(StringBuilder builder, long value) => builder.Append(value.ToString(Inv));

        /// <inheritdoc/>
        public static bool TryParse(ReadOnlySpan<char> text, out long value) => long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, Inv, out value);

        /// <inheritdoc/>
        public static bool TryParseRepr(ReadOnlySpan<char> text, out long value) => TryParse(text, out value);
    }

    /// <summary><c>bool</c> as Python's <c>True</c>/<c>False</c>; parsing also takes <c>true</c>/<c>false</c>. Stateless; thread-safe.</summary>
    public readonly struct Boolean : IParamCodec<bool>
    {
        /// <inheritdoc/>
        public static string Format(bool value) => value ? "True" : "False";

        /// <inheritdoc/>
        public static void AppendRepr(StringBuilder builder, bool value) => builder.Append(value ? "True" : "False");

        /// <inheritdoc/>
        public static bool TryParse(ReadOnlySpan<char> text, out bool value)
        {
            text = text.Trim();
            value = text.Equals("True", StringComparison.OrdinalIgnoreCase);
            return value || text.Equals("False", StringComparison.OrdinalIgnoreCase);
        }

        /// <inheritdoc/>
        public static bool TryParseRepr(ReadOnlySpan<char> text, out bool value) => TryParse(text, out value);
    }

    /// <summary><c>string</c> as is; in a list, Python's quoted repr. Stateless; thread-safe.</summary>
    public readonly struct String : IParamCodec<string>
    {
        /// <inheritdoc/>
        public static string Format(string value) => value;

        /// <inheritdoc/>
        public static void AppendRepr(StringBuilder builder, string value) => PythonRepr.AppendQuoted(builder, value);

        /// <inheritdoc/>
        public static bool TryParse(ReadOnlySpan<char> text, out string value)
        {
            value = text.ToString();
            return true;
        }

        /// <inheritdoc/>
        public static bool TryParseRepr(ReadOnlySpan<char> text, out string value) => PythonRepr.TryUnquote(text.Trim(), out value);
    }

    /// <summary><c>decimal</c> as invariant digits with the scale kept; in a list <c>Decimal('0.10')</c>. Stateless; thread-safe.</summary>
    public readonly struct Decimal : IParamCodec<decimal>
    {
        /// <inheritdoc/>
        public static string Format(decimal value) => value.ToString(Inv);

        /// <inheritdoc/>
        public static void AppendRepr(StringBuilder builder, decimal value) => builder.Append("Decimal('").Append(value.ToString(Inv)).Append("')");

        /// <inheritdoc/>
        public static bool TryParse(ReadOnlySpan<char> text, out decimal value) =>
            decimal.TryParse(text.Trim(), NumberStyles.Number | NumberStyles.AllowExponent, Inv, out value);

        /// <inheritdoc/>
        public static bool TryParseRepr(ReadOnlySpan<char> text, out decimal value)
        {
            text = text.Trim();
            if (text.StartsWith("Decimal(") && text.EndsWith(")") && PythonRepr.TryUnquote(text[8..^1].Trim(), out var inner))
                return TryParse(inner, out value);
            return TryParse(text, out value);
        }
    }

    /// <summary><c>DateTime</c> as Python's <c>str(datetime)</c> (<c>2021-01-04 09:30:00</c>, microseconds when present); in a list <c>datetime.datetime(...)</c>. Parses back with Kind Unspecified. Stateless; thread-safe.</summary>
    public readonly struct DateTime : IParamCodec<System.DateTime>
    {
        private static readonly string[] Formats = ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.ffffff", "yyyy-MM-dd"];

        /// <inheritdoc/>
        public static string Format(System.DateTime value)
        {
            var micro = value.Ticks % TimeSpan.TicksPerSecond / 10;
            var text = value.ToString("yyyy-MM-dd HH:mm:ss", Inv);
            return micro == 0 ? text : text + "." + micro.ToString("D6", Inv);
        }

        /// <inheritdoc/>
        public static void AppendRepr(StringBuilder builder, System.DateTime value)
        {
            builder.Append(Inv, $"datetime.datetime({value.Year}, {value.Month}, {value.Day}, {value.Hour}, {value.Minute}");
            var micro = value.Ticks % TimeSpan.TicksPerSecond / 10;
            if (value.Second != 0 || micro != 0) builder.Append(Inv, $", {value.Second}");
            if (micro != 0) builder.Append(Inv, $", {micro}");
            builder.Append(')');
        }

        /// <inheritdoc/>
        public static bool TryParse(ReadOnlySpan<char> text, out System.DateTime value) =>
            System.DateTime.TryParseExact(text.Trim().ToString(), Formats, Inv, DateTimeStyles.None, out value);

        /// <inheritdoc/>
        public static bool TryParseRepr(ReadOnlySpan<char> text, out System.DateTime value)
        {
            value = default;
            text = text.Trim();
            const string Prefix = "datetime.datetime(";
            if (!text.StartsWith(Prefix) || !text.EndsWith(")")) return false;
            Span<long> parts = stackalloc long[7];
            var count = 0;
            foreach (var range in text[Prefix.Length..^1].Split(','))
            {
                if (count == parts.Length || !long.TryParse(text[Prefix.Length..^1][range].Trim(), NumberStyles.None, Inv, out parts[count])) return false;
                count++;
            }
            if (count < 3) return false;
            try
            {
                value = new System.DateTime((int)parts[0], (int)parts[1], (int)parts[2], (int)parts[3], (int)parts[4], (int)parts[5])
                    .AddTicks(parts[6] * 10);
                return parts[6] < 1_000_000;
            }
            catch (ArgumentOutOfRangeException)
            {
                return false;
            }
        }
    }

    /// <summary>Enums by name. <c>Enum.ToString</c>/<c>Enum.TryParse&lt;T&gt;</c> need no reflection emit and work under NativeAOT. Stateless; thread-safe.</summary>
    /// <typeparam name="TEnum">The enum type.</typeparam>
    public readonly struct Enum<TEnum> : IParamCodec<TEnum> where TEnum : struct, System.Enum
    {
        /// <inheritdoc/>
        public static string Format(TEnum value) => value.ToString();

        /// <inheritdoc/>
        public static void AppendRepr(StringBuilder builder, TEnum value) => builder.Append(value.ToString());

        /// <inheritdoc/>
        public static bool TryParse(ReadOnlySpan<char> text, out TEnum value) => System.Enum.TryParse(text.Trim(), ignoreCase: false, out value);

        /// <inheritdoc/>
        public static bool TryParseRepr(ReadOnlySpan<char> text, out TEnum value) => TryParse(text, out value);
    }
}
