// MLflow's run-search grammar (mlflow/utils/search_utils.py; reference mlflow-store.md §3) as a plain,
// allocation-light parser with exact spans. Compiled into Qlib.Tracked.Analyzers (netstandard2.0) and
// meant to be linked into the runtime's search as well: no Roslyn types, no newer BCL APIs.
#nullable enable
using System;
using System.Collections.Generic;
using System.Globalization;

namespace Qlib.Tracked.Search
{
    /// <summary>What is wrong with (part of) a filter or order-by clause.</summary>
    internal enum SearchProblemKind
    {
        /// <summary>Not MLflow's grammar at all (missing comparator or value, stray token, unterminated quote).</summary>
        Syntax,

        /// <summary><c>OR</c> between comparisons: MLflow only has <c>AND</c>.</summary>
        Or,

        /// <summary>A param, tag, string attribute or dataset value that is not quoted.</summary>
        UnquotedValue,

        /// <summary>A metric or numeric attribute value that is quoted.</summary>
        QuotedNumber,

        /// <summary><c>IN</c>/<c>NOT IN</c> on anything but <c>run_id</c> (or dataset fields).</summary>
        InNotAllowed,

        /// <summary>An entity type, attribute or dataset field MLflow does not know.</summary>
        InvalidIdentifier,

        /// <summary>A comparator the identifier's type does not support (<c>params.lr &gt; '1'</c>).</summary>
        InvalidComparator,

        /// <summary>An order-by clause that is not <c>&lt;identifier&gt; [ASC|DESC]</c> or orders by something MLflow cannot.</summary>
        InvalidOrderBy,
    }

    /// <summary>One problem at [<see cref="Start"/>, <see cref="Start"/> + <see cref="Length"/>) of the parsed text.</summary>
    internal sealed class SearchProblem
    {
        public SearchProblem(SearchProblemKind kind, int start, int length, string message, string? replacement = null)
        {
            Kind = kind;
            Start = start;
            Length = length;
            Message = message;
            Replacement = replacement;
        }

        public SearchProblemKind Kind { get; }

        public int Start { get; }

        public int Length { get; }

        public string Message { get; }

        /// <summary>Text that fixes the problem when it replaces the span (quoting or unquoting a value), or null.</summary>
        public string? Replacement { get; }
    }

    internal enum SearchKeyType
    {
        Metric,
        Param,
        Tag,
        Attribute,
        Dataset,
    }

    /// <summary>A metric, param or tag key the text refers to, with the span of the key itself (inside its quotes).</summary>
    internal sealed class SearchKeyReference
    {
        public SearchKeyReference(SearchKeyType type, string key, int start, int length)
        {
            Type = type;
            Key = key;
            Start = start;
            Length = length;
        }

        public SearchKeyType Type { get; }

        public string Key { get; }

        public int Start { get; }

        public int Length { get; }
    }

    internal sealed class SearchParseResult
    {
        public List<SearchProblem> Problems { get; } = new List<SearchProblem>();

        public List<SearchKeyReference> Keys { get; } = new List<SearchKeyReference>();

        public bool IsValid => Problems.Count == 0;
    }

    internal static class SearchFilterParser
    {
        public static readonly string[] StringAttributes = { "run_id", "run_name", "user_id", "status", "artifact_uri" };
        public static readonly string[] NumericAttributes = { "start_time", "end_time" };
        public static readonly string[] DatasetFields = { "name", "digest", "context" };
        private static readonly string[] Comparators = { "=", "!=", "<", "<=", ">", ">=" };

        private enum TokenKind { Word, QuotedIdentifier, String, Number, Operator, LParen, RParen, Comma }

        private sealed class Token
        {
            public TokenKind Kind;
            public int Start;
            public int Length;
            public string Text = "";

            /// <summary>Strings: the unquoted value; quoted identifiers: the name; words with a quoted key: the key.</summary>
            public string Value = "";

            public char Quote;

