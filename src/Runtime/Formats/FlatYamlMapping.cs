namespace Qlib.Tracked.Formats;

/// <summary>
/// Reads the one shape every MLflow <c>meta.yaml</c> writer produces — one <c>key: value</c> line per key, the
/// value plain or single-quoted on that line, or <c>[]</c> / <c>{}</c> — without a YAML library. Anything else (quoting with double
/// quotes, folded or continued lines, comments, flow or nested values, control or line-break characters,
/// duplicate keys…) is declined, and <see cref="YamlMeta"/> then hands the text to YamlDotNet. The fast shape
/// must give exactly what YamlDotNet gives for the same text; a differential test checks that.
/// </summary>
/// <remarks>A YamlDotNet parse costs tens of microseconds, a large share of starting a run.</remarks>
internal static class FlatYamlMapping
{
    /// <summary>
    /// A value as written: a scalar's text (quotes removed, <c>''</c> unescaped) and whether it was plain, or
    /// MLflow's <c>tags: []</c> or <c>tags: {}</c> (an empty collection: no text).
    /// </summary>
    internal readonly record struct Scalar(string? Value, bool IsPlain)
    {
        public static Scalar EmptyCollection => new(null, false);
    }

    /// <summary>The mapping, or null when the text is not in the flat shape (not "not YAML": just not this shape).</summary>
    public static Dictionary<string, Scalar>? TryRead(string text)
    {
        var result = new Dictionary<string, Scalar>(12, StringComparer.Ordinal);
        var span = text.AsSpan();
        while (span.Length > 0)
        {
            var end = span.IndexOf('\n');
            var line = end < 0 ? span : span[..end];
            span = end < 0 ? default : span[(end + 1)..];
            if (!TryReadLine(line, out var key, out var scalar) || !result.TryAdd(key, scalar)) return null;
        }
        return result.Count > 0 ? result : null;
    }

    private static bool TryReadLine(ReadOnlySpan<char> line, out string key, out Scalar scalar)
    {
        key = "";
        scalar = default;
        var colon = line.IndexOf(": ");
        if (colon <= 0 || colon + 2 >= line.Length) return false;
        var keySpan = line[..colon];
        foreach (var c in keySpan)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_') return false;
        }
        var value = line[(colon + 2)..];
        if (value[0] == ' ' || value[^1] == ' ') return false; // YAML would strip them
        foreach (var c in value)
        {
            if (!IsSafe(c)) return false;
        }
        if (value is "[]" or "{}")
        {
            key = keySpan.ToString();
            scalar = Scalar.EmptyCollection;
            return true;
        }
        if (value[0] == '\'')
        {
            if (!TryUnquote(value, out var unquoted)) return false;
            key = keySpan.ToString();
            scalar = new Scalar(unquoted, IsPlain: false);
            return true;
        }
        if (!IsPlainSafe(value)) return false;
        key = keySpan.ToString();
        scalar = new Scalar(value.ToString(), IsPlain: true);
        return true;
    }

    // A single-quoted scalar on one line: '' is a quote; any other quote must be the closing one, at the end.
    private static bool TryUnquote(ReadOnlySpan<char> value, out string unquoted)
    {
        unquoted = "";
        if (value.Length < 2 || value[^1] != '\'') return false;
        var inner = value[1..^1];
        if (inner.IndexOf('\'') < 0)
        {
            unquoted = inner.ToString();
            return true;
        }
        var builder = new System.Text.StringBuilder(inner.Length);
        for (var i = 0; i < inner.Length; i++)
        {
            if (inner[i] != '\'')
            {
                builder.Append(inner[i]);
                continue;
            }
            if (i + 1 >= inner.Length || inner[i + 1] != '\'') return false;
            builder.Append('\'');
            i++;
        }
        unquoted = builder.ToString();
        return true;
    }

    // Plain: no indicator first, no " #" comment, no ": " (checked by the caller's first split only), no ':' at the end.
    private static bool IsPlainSafe(ReadOnlySpan<char> value) =>
        "-?:,[]{}#&*!|>'\"%@`".IndexOf(value[0]) < 0
        && value.IndexOf(" #") < 0
        && value.IndexOf(": ") < 0
        && value[^1] != ':';

    // Printable and not a YAML line break (NEL, LS, PS) or byte-order mark; tabs and controls are declined.
    private static bool IsSafe(char c) =>
        c is >= ' ' and <= '~' || (c >= '\u00A0' && c is not ('\u2028' or '\u2029' or '\uFEFF') && c < '\uFFFE');
}
