// Tokens of MLflow's search grammar with exact spans. MLflow tokenizes with sqlparse; this follows its rules
// where they matter for valid input (quotes, numbers, keywords) and reports a precise problem otherwise.
#nullable enable
using System.Collections.Generic;

namespace Qlib.Tracked.Search
{
    internal enum SearchTokenKind { Word, QuotedIdentifier, String, Number, Operator, LParen, RParen, Comma }

    internal sealed class SearchToken
    {
        public SearchTokenKind Kind;
        public int Start;
        public int Length;
        public string Text = "";

        /// <summary>Strings: the text between the quotes; quoted identifiers: the name; words with a quoted key: the key.</summary>
        public string Value = "";

        public char Quote;

        /// <summary>For a word like <c>params.`a b`</c>: where the quoted key starts (inside the quotes), else -1.</summary>
        public int QuotedKeyStart = -1;

        /// <summary>
        /// For a word whose entity type is quoted, like <c>`metrics`.loss</c>: the length of the quoted type, quotes
        /// included (the key follows after one '.'), else 0. <see cref="EntityValue"/> is the type between the quotes.
        /// </summary>
        public int QuotedEntityLength;

        public string EntityValue = "";

        public int End => Start + Length;

        public bool IsKeyword(string keyword) =>
            Kind == SearchTokenKind.Word && QuotedKeyStart < 0 && string.Equals(Text, keyword, System.StringComparison.OrdinalIgnoreCase);
    }

    internal static class SearchLexer
    {
        public static bool IsDigit(char c) => c >= '0' && c <= '9';

        private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_' || c == '.';

        /// <summary>End of a number literal starting at <paramref name="start"/> (<c>[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?</c>), or <paramref name="start"/>.</summary>
        public static int ScanNumber(string s, int start)
        {
            var i = start;
            if (i < s.Length && (s[i] == '+' || s[i] == '-')) i++;
            var digits = 0;
            while (i < s.Length && IsDigit(s[i])) { i++; digits++; }
            if (i < s.Length && s[i] == '.')
            {
                i++;
                while (i < s.Length && IsDigit(s[i])) { i++; digits++; }
            }
            if (digits == 0) return start;
            if (i < s.Length && (s[i] == 'e' || s[i] == 'E'))
            {
                var j = i + 1;
                if (j < s.Length && (s[j] == '+' || s[j] == '-')) j++;
                var expDigits = 0;
                while (j < s.Length && IsDigit(s[j])) { j++; expDigits++; }
                if (expDigits > 0) i = j;
            }
            return i;
        }