            /// <summary>For a word like <c>params.`a b`</c>: where the quoted key starts (inside the quotes), else -1.</summary>
            public int QuotedKeyStart = -1;

            public int End => Start + Length;

            public bool IsKeyword(string keyword) => Kind == TokenKind.Word && QuotedKeyStart < 0 && string.Equals(Text, keyword, StringComparison.OrdinalIgnoreCase);
        }

        private sealed class Identifier
        {
            public SearchKeyType Type;
            public string Key = "";
            public int KeyStart;
            public int KeyLength;
            public int Start;
            public int Length;
            public bool IsNumericAttribute;
        }

        /// <summary>Parses a filter string (<c>metrics.loss &lt; 0.5 AND params.lr = '0.01'</c>). Null or blank is no filter.</summary>
        public static SearchParseResult ParseFilter(string? filter)
        {
            var result = new SearchParseResult();
            if (filter is null || filter.Trim().Length == 0) return result;
            var tokens = Tokenize(filter, result);
            if (!result.IsValid) return result;
            var i = 0;
            while (true)
            {
                if (!ParseComparison(filter, tokens, ref i, result)) return result;
                if (i >= tokens.Count) return result;
                var joiner = tokens[i];
                if (joiner.IsKeyword("AND"))
                {
                    i++;
                }
                else if (joiner.IsKeyword("OR"))
                {
                    result.Problems.Add(new SearchProblem(SearchProblemKind.Or, joiner.Start, joiner.Length,
                        "MLflow filters join comparisons with AND only; 'OR' is an invalid clause (run two searches instead)"));
                    i++;
                }
                else
                {
                    result.Problems.Add(new SearchProblem(SearchProblemKind.Syntax, joiner.Start, filter.Length - joiner.Start,
                        "Invalid clause(s) in filter string: expected AND before '" + joiner.Text + "'"));
                    return result;
                }
                if (i >= tokens.Count)
                {
                    var last = tokens[i - 1];
                    result.Problems.Add(new SearchProblem(SearchProblemKind.Syntax, last.Start, last.Length,
                        "Invalid clause(s) in filter string: a comparison must follow '" + last.Text + "'"));
                    return result;
                }
            }
        }

        /// <summary>Parses one order-by clause (<c>metrics.loss DESC</c>).</summary>
        public static SearchParseResult ParseOrderBy(string? clause)
        {
            var result = new SearchParseResult();
            if (clause is null || clause.Trim().Length == 0)
            {
                result.Problems.Add(new SearchProblem(SearchProblemKind.InvalidOrderBy, 0, clause?.Length ?? 0, "An order_by clause must name what to order by"));
                return result;
            }
            var tokens = Tokenize(clause, result);
            if (!result.IsValid) return result;
            var i = 0;
            var id = ParseIdentifier(clause, tokens, ref i, result, orderBy: true);
            if (id is null) return result;
            if (id.Type == SearchKeyType.Dataset)
            {
                result.Problems.Add(new SearchProblem(SearchProblemKind.InvalidOrderBy, id.Start, id.Length, "Runs cannot be ordered by dataset fields"));
                return result;
            }
            if (i < tokens.Count)
            {
                var direction = tokens[i];
                if (!(direction.IsKeyword("ASC") || direction.IsKeyword("DESC")))
                {
                    result.Problems.Add(new SearchProblem(SearchProblemKind.InvalidOrderBy, direction.Start, clause.Length - direction.Start,
                        "Invalid ordering key in order_by clause: '" + direction.Text + "' is not ASC or DESC"));
                    return result;
                }
                i++;
            }
            if (i < tokens.Count)
            {
                var extra = tokens[i];
                result.Problems.Add(new SearchProblem(SearchProblemKind.InvalidOrderBy, extra.Start, clause.Length - extra.Start,
                    "Invalid order_by clause: unexpected '" + extra.Text + "' after the direction"));
            }
            return result;
        }

