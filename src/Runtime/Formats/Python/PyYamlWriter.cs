using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Qlib.Tracked.Formats.Python;

/// <summary>
/// Writes a <see cref="YamlMapping"/> byte-for-byte as PyYAML's
/// <c>safe_dump(data, default_flow_style=False, allow_unicode=True)</c> (keys sorted), so that
/// <c>meta.yaml</c> files are identical to those MLflow writes.
/// </summary>
/// <remarks>
/// Strings follow PyYAML's emitter: plain when the plain form reads back as the same string;
/// single-quoted when it would read as another type (number, bool, null, date) or holds indicator
/// characters, leading/trailing spaces or line breaks; double-quoted with escapes when it holds
/// control characters. Lines of plain and single-quoted scalars fold at a single space once the
/// column passes 80, as PyYAML does. Columns count code points, like Python string indexing.
/// </remarks>
internal static partial class PyYamlWriter
{
    private const int BestWidth = 80;
    private const int IndentStep = 2;

    /// <summary>The YAML text of <paramref name="mapping"/>.</summary>
    public static string Write(YamlMapping mapping)
    {
        var emitter = new Emitter();
        emitter.WriteMapping(mapping, 0);
        emitter.EndDocument();
        return emitter.ToString();
    }

    /// <summary>True when PyYAML's resolver would read the plain scalar as something other than a string.</summary>
    internal static bool ResolvesToNonString(string value) =>
        value.Length == 0
        || (MayResolve(value[0])
            && (BoolPattern().IsMatch(value)
        || FloatPattern().IsMatch(value)
        || IntPattern().IsMatch(value)
        || NullPattern().IsMatch(value)
        || TimestampPattern().IsMatch(value)
        || value == "<<" || value == "="));

    /// <summary>
    /// The first characters a non-empty match of the resolvers below can start with (booleans, numbers, null, dates,
    /// merge and value keys): any other first character is a string without running them — most of a meta.yaml's values.
    /// </summary>
    private static bool MayResolve(char first) => first is (>= '0' and <= '9') or '-' or '+' or '.' or '~' or '<' or '='
        or 'y' or 'Y' or 'n' or 'N' or 't' or 'T' or 'f' or 'F' or 'o' or 'O';

