using System.Collections;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text;
using Qlib.Tracked.Formats;
using Qlib.Tracked.Formats.Python;

namespace Qlib.Tracked.Client;

/// <summary>
/// Spells a parameter value the way Python's <c>str()</c> does, because MLflow stores
/// <c>str(value)</c> and Qlib's Python runs are searched and compared by that text
/// (<c>params.lr = '0.01'</c>, "same value is a no-op"). A plain type switch: no reflection.
/// </summary>
/// <remarks>
/// <list type="table">
/// <item><term>null</term><description><c>None</c></description></item>
/// <item><term>bool</term><description><c>True</c> / <c>False</c></description></item>
/// <item><term>integers</term><description>plain digits (<c>10</c>, <c>-3</c>)</description></item>
/// <item><term>double / float / Half</term><description>Python's float repr: <c>0.01</c>, <c>1e-05</c>, <c>100.0</c>, <c>nan</c>, <c>inf</c> (a float keeps its own shortest digits: <c>0.1f</c> → <c>0.1</c>)</description></item>
/// <item><term>decimal</term><description>as written, scale kept (<c>0.10m</c> → <c>0.10</c>, like <c>str(Decimal('0.10'))</c>)</description></item>
/// <item><term>DateTime / DateTimeOffset</term><description><c>2021-01-04 09:30:00</c> (+ <c>.ffffff</c> when there are sub-seconds, + <c>+08:00</c> for an offset)</description></item>
/// <item><term>DateOnly / TimeOnly</term><description><c>2021-01-04</c> / <c>09:30:00</c></description></item>
/// <item><term>TimeSpan</term><description>Python timedelta: <c>1 day, 2:03:04</c></description></item>
/// <item><term>enum</term><description>its name</description></item>
/// <item><term>string / char</term><description>as is</description></item>
/// <item><term>tuples</term><description><c>(1, 'a')</c>, one element <c>(1,)</c></description></item>
/// <item><term>dictionaries</term><description><c>{'a': 1, 'b': [1.5]}</c></description></item>
/// <item><term>other sequences</term><description>a Python list: <c>[1, 2, 'a']</c></description></item>
/// </list>
/// Inside containers elements use Python's <c>repr</c>: strings are quoted (<c>'a'</c>, or <c>"it's"</c>
/// when the text holds a single quote and no double quote), decimals read <c>Decimal('0.10')</c>,
/// dates <c>datetime.date(2021, 1, 4)</c> and datetimes <c>datetime.datetime(2021, 1, 4, 9, 30)</c>.
/// </remarks>
public static class ParamValue
{
    /// <summary>The text Python's <c>str(value)</c> would give.</summary>
    public static string Format(object? value)
    {
        switch (value)
        {
            case null: return "None";
            case string s: return s;
            case char c: return c.ToString();
            case bool b: return b ? "True" : "False";
        }
        if (TryFormatScalar(value, out var text)) return text;
        var sb = new StringBuilder();
        AppendRepr(sb, value, depth: 0);
        return sb.ToString();
    }

    /// <summary>Numbers, dates and enums: the same text for <c>str</c> and <c>repr</c> except where noted.</summary>
    private static bool TryFormatScalar(object value, out string text)
    {
        var inv = CultureInfo.InvariantCulture;
        text = value switch
        {
            int v => v.ToString(inv),
            long v => v.ToString(inv),
            short v => v.ToString(inv),
            sbyte v => v.ToString(inv),
            byte v => v.ToString(inv),
            ushort v => v.ToString(inv),
            uint v => v.ToString(inv),
            ulong v => v.ToString(inv),
            nint v => v.ToString(inv),
            nuint v => v.ToString(inv),
            Int128 v => v.ToString(inv),
            UInt128 v => v.ToString(inv),
            BigInteger v => v.ToString(inv),
            double v => PythonFloat.ToString(v),
            // A float's own shortest digits (0.1f → "0.1"), not the widened double's 0.10000000149011612.
            float v => PythonFloat.ToString(v),
            Half v => PythonFloat.ToString(v),
            decimal v => v.ToString(inv),
            DateTime v => FormatDateTime(v),
            DateTimeOffset v => FormatDateTime(v.DateTime) + FormatOffset(v.Offset),
            DateOnly v => v.ToString("yyyy-MM-dd", inv),
            TimeOnly v => FormatTime(v.ToTimeSpan()),
            TimeSpan v => FormatTimedelta(v),
            Enum v => v.ToString(),
            _ => null!,
        };
        return text is not null;
    }