        private static bool ParseComparison(string text, List<Token> tokens, ref int i, SearchParseResult result)
        {
            var id = ParseIdentifier(text, tokens, ref i, result, orderBy: false);
            if (id is null) return false;

            // Comparator.
            if (i >= tokens.Count)
            {
                result.Problems.Add(new SearchProblem(SearchProblemKind.Syntax, id.Start, id.Length,
                    "Invalid clause(s) in filter string: '" + text.Substring(id.Start, id.Length) + "' needs a comparator and a value"));
                return false;
            }
            var op = tokens[i];
            string comparator;
            var comparatorStart = op.Start;
            if (op.Kind == TokenKind.Operator)
            {
                comparator = op.Text;
                i++;
            }
            else if (op.IsKeyword("LIKE") || op.IsKeyword("ILIKE") || op.IsKeyword("IN"))
            {
                comparator = op.Text.ToUpperInvariant();
                i++;
            }
            else if (op.IsKeyword("NOT") && i + 1 < tokens.Count && tokens[i + 1].IsKeyword("IN"))
            {
                comparator = "NOT IN";
                i += 2;
            }
            else
            {
                result.Problems.Add(new SearchProblem(SearchProblemKind.Syntax, op.Start, op.Length,
                    "Invalid clause(s) in filter string: expected a comparator (=, !=, <, <=, >, >=, LIKE, ILIKE, IN) but found '" + op.Text + "'"));
                return false;
            }
            var comparatorEnd = tokens[i - 1].End;

            var isList = comparator == "IN" || comparator == "NOT IN";
            var numeric = id.Type == SearchKeyType.Metric || id.IsNumericAttribute;
            if (isList)
            {
                if (!(id.Type == SearchKeyType.Dataset || (id.Type == SearchKeyType.Attribute && id.Key == "run_id")))
                {
                    result.Problems.Add(new SearchProblem(SearchProblemKind.InNotAllowed, comparatorStart, comparatorEnd - comparatorStart,
                        "Only the 'run_id' attribute supports comparison with a list of quoted string values ('" + comparator + "' on '" + text.Substring(id.Start, id.Length) + "')"));
                }
            }
            else if (!IsValidComparator(comparator, numeric))
            {
                result.Problems.Add(new SearchProblem(SearchProblemKind.InvalidComparator, comparatorStart, comparatorEnd - comparatorStart,
                    "Invalid comparator '" + comparator + "' not one of " + (numeric ? "'=', '!=', '<', '<=', '>', '>='" : "'=', '!=', 'LIKE', 'ILIKE'")
                    + " for " + Describe(id)));
            }

            // Value.
            if (i >= tokens.Count)
            {
                result.Problems.Add(new SearchProblem(SearchProblemKind.Syntax, comparatorStart, comparatorEnd - comparatorStart,
                    "Invalid clause(s) in filter string: '" + comparator + "' needs a value"));
                return false;
            }
            if (isList) return ParseList(text, tokens, ref i, result);
            var value = tokens[i];
            i++;
            switch (value.Kind)
            {
                case TokenKind.String:
                    if (numeric)
                    {
                        var replacement = IsNumber(value.Value, id.IsNumericAttribute) ? value.Value.Trim() : null;
                        result.Problems.Add(new SearchProblem(SearchProblemKind.QuotedNumber, value.Start, value.Length,
                            "Expected numeric value type for " + Describe(id) + " but got the quoted string " + value.Text
                            + (replacement is null ? "" : "; drop the quotes"), replacement));
                    }
                    return true;
                case TokenKind.Number:
                case TokenKind.Word when value.QuotedKeyStart < 0 && !IsReserved(value.Text):
                    if (numeric)
                    {
                        if (value.Kind != TokenKind.Number || (id.IsNumericAttribute && !IsNumber(value.Text, integer: true)))
                        {
                            result.Problems.Add(new SearchProblem(SearchProblemKind.Syntax, value.Start, value.Length,
                                "Expected " + (id.IsNumericAttribute ? "an integer (milliseconds)" : "a numeric value") + " for " + Describe(id) + " but got '" + value.Text + "'"));
                        }
                        return true;
                    }
                    result.Problems.Add(new SearchProblem(SearchProblemKind.UnquotedValue, value.Start, value.Length,
                        "Expected a quoted string value for " + Describe(id) + " but got " + value.Text + "; quote it: '" + value.Text + "'",
                        "'" + value.Text + "'"));
                    return true;
                default:
                    result.Problems.Add(new SearchProblem(SearchProblemKind.Syntax, value.Start, value.Length,
                        "Invalid clause(s) in filter string: expected a value after '" + comparator + "' but found '" + value.Text + "'"));
                    return false;
            }
        }