        /// <summary>The tokens of <paramref name="s"/>; stops at the first lexical problem (reported in <paramref name="result"/>).</summary>
        public static List<SearchToken> Tokenize(string s, SearchParseResult result)
        {
            var tokens = new List<SearchToken>();
            var i = 0;
            while (i < s.Length)
            {
                var c = s[i];
                if (char.IsWhiteSpace(c))
                {
                    i++;
                    continue;
                }
                var start = i;
                if (c == '\'' || c == '"' || c == '`')
                {
                    var value = ReadQuoted(s, ref i, result);
                    if (value is null) return tokens;
                    if (c != '\'' && i < s.Length && s[i] == '.')
                    {
                        // `metrics`.loss: sqlparse groups a quoted name, a period and a name into one identifier.
                        var word = ReadAfterQuotedEntity(s, start, ref i, value, result);
                        if (word is null) return tokens;
                        tokens.Add(word);
                        continue;
                    }
                    tokens.Add(new SearchToken
                    {
                        Kind = c == '`' ? SearchTokenKind.QuotedIdentifier : SearchTokenKind.String,
                        Start = start, Length = i - start, Text = s.Substring(start, i - start), Value = value, Quote = c,
                    });
                    continue;
                }
                if (IsDigit(c) || ((c == '-' || c == '+' || c == '.') && i + 1 < s.Length && (IsDigit(s[i + 1]) || (s[i + 1] == '.' && c != '.'))))
                {
                    var end = ScanNumber(s, i);
                    if (end > i && (end >= s.Length || !IsWordChar(s[end])))
                    {
                        tokens.Add(new SearchToken { Kind = SearchTokenKind.Number, Start = start, Length = end - start, Text = s.Substring(start, end - start) });
                        i = end;
                        continue;
                    }
                    if (!IsDigit(c))
                    {
                        result.Problems.Add(new SearchProblem(SearchProblemKind.Syntax, start, 1,
                            "Invalid clause(s) in filter string: unexpected character '" + c + "' at offset " + start));
                        return tokens;
                    }
                }
                if (char.IsLetterOrDigit(c) || c == '_')
                {
                    while (i < s.Length && IsWordChar(s[i])) i++;
                    var token = new SearchToken { Kind = SearchTokenKind.Word, Start = start };
                    if (s[i - 1] == '.' && i < s.Length && (s[i] == '`' || s[i] == '"'))
                    {
                        var keyStart = i + 1;
                        var key = ReadQuoted(s, ref i, result);
                        if (key is null) return tokens;
                        token.Value = key;
                        token.QuotedKeyStart = keyStart;
                    }
                    token.Length = i - start;
                    token.Text = s.Substring(start, i - start);
                    tokens.Add(token);
                    continue;
                }
                if (c == '(' || c == ')' || c == ',')
                {
                    tokens.Add(new SearchToken
                    {
                        Kind = c == '(' ? SearchTokenKind.LParen : c == ')' ? SearchTokenKind.RParen : SearchTokenKind.Comma,
                        Start = start, Length = 1, Text = c.ToString(),
                    });
                    i++;
                    continue;
                }
                if (c == '=' || c == '<' || c == '>' || c == '!')
                {
                    var length = i + 1 < s.Length && s[i + 1] == '=' ? 2 : 1;
                    if (c == '<' && i + 1 < s.Length && s[i + 1] == '>') length = 2;
                    var op = s.Substring(i, length);
                    if (op == "!" || op == "<>" || op == "==")
                    {
                        result.Problems.Add(new SearchProblem(SearchProblemKind.Syntax, start, length,
                            "Invalid comparator '" + op + "'" + (op == "<>" || op == "!" ? "; use '!='" : "; use '='")));
                        return tokens;
                    }
                    tokens.Add(new SearchToken { Kind = SearchTokenKind.Operator, Start = start, Length = length, Text = op });
                    i += length;
                    continue;
                }
                result.Problems.Add(new SearchProblem(SearchProblemKind.Syntax, start, 1,
                    "Invalid clause(s) in filter string: unexpected character '" + c + "' at offset " + start));
                return tokens;
            }
            return tokens;
        }

        /// <summary>The rest of an identifier whose quoted entity type ended at <paramref name="i"/> (on its '.').</summary>
        private static SearchToken? ReadAfterQuotedEntity(string s, int start, ref int i, string entity, SearchParseResult result)
        {
            var token = new SearchToken { Kind = SearchTokenKind.Word, Start = start, QuotedEntityLength = i - start, EntityValue = entity };
            i++;
            if (i < s.Length && (s[i] == '`' || s[i] == '"'))
            {
                var keyStart = i + 1;
                var key = ReadQuoted(s, ref i, result);
                if (key is null) return null;
                token.Value = key;
                token.QuotedKeyStart = keyStart;
            }
            else
            {
                while (i < s.Length && IsWordChar(s[i])) i++;
            }
            token.Length = i - start;
            token.Text = s.Substring(start, i - start);
            return token;
        }

        /// <summary>
        /// Reads a quoted run at <paramref name="i"/> and returns the text between the quotes AS WRITTEN: like
        /// sqlparse, a doubled quote (and in strings a backslash-escaped one) does not end it, and like MLflow,
        /// nothing is unescaped. Null and a problem when unterminated.
        /// </summary>
        private static string? ReadQuoted(string s, ref int i, SearchParseResult result)
        {
            var quote = s[i];
            var start = i;
            i++;
            while (i < s.Length)
            {
                var c = s[i];
                if (c == '\\' && quote != '`' && i + 1 < s.Length && (s[i + 1] == quote || s[i + 1] == '\\'))
                {
                    i += 2;
                    continue;
                }
                if (c == quote)
                {
                    if (i + 1 < s.Length && s[i + 1] == quote)
                    {
                        i += 2;
                        continue;
                    }
                    i++;
                    return s.Substring(start + 1, i - start - 2);
                }
                i++;
            }
            result.Problems.Add(new SearchProblem(SearchProblemKind.Syntax, start, s.Length - start,
                "Invalid clause(s) in filter string: unterminated " + quote + " quote starting at offset " + start));
            return null;
        }
    }
}
