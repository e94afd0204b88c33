using System.Globalization;
using System.Text;

namespace Qlib.Tracked.Formats.Python;

/// <summary>Python's string repr, written and read back (the elements of a list param).</summary>
internal static class PythonRepr
{
    /// <summary>Single quotes unless the text has a ' and no "; escapes \\, \n, \r, \t, the quote and other control characters (\xNN).</summary>
    public static void AppendQuoted(StringBuilder sb, string s)
    {
        var quote = s.Contains('\'') && !s.Contains('"') ? '"' : '\'';
        sb.Append(quote);
        foreach (var c in s)
        {
            switch (c)
            {
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c == quote) sb.Append('\\').Append(c);
                    else if (c < ' ' || c == '\x7f') sb.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}");
                    else sb.Append(c);
                    break;
            }
        }
        sb.Append(quote);
    }

    /// <summary>Reads a quoted Python string literal (the escapes <see cref="AppendQuoted"/> writes, plus \uXXXX).</summary>
    public static bool TryUnquote(ReadOnlySpan<char> text, out string value)
    {
        value = "";
        if (text.Length < 2 || text[0] is not ('\'' or '"') || text[^1] != text[0]) return false;
        var body = text[1..^1];
        var sb = new StringBuilder(body.Length);
        for (var i = 0; i < body.Length; i++)
        {
            var c = body[i];
            if (c == text[0]) return false; // an unescaped quote ends the literal early
            if (c != '\\') { sb.Append(c); continue; }
            if (++i == body.Length) return false;
            switch (body[i])
            {
                case '\\': sb.Append('\\'); break;
                case '\'': sb.Append('\''); break;
                case '"': sb.Append('"'); break;
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case 'x' when i + 2 < body.Length && TryHex(body.Slice(i + 1, 2), out var x): sb.Append((char)x); i += 2; break;
                case 'u' when i + 4 < body.Length && TryHex(body.Slice(i + 1, 4), out var u): sb.Append((char)u); i += 4; break;
                default: return false;
            }
        }
        value = sb.ToString();
        return true;
    }

    private static bool TryHex(ReadOnlySpan<char> digits, out int value) =>
        int.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);

    /// <summary>
    /// Splits the inside of a Python list literal at top-level commas (outside quotes and brackets).
    /// Returns false when quotes or brackets do not balance.
    /// </summary>
    public static bool TrySplitList(ReadOnlySpan<char> text, List<Range> items)
    {
        text = text.Trim();
        if (text.Length < 2 || text[0] != '[' || text[^1] != ']') return false;
        var start = 1;
        var depth = 0;
        var quote = '\0';
        var end = text.Length - 1;
        if (text[1..end].Trim().IsEmpty) return true;
        for (var i = 1; i < end; i++)
        {
            var c = text[i];
            if (quote != '\0')
            {
                if (c == '\\') i++;
                else if (c == quote) quote = '\0';
                continue;
            }
            switch (c)
            {
                case '\'' or '"': quote = c; break;
                case '(' or '[' or '{': depth++; break;
                case ')' or ']' or '}': if (--depth < 0) return false; break;
                case ',' when depth == 0: items.Add(start..i); start = i + 1; break;
            }
        }
        if (quote != '\0' || depth != 0) return false;
        items.Add(start..end);
        return true;
    }
}