        private static bool ParseList(string text, List<Token> tokens, ref int i, SearchParseResult result)
        {
            var open = tokens[i];
            if (open.Kind != TokenKind.LParen)
            {
                result.Problems.Add(new SearchProblem(SearchProblemKind.Syntax, open.Start, open.Length,
                    "Invalid clause(s) in filter string: IN needs a parenthesised list of quoted strings, e.g. ('a', 'b')"));
                return false;
            }
            i++;
            while (true)
            {
                if (i >= tokens.Count)
                {
                    result.Problems.Add(new SearchProblem(SearchProblemKind.Syntax, open.Start, text.Length - open.Start, "Unclosed '(' in the IN list"));
                    return false;
                }
                var item = tokens[i++];
                if (item.Kind == TokenKind.Number || (item.Kind == TokenKind.Word && !IsReserved(item.Text)))
                {
                    result.Problems.Add(new SearchProblem(SearchProblemKind.UnquotedValue, item.Start, item.Length,
                        "Expected a quoted string value in the IN list but got " + item.Text, "'" + item.Text + "'"));
                }
                else if (item.Kind != TokenKind.String)
                {
                    result.Problems.Add(new SearchProblem(SearchProblemKind.Syntax, item.Start, item.Length,
                        "Invalid clause(s) in filter string: expected a quoted string in the IN list but found '" + item.Text + "'"));
                    return false;
                }
                if (i >= tokens.Count)
                {
                    result.Problems.Add(new SearchProblem(SearchProblemKind.Syntax, open.Start, text.Length - open.Start, "Unclosed '(' in the IN list"));
                    return false;
                }
                var next = tokens[i++];
                if (next.Kind == TokenKind.RParen) return true;
                if (next.Kind != TokenKind.Comma)
                {
                    result.Problems.Add(new SearchProblem(SearchProblemKind.Syntax, next.Start, next.Length,
                        "Invalid clause(s) in filter string: expected ',' or ')' in the IN list but found '" + next.Text + "'"));
                    return false;
                }
            }
        }