    private static void AppendRepr(StringBuilder sb, object? value, int depth)
    {
        // A self-containing collection would recurse forever; Python prints [...] for it.
        if (depth > 64) { sb.Append("..."); return; }
        switch (value)
        {
            case null: sb.Append("None"); return;
            case string s: PythonRepr.AppendQuoted(sb, s); return;
            case char c: PythonRepr.AppendQuoted(sb, c.ToString()); return;
            case bool b: sb.Append(b ? "True" : "False"); return;
            case decimal d: sb.Append("Decimal('").Append(d.ToString(CultureInfo.InvariantCulture)).Append("')"); return;
            case DateTime dt: AppendDateTimeRepr(sb, dt); return;
            case DateOnly date: sb.Append(CultureInfo.InvariantCulture, $"datetime.date({date.Year}, {date.Month}, {date.Day})"); return;
            case ITuple tuple: AppendTuple(sb, tuple, depth); return;
            case IDictionary dict: AppendDictionary(sb, dict, depth); return;
            case IEnumerable<KeyValuePair<string, object?>> pairs: AppendPairs(sb, pairs, depth); return;
            case IEnumerable items: AppendList(sb, items, depth); return;
        }
        if (TryFormatScalar(value, out var text)) { sb.Append(text); return; }
        sb.Append(value is IFormattable f ? f.ToString(null, CultureInfo.InvariantCulture) : value.ToString() ?? "None");
    }

    private static void AppendTuple(StringBuilder sb, ITuple tuple, int depth)
    {
        sb.Append('(');
        for (var i = 0; i < tuple.Length; i++)
        {
            if (i > 0) sb.Append(", ");
            AppendRepr(sb, tuple[i], depth + 1);
        }
        sb.Append(tuple.Length == 1 ? ",)" : ")");
    }

    private static void AppendDictionary(StringBuilder sb, IDictionary dict, int depth)
    {
        sb.Append('{');
        var first = true;
        foreach (DictionaryEntry e in dict)
        {
            if (!first) sb.Append(", ");
            first = false;
            AppendRepr(sb, e.Key, depth + 1);
            sb.Append(": ");
            AppendRepr(sb, e.Value, depth + 1);
        }
        sb.Append('}');
    }

    private static void AppendPairs(StringBuilder sb, IEnumerable<KeyValuePair<string, object?>> pairs, int depth)
    {
        sb.Append('{');
        var first = true;
        foreach (var (k, v) in pairs)
        {
            if (!first) sb.Append(", ");
            first = false;
            PythonRepr.AppendQuoted(sb, k);
            sb.Append(": ");
            AppendRepr(sb, v, depth + 1);
        }
        sb.Append('}');
    }

    private static void AppendList(StringBuilder sb, IEnumerable items, int depth)
    {
        sb.Append('[');
        var first = true;
        foreach (var item in items)
        {
            if (!first) sb.Append(", ");
            first = false;
            AppendRepr(sb, item, depth + 1);
        }
        sb.Append(']');
    }

    private static string FormatDateTime(DateTime v)
    {
        var micro = (v.Ticks % TimeSpan.TicksPerSecond) / 10;
        var text = v.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        return micro == 0 ? text : text + "." + micro.ToString("D6", CultureInfo.InvariantCulture);
    }

    private static string FormatOffset(TimeSpan offset)
    {
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        var abs = offset.Duration();
        return string.Create(CultureInfo.InvariantCulture, $"{sign}{abs.Hours:D2}:{abs.Minutes:D2}");
    }

    private static string FormatTime(TimeSpan t)
    {
        var micro = (t.Ticks % TimeSpan.TicksPerSecond) / 10;
        var text = string.Create(CultureInfo.InvariantCulture, $"{t.Hours:D2}:{t.Minutes:D2}:{t.Seconds:D2}");
        return micro == 0 ? text : text + "." + micro.ToString("D6", CultureInfo.InvariantCulture);
    }

    /// <summary>Python's <c>str(timedelta)</c>: <c>[-]D day[s], H:MM:SS[.ffffff]</c>, days floored.</summary>
    private static string FormatTimedelta(TimeSpan t)
    {
        var totalMicro = t.Ticks / 10;
        var days = Math.DivRem(totalMicro, 86_400_000_000L, out var rem);
        if (rem < 0) { days--; rem += 86_400_000_000L; }
        var seconds = rem / 1_000_000;
        var micro = rem % 1_000_000;
        var clock = string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600}:{seconds / 60 % 60:D2}:{seconds % 60:D2}");
        if (micro != 0) clock += "." + micro.ToString("D6", CultureInfo.InvariantCulture);
        if (days == 0) return clock;
        return string.Create(CultureInfo.InvariantCulture, $"{days} day{(Math.Abs(days) == 1 ? "" : "s")}, {clock}");
    }

    private static void AppendDateTimeRepr(StringBuilder sb, DateTime v)
    {
        var inv = CultureInfo.InvariantCulture;
        sb.Append(inv, $"datetime.datetime({v.Year}, {v.Month}, {v.Day}, {v.Hour}, {v.Minute}");
        var micro = (v.Ticks % TimeSpan.TicksPerSecond) / 10;
        if (v.Second != 0 || micro != 0) sb.Append(inv, $", {v.Second}");
        if (micro != 0) sb.Append(inv, $", {micro}");
        sb.Append(')');
    }
}
