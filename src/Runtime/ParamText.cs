using System.Text;
using Qlib.Tracked.Formats.Python;

namespace Qlib.Tracked;

/// <summary>
/// The helpers generated <c>LogParams</c>/<c>FromParams</c> call to spell params and read them back,
/// through an <see cref="IParamCodec{T}"/> (no boxing, no reflection).
/// </summary>
/// <remarks>
/// <para><b>Scalars</b> are spelled as listed on <see cref="ParamCodecs"/> (Python's <c>str()</c>).</para>
/// <para><b>Nullable values</b>: null is <c>None</c>, and <c>None</c> parses back to null. For a <c>string?</c>
/// member the text <c>None</c> therefore reads back as null; a non-nullable <c>string</c> keeps it as text.</para>
/// <para><b>Collections</b> (arrays, lists, read-only lists, enumerables) are a Python list of each element's
/// <c>repr</c>: <c>[0.1, 1.0, 10.0]</c>, <c>['a', "it's"]</c>, <c>[Fast, Slow]</c> for enums,
/// <c>[True, False]</c>, <c>[]</c> when empty, <c>None</c> when null. They parse back from the same text:
/// top-level commas split elements (commas inside quotes or brackets do not), each element is read with
/// the codec's repr rules, and whitespace around elements is ignored. A list logged by Python with the
/// same element types (<c>str([0.1, 'a'])</c>) parses the same way.</para>
/// <para>Stateless; thread-safe.</para>
/// </remarks>
public static class ParamText
{
    /// <summary>The spelling of null (Python's <c>None</c>).</summary>
    public const string None = "None";

    /// <summary><paramref name="value"/> spelled as Python's <c>str()</c> by <typeparamref name="TCodec"/>.</summary>
    public static string Format<T, TCodec>(T value) where TCodec : IParamCodec<T> => TCodec.Format(value);

    /// <summary><paramref name="value"/> spelled by <typeparamref name="TCodec"/>, or <c>None</c> when it is null.</summary>
    public static string FormatNullable<T, TCodec>(T? value) where T : struct where TCodec : IParamCodec<T> =>
        value is { } v ? TCodec.Format(v) : None;

    /// <summary><paramref name="value"/> spelled by <typeparamref name="TCodec"/>, or <c>None</c> when it is null.</summary>
    public static string FormatNullable<TCodec>(string? value) where TCodec : IParamCodec<string> =>
        value is null ? None : TCodec.Format(value);

    /// <summary><paramref name="values"/> as a Python list of each element's repr (<c>[0.1, 1.0]</c>, <c>[]</c>), or <c>None</c> when null.</summary>
    public static string FormatList<T, TCodec>(IEnumerable<T>? values) where TCodec : IParamCodec<T>
    {
        if (values is null) return None;
        var sb = new StringBuilder().Append('[');
        var first = true;
        foreach (var item in values)
        {
            if (!first) sb.Append(", ");
            first = false;
            TCodec.AppendRepr(sb, item);
        }
        return sb.Append(']').ToString();
    }

    /// <summary>Reads back a scalar param spelled by <typeparamref name="TCodec"/>.</summary>
    /// <param name="text">The logged value.</param>
    /// <param name="key">The param key, named in the error.</param>
    /// <exception cref="TrackingException">INVALID_PARAMETER_VALUE naming <paramref name="key"/> and <paramref name="text"/> when the text does not parse as <typeparamref name="T"/>.</exception>
    public static T Parse<T, TCodec>(string text, string key) where TCodec : IParamCodec<T> =>
        TCodec.TryParse(text, out var value) ? value : throw Malformed<T>(key, text);

    /// <summary>Like <see cref="Parse{T, TCodec}"/>, but <c>None</c> reads back as null.</summary>
    /// <exception cref="TrackingException">INVALID_PARAMETER_VALUE naming <paramref name="key"/> and <paramref name="text"/> when the text is neither <c>None</c> nor a <typeparamref name="T"/>.</exception>
    public static T? ParseNullable<T, TCodec>(string text, string key) where T : struct where TCodec : IParamCodec<T> =>
        text == None ? null : Parse<T, TCodec>(text, key);

    /// <summary>A <c>string?</c> member's value: null for <c>None</c>, else the text as is.</summary>
    public static string? ParseNullableString(string text) => text == None ? null : text;

    /// <summary>Parses a list param; <c>None</c> gives null.</summary>
    /// <exception cref="TrackingException">INVALID_PARAMETER_VALUE naming <paramref name="key"/> and <paramref name="text"/> when it is not a list of the element type.</exception>
    public static T[]? ParseList<T, TCodec>(string text, string key) where TCodec : IParamCodec<T>
    {
        if (text == None) return null;
        var trimmed = text.AsSpan().Trim();
        var ranges = new List<Range>();
        if (!PythonRepr.TrySplitList(trimmed, ranges)) throw Malformed<T[]>(key, text);
        var result = new T[ranges.Count];
        for (var i = 0; i < result.Length; i++)
        {
            if (!TCodec.TryParseRepr(trimmed[ranges[i]].Trim(), out result[i])) throw Malformed<T[]>(key, text);
        }
        return result;
    }

    /// <summary><see cref="ParseList{T, TCodec}"/> into a <see cref="List{T}"/>.</summary>
    public static List<T>? ParseListAsList<T, TCodec>(string text, string key) where TCodec : IParamCodec<T> =>
        ParseList<T, TCodec>(text, key) is { } items ? new List<T>(items) : null;

    /// <summary>Gets a param's text; generated <c>FromParams</c> keeps a member's default when this is false.</summary>
    public static bool TryGet(IReadOnlyDictionary<string, string> parameters, string key, out string text)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters.TryGetValue(key, out var found))
        {
            text = found;
            return true;
        }
        text = "";
        return false;
    }

    private static TrackingException Malformed<T>(string key, string text) =>
        TrackingException.InvalidParameter($"Param '{key}' has the value '{text}', which does not parse as {typeof(T).Name}.");
}