        private static Identifier? ParseIdentifier(string text, List<Token> tokens, ref int i, SearchParseResult result, bool orderBy)
        {
            if (i >= tokens.Count)
            {
                result.Problems.Add(new SearchProblem(SearchProblemKind.Syntax, text.Length, 0, "Invalid clause(s): expected an identifier"));
                return null;
            }
            var token = tokens[i];
            var problemKind = orderBy ? SearchProblemKind.InvalidOrderBy : SearchProblemKind.Syntax;
            var id = new Identifier { Start = token.Start, Length = token.Length };
            string? typeWord = null;
            var typeStart = token.Start;
            switch (token.Kind)
            {
                case TokenKind.QuotedIdentifier:
                case TokenKind.String when token.Quote == '"':
                    id.Key = token.Value;
                    id.KeyStart = token.Start + 1;
                    id.KeyLength = token.Length - 2;
                    break;
                case TokenKind.Word when !IsReserved(token.Text) || token.QuotedKeyStart >= 0:
                    var dot = token.Text.IndexOf('.');
                    if (dot < 0)
                    {
                        id.Key = token.Text;
                        id.KeyStart = token.Start;
                        id.KeyLength = token.Length;
                    }
                    else
                    {
                        typeWord = token.Text.Substring(0, dot);
                        if (token.QuotedKeyStart >= 0)
                        {
                            id.Key = token.Value;
                            id.KeyStart = token.QuotedKeyStart;
                            id.KeyLength = token.Value.Length;
                        }
                        else
                        {
                            id.Key = token.Text.Substring(dot + 1);
                            id.KeyStart = token.Start + dot + 1;
                            id.KeyLength = id.Key.Length;
                        }
                    }
                    break;
                default:
                    result.Problems.Add(new SearchProblem(problemKind, token.Start, token.Length,
                        "Invalid clause(s): expected an identifier such as metrics.loss, params.lr or run_name but found '" + token.Text + "'"));
                    return null;
            }
            i++;

            if (typeWord is null)
            {
                id.Type = SearchKeyType.Attribute;
            }
            else
            {
                var type = ParseType(typeWord);
                if (type is null)
                {
                    result.Problems.Add(new SearchProblem(SearchProblemKind.InvalidIdentifier, typeStart, typeWord.Length,
                        "Invalid entity type '" + typeWord + "'. Valid values are 'metric', 'parameter', 'tag', 'attribute'"
                        + (orderBy ? "" : ", 'dataset'")));
                    return null;
                }
                id.Type = type.Value;
            }
            if (id.Key.Length == 0)
            {
                result.Problems.Add(new SearchProblem(problemKind, id.Start, id.Length, "Invalid clause(s): '" + token.Text + "' names no key"));
                return null;
            }

            switch (id.Type)
            {
                case SearchKeyType.Attribute:
                    var resolved = ResolveAttribute(id.Key);
                    var valid = Array.IndexOf(StringAttributes, resolved) >= 0 || Array.IndexOf(NumericAttributes, resolved) >= 0;
                    if (!valid)
                    {
                        result.Problems.Add(new SearchProblem(SearchProblemKind.InvalidIdentifier, id.KeyStart, id.KeyLength,
                            "Invalid attribute key '" + id.Key + "' specified. Valid keys are 'run_id', 'run_name', 'user_id', 'status', 'artifact_uri', 'start_time', 'end_time'"
                            + (typeWord is null ? " (a metric, param or tag needs its prefix, e.g. metrics." + id.Key + ")" : "")));
                        return null;
                    }
                    id.Key = resolved;
                    id.IsNumericAttribute = Array.IndexOf(NumericAttributes, resolved) >= 0;
                    break;
                case SearchKeyType.Dataset:
                    if (Array.IndexOf(DatasetFields, id.Key) < 0)
                    {
                        result.Problems.Add(new SearchProblem(SearchProblemKind.InvalidIdentifier, id.KeyStart, id.KeyLength,
                            "Invalid dataset key '" + id.Key + "'. Valid keys are 'name', 'digest', 'context'"));
                        return null;
                    }
                    break;
                default:
                    result.Keys.Add(new SearchKeyReference(id.Type, id.Key, id.KeyStart, id.KeyLength));
                    break;
            }
            return id;
        }

        private static SearchKeyType? ParseType(string word)
        {
            switch (word.ToLowerInvariant())
            {
                case "metric":
                case "metrics":
                    return SearchKeyType.Metric;
                case "param":
                case "params":
                case "parameter":
                case "parameters":
                    return SearchKeyType.Param;
                case "tag":
                case "tags":
                    return SearchKeyType.Tag;
                case "attribute":
                case "attributes":
                case "attr":
                case "run":
                    return SearchKeyType.Attribute;
                case "dataset":
                case "datasets":
                    return SearchKeyType.Dataset;
                default:
                    return null;
            }
        }

        private static string ResolveAttribute(string key)
        {
            switch (key)
            {
                case "created":
                case "Created":
                    return "start_time";
                case "run name":
                case "Run name":
                case "Run Name":
                    return "run_name";
                default:
                    return key;
            }
        }

        private static bool IsValidComparator(string comparator, bool numeric) =>
            numeric ? Array.IndexOf(Comparators, comparator) >= 0 : comparator == "=" || comparator == "!=" || comparator == "LIKE" || comparator == "ILIKE";