    /// <summary>
    /// True for a string PyYAML's <c>analyze_scalar</c> allows plain, in a block mapping, as key or value, that needs no
    /// folding: ASCII letters, digits and <c>_ . / : -</c> only (no space to fold at, nothing outside printable ASCII),
    /// not <c>-</c> alone (a sequence entry), not ending in <c>:</c> (a key indicator), not starting with <c>---</c> or
    /// <c>...</c> (document markers). Ids, URIs, paths and status words are such strings; <see cref="Emitter"/> writes
    /// them as they are, when they also read back as strings (<see cref="ResolvesToNonString"/>), without the analysis.
    /// </summary>
    internal static bool IsPlainAsciiWord(string text)
    {
        if (text.Length == 0 || text[^1] == ':' || text == "-"
            || text.StartsWith("---", StringComparison.Ordinal) || text.StartsWith("...", StringComparison.Ordinal))
            return false;
        foreach (var c in text)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '/' or ':' or '-')) return false;
        }
        return true;
    }

    // PyYAML's implicit resolvers (resolver.py). .NET's '$' matches before a final '\n', as Python's does.
    [GeneratedRegex("^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$", RegexOptions.CultureInvariant)]
    private static partial Regex BoolPattern();

    [GeneratedRegex(@"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$", RegexOptions.CultureInvariant)]
    private static partial Regex FloatPattern();

    [GeneratedRegex("^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$", RegexOptions.CultureInvariant)]
    private static partial Regex IntPattern();

    [GeneratedRegex("^(?:~|null|Null|NULL|)$", RegexOptions.CultureInvariant)]
    private static partial Regex NullPattern();

    [GeneratedRegex(@"^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$", RegexOptions.CultureInvariant)]
    private static partial Regex TimestampPattern();

    private enum ScalarStyle { Plain, SingleQuoted, DoubleQuoted }

    /// <summary>The emitter state PyYAML keeps while writing (column, whitespace, indention).</summary>
    private sealed class Emitter
    {
        private readonly StringBuilder _out = new(512);
        private int _column;
        private bool _whitespace = true;
        private bool _indention = true;
        private int _indent;

        public override string ToString() => _out.ToString();

        /// <summary>The document ends on a fresh line, as PyYAML's document end does.</summary>
        public void EndDocument()
        {
            _indent = 0;
            WriteIndent();
        }

        public void WriteMapping(YamlMapping mapping, int indent)
        {
            var entries = mapping.Entries.ToArray();
            Array.Sort(entries, static (a, b) => CompareCodePoints(a.Key, b.Key));
            foreach (var (key, value) in entries)
            {
                _indent = indent;
                WriteIndent();
                WriteScalar(key, simpleKey: true);
                WriteIndicator(":", needWhitespace: false);
                WriteValue(value, indent);
            }
        }

        private void WriteValue(object? value, int indent)
        {
            switch (value)
            {
                case null:
                    WritePlainToken("null");
                    break;
                case long number:
                    WritePlainToken(number.ToString(CultureInfo.InvariantCulture));
                    break;
                case string text:
                    _indent = indent + IndentStep; // continuation lines of a scalar are indented one step
                    WriteScalar(text, simpleKey: false);
                    _indent = indent;
                    break;
                case YamlMapping { Count: 0 }:
                    WriteIndicator("{", needWhitespace: true, whitespace: true);
                    WriteIndicator("}", needWhitespace: false);
                    break;
                case YamlMapping nested:
                    WriteMapping(nested, indent + IndentStep);
                    _indent = indent;
                    break;
                default:
                    if (ReferenceEquals(value, YamlMapping.EmptyList))
                    {
                        WriteIndicator("[", needWhitespace: true, whitespace: true);
                        WriteIndicator("]", needWhitespace: false);
                        break;
                    }
                    throw new ArgumentException($"Unsupported YAML value of type {value.GetType().Name}.", nameof(value));
            }
            _whitespace = false;
        }

        private void WritePlainToken(string text)
        {
            if (!_whitespace) Append(" ");
            Append(text);
            _whitespace = false;
            _indention = false;
        }

        private void WriteScalar(string text, bool simpleKey)
        {
            if (IsPlainAsciiWord(text) && !ResolvesToNonString(text))
            {
                // What WritePlain writes for such a string, without building its code points.
                if (!_whitespace) Append(" ");
                Append(text);
                _whitespace = false;
                _indention = false;
                return;
            }
            var points = ToCodePoints(text);
            var analysis = ScalarAnalysis.Analyze(points);
            var style = ChooseStyle(text, analysis, simpleKey);
            switch (style)
            {
                case ScalarStyle.Plain: WritePlain(points); break;
                case ScalarStyle.SingleQuoted: WriteSingleQuoted(points); break;
                default: WriteDoubleQuoted(points); break;
            }
        }

        private static ScalarStyle ChooseStyle(string text, in ScalarAnalysis analysis, bool simpleKey)
        {
            var implicitString = !ResolvesToNonString(text);
            if (implicitString
                && !(simpleKey && (analysis.Empty || analysis.Multiline))
                && analysis.AllowBlockPlain)
                return ScalarStyle.Plain;
            if (analysis.AllowSingleQuoted && !(simpleKey && analysis.Multiline)) return ScalarStyle.SingleQuoted;
            return ScalarStyle.DoubleQuoted;
        }

        private void WritePlain(int[] text)
        {
            if (text.Length == 0) return;
            if (!_whitespace) Append(" ");
            _whitespace = false;
            _indention = false;
            var spaces = false;
            var start = 0;
            for (var end = 0; end <= text.Length; end++)
            {
                var ch = end < text.Length ? text[end] : -1;
                if (spaces)
                {
                    if (ch != ' ')
                    {
                        if (start + 1 == end && _column > BestWidth)
                        {
                            WriteIndent();
                            _whitespace = false;
                            _indention = false;
                        }
                        else
                        {
                            Append(text, start, end);
                        }
                        start = end;
                    }
                }
                else if (ch == -1 || ch == ' ' || IsLineBreak(ch))
                {
                    Append(text, start, end);
                    start = end;
                }
                if (ch != -1) spaces = ch == ' ';
            }
        }

        private void WriteSingleQuoted(int[] text)
        {
            WriteIndicator("'", needWhitespace: true);
            var spaces = false;
            var breaks = false;
            var start = 0;
            for (var end = 0; end <= text.Length; end++)
            {
                var ch = end < text.Length ? text[end] : -1;
                if (spaces)
                {
                    if (ch != ' ')
                    {
                        if (start + 1 == end && _column > BestWidth && start != 0 && end != text.Length)
                            WriteIndent();
                        else
                            Append(text, start, end);
                        start = end;
                    }
                }
                else if (breaks)
                {
                    if (ch == -1 || !IsLineBreak(ch))
                    {
                        if (text[start] == '\n') WriteLineBreak(null);
                        for (var i = start; i < end; i++)
                            WriteLineBreak(text[i] == '\n' ? null : char.ConvertFromUtf32(text[i]));
                        WriteIndent();
                        start = end;
                    }
                }
                else if (ch == -1 || ch == ' ' || IsLineBreak(ch) || ch == '\'')
                {
                    if (start < end)
                    {
                        Append(text, start, end);
                        start = end;
                    }
                }
                if (ch == '\'')
                {
                    Append("''");
                    start = end + 1;
                }
                if (ch != -1)
                {
                    spaces = ch == ' ';
                    breaks = IsLineBreak(ch);
                }
            }
            WriteIndicator("'", needWhitespace: false);
        }

        private void WriteDoubleQuoted(int[] text)
        {
            WriteIndicator("\"", needWhitespace: true);
            var start = 0;
            for (var end = 0; end <= text.Length; end++)
            {
                var ch = end < text.Length ? text[end] : -1;
                if (ch == -1 || ch is '"' or '\\' or 0x85 or 0x2028 or 0x2029 or 0xFEFF || !IsPrintableInDoubleQuotes(ch))
                {
                    if (start < end)
                    {
                        Append(text, start, end);
                        start = end;
                    }
                    if (ch != -1)
                    {
                        Append(Escape(ch));
                        start = end + 1;
                    }
                }
                if (0 < end && end < text.Length - 1 && (ch == ' ' || start >= end)
                    && _column + (end - start) > BestWidth)
                {
                    Append(text, start, end);
                    Append("\\");
                    if (start < end) start = end;
                    WriteIndent();
                    _whitespace = false;
                    _indention = false;
                    if (text[start] == ' ') Append("\\");
                }
            }
            WriteIndicator("\"", needWhitespace: false);
        }

        private static bool IsPrintableInDoubleQuotes(int ch) =>
            ch is >= 0x20 and <= 0x7E or >= 0xA0 and <= 0xD7FF or >= 0xE000 and <= 0xFFFD;

        private static string Escape(int ch) => ch switch
        {
            0 => "\\0",
            7 => "\\a",
            8 => "\\b",
            9 => "\\t",
            10 => "\\n",
            11 => "\\v",
            12 => "\\f",
            13 => "\\r",
            0x1B => "\\e",
            '"' => "\\\"",
            '\\' => "\\\\",
            0x85 => "\\N",
            0xA0 => "\\_",
            0x2028 => "\\L",
            0x2029 => "\\P",
            <= 0xFF => "\\x" + ch.ToString("X2", CultureInfo.InvariantCulture),
            <= 0xFFFF => "\\u" + ch.ToString("X4", CultureInfo.InvariantCulture),
            _ => "\\U" + ch.ToString("X8", CultureInfo.InvariantCulture),
        };

        private void WriteIndicator(string indicator, bool needWhitespace, bool whitespace = false)
        {
            Append(_whitespace || !needWhitespace ? indicator : " " + indicator);
            _whitespace = whitespace;
            _indention = false;
        }

        private void WriteIndent()
        {
            if (!_indention || _column > _indent || (_column == _indent && !_whitespace)) WriteLineBreak(null);
            if (_column < _indent)
            {
                _whitespace = true;
                _out.Append(' ', _indent - _column);
                _column = _indent;
            }
        }

        private void WriteLineBreak(string? lineBreak)
        {
            _out.Append(lineBreak ?? "\n");
            _whitespace = true;
            _indention = true;
            _column = 0;
        }

        private void Append(string text)
        {
            _out.Append(text);
            _column += text.Length; // only ASCII goes through here: indicators, escapes, IsPlainAsciiWord strings
        }

        private void Append(int[] text, int start, int end)
        {
            for (var i = start; i < end; i++)
            {
                var cp = text[i];
                if (cp < 0x10000) _out.Append((char)cp);
                else _out.Append(char.ConvertFromUtf32(cp));
            }
            _column += end - start;
        }
    }

    internal static bool IsLineBreak(int ch) => ch is '\n' or 0x85 or 0x2028 or 0x2029;

    private static bool IsWhitespaceOrEnd(int ch) => ch is 0 or ' ' or '\t' or '\r' or '\n' or 0x85 or 0x2028 or 0x2029;

    private static int[] ToCodePoints(string text)
    {
        var points = new int[text.Length];
        var count = 0;
        foreach (var rune in text.EnumerateRunes()) points[count++] = rune.Value;
        return count == points.Length ? points : points[..count];
    }

    private static int CompareCodePoints(string a, string b)
    {
        // Python sorts str keys by code point; UTF-16 ordinal differs only for astral vs U+E000..U+FFFF.
        var ea = a.EnumerateRunes();
        var eb = b.EnumerateRunes();
        while (true)
        {
            var hasA = ea.MoveNext();
            var hasB = eb.MoveNext();
            if (!hasA || !hasB) return hasA ? 1 : hasB ? -1 : 0;
            var c = ea.Current.Value.CompareTo(eb.Current.Value);
            if (c != 0) return c;
        }
    }

    /// <summary>PyYAML's <c>analyze_scalar</c>: which styles can represent a string faithfully.</summary>
    private readonly record struct ScalarAnalysis(
        bool Empty, bool Multiline, bool AllowBlockPlain, bool AllowSingleQuoted)
    {
        public static ScalarAnalysis Analyze(int[] s)
        {
            if (s.Length == 0) return new(Empty: true, Multiline: false, AllowBlockPlain: true, AllowSingleQuoted: true);

            var blockIndicators = false;
            var lineBreaks = false;
            var specialCharacters = false;
            bool leadingSpace = false, leadingBreak = false, trailingSpace = false, trailingBreak = false;
            bool breakSpace = false, spaceBreak = false;

            if (StartsWith(s, "---") || StartsWith(s, "...")) blockIndicators = true;

            var precededByWhitespace = true;
            var followedByWhitespace = s.Length == 1 || IsWhitespaceOrEnd(s[1]);
            bool previousSpace = false, previousBreak = false;
            for (var index = 0; index < s.Length; index++)
            {
                var ch = s[index];
                if (index == 0)
                {
                    if ("#,[]{}&*!|>'\"%@`".Contains((char)ch) && ch < 0x80) blockIndicators = true;
                    if (ch is '?' or ':' && followedByWhitespace) blockIndicators = true;
                    if (ch == '-' && followedByWhitespace) blockIndicators = true;
                }
                else
                {
                    if (ch == ':' && followedByWhitespace) blockIndicators = true;
                    if (ch == '#' && precededByWhitespace) blockIndicators = true;
                }

                if (IsLineBreak(ch)) lineBreaks = true;
                if (!(ch == '\n' || ch is >= 0x20 and <= 0x7E))
                {
                    var unicodeOk = (ch == 0x85 || ch is >= 0xA0 and <= 0xD7FF or >= 0xE000 and <= 0xFFFD or >= 0x10000 and < 0x10FFFF)
                                    && ch != 0xFEFF;
                    if (!unicodeOk) specialCharacters = true; // allow_unicode=True: other code points are fine
                }

                if (ch == ' ')
                {
                    if (index == 0) leadingSpace = true;
                    if (index == s.Length - 1) trailingSpace = true;
                    if (previousBreak) breakSpace = true;
                    previousSpace = true;
                    previousBreak = false;
                }
                else if (IsLineBreak(ch))
                {
                    if (index == 0) leadingBreak = true;
                    if (index == s.Length - 1) trailingBreak = true;
                    if (previousSpace) spaceBreak = true;
                    previousSpace = false;
                    previousBreak = true;
                }
                else
                {
                    previousSpace = false;
                    previousBreak = false;
                }

                precededByWhitespace = IsWhitespaceOrEnd(ch);
                followedByWhitespace = index + 2 >= s.Length || IsWhitespaceOrEnd(s[index + 2]);
            }

            var allowBlockPlain = true;
            var allowSingleQuoted = true;
            if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) allowBlockPlain = false;
            if (breakSpace) allowBlockPlain = allowSingleQuoted = false;
            if (spaceBreak || specialCharacters) allowBlockPlain = allowSingleQuoted = false;
            if (lineBreaks) allowBlockPlain = false;
            if (blockIndicators) allowBlockPlain = false;
            return new(Empty: false, Multiline: lineBreaks, AllowBlockPlain: allowBlockPlain, AllowSingleQuoted: allowSingleQuoted);
        }

        private static bool StartsWith(int[] s, string prefix)
        {
            if (s.Length < prefix.Length) return false;
            for (var i = 0; i < prefix.Length; i++) if (s[i] != prefix[i]) return false;
            return true;
        }
    }
}