        private static string Describe(Identifier id) => id.Type switch
        {
            SearchKeyType.Metric => "metric '" + id.Key + "'",
            SearchKeyType.Param => "parameter '" + id.Key + "'",
            SearchKeyType.Tag => "tag '" + id.Key + "'",
            SearchKeyType.Dataset => "dataset field '" + id.Key + "'",
            _ => "attribute '" + id.Key + "'",
        };

        private static bool IsReserved(string word)
        {
            switch (word.ToUpperInvariant())
            {
                case "AND":
                case "OR":
                case "NOT":
                case "IN":
                case "LIKE":
                case "ILIKE":
                    return true;
                default:
                    return false;
            }
        }

        private static bool IsNumber(string text, bool integer)
        {
            text = text.Trim();
            if (text.Length == 0) return false;
            return integer
                ? long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)
                : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _) && ScanNumber(text, 0) == text.Length;
        }

        /// <summary>End of a number literal starting at <paramref name="start"/> (<c>[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?</c>), or <paramref name="start"/>.</summary>
        private static int ScanNumber(string s, int start)
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

        private static bool IsDigit(char c) => c >= '0' && c <= '9';

        private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_' || c == '.';

        private static List<Token> Tokenize(string s, SearchParseResult result)
        {
            var tokens = new List<Token>();
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
                    tokens.Add(new Token
                    {
                        Kind = c == '`' ? TokenKind.QuotedIdentifier : TokenKind.String,
                        Start = start, Length = i - start, Text = s.Substring(start, i - start), Value = value, Quote = c,
                    });
                    continue;
                }
                if (IsDigit(c) || ((c == '-' || c == '+' || c == '.') && i + 1 < s.Length && (IsDigit(s[i + 1]) || (s[i + 1] == '.' && c != '.'))))
                {
                    var end = ScanNumber(s, i);
                    if (end > i && (end >= s.Length || !IsWordChar(s[end])))
                    {
                        tokens.Add(new Token { Kind = TokenKind.Number, Start = start, Length = end - start, Text = s.Substring(start, end - start) });
                        i = end;
                        continue;
                    }
                    if (!IsDigit(c))
                    {
                        result.Problems.Add(new SearchProblem(SearchProblemKind.Syntax, start, 1, "Unexpected character '" + c + "'"));
                        return tokens;
                    }
                }
                if (char.IsLetterOrDigit(c) || c == '_')
                {
                    while (i < s.Length && IsWordChar(s[i])) i++;
                    var token = new Token { Kind = TokenKind.Word, Start = start };
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
                    tokens.Add(new Token { Kind = c == '(' ? TokenKind.LParen : c == ')' ? TokenKind.RParen : TokenKind.Comma, Start = start, Length = 1, Text = c.ToString() });
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
                    tokens.Add(new Token { Kind = TokenKind.Operator, Start = start, Length = length, Text = op });
                    i += length;
                    continue;
                }
                result.Problems.Add(new SearchProblem(SearchProblemKind.Syntax, start, 1, "Unexpected character '" + c + "' in the filter string"));
                return tokens;
            }
            return tokens;
        }

        /// <summary>Reads a quoted run at <paramref name="i"/> (a doubled quote escapes it); null and a problem when unterminated.</summary>
        private static string? ReadQuoted(string s, ref int i, SearchParseResult result)
        {
            var quote = s[i];
            var start = i;
            var sb = new System.Text.StringBuilder();
            i++;
            while (i < s.Length)
            {
                if (s[i] == quote)
                {
                    if (quote != '`' && i + 1 < s.Length && s[i + 1] == quote)
                    {
                        sb.Append(quote);
                        i += 2;
                        continue;
                    }
                    i++;
                    return sb.ToString();
                }
                sb.Append(s[i]);
                i++;
            }
            result.Problems.Add(new SearchProblem(SearchProblemKind.Syntax, start, s.Length - start, "Unterminated quote " + quote + " in the filter string"));
            return null;
        }
    }
}
