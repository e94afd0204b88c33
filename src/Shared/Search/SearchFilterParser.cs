// MLflow's search grammar (mlflow/utils/search_utils.py; reference mlflow-store.md §3) as a plain,
// allocation-light parser with exact spans. Compiled into Qlib.Tracked.Analyzers (netstandard2.0), where the
// problems become diagnostics, and into the runtime, where the comparisons become a compiled run filter: one
// grammar for both. No Roslyn types, no newer BCL APIs. Messages start with MLflow's own wording where MLflow
// has one, so a message MLflow users search for is found.
#nullable enable
using System;
using System.Collections.Generic;
using System.Globalization;

namespace Qlib.Tracked.Search
{
    internal static class SearchFilterParser
    {
        public static readonly string[] StringAttributes = { "run_id", "run_name", "user_id", "status", "artifact_uri" };
        public static readonly string[] NumericAttributes = { "start_time", "end_time" };
        public static readonly string[] DatasetFields = { "name", "digest", "context" };
        public static readonly string[] ExperimentStringAttributes = { "name" };
        public static readonly string[] ExperimentNumericAttributes = { "creation_time", "last_update_time" };
        public static readonly string[] ExperimentOrderAttributes = { "name", "experiment_id", "creation_time", "last_update_time" };

        private const string RunAttributeList = "'run_id', 'run_name', 'user_id', 'status', 'artifact_uri', 'start_time', 'end_time'";
        private const string NumericComparatorSet = "{'=', '!=', '<', '<=', '>', '>='}";
        private const string StringComparatorSet = "{'=', '!=', 'ILIKE', 'LIKE'}";

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

        /// <summary>Parses a run filter (<c>metrics.loss &lt; 0.5 AND params.lr = '0.01'</c>). Null or blank is no filter.</summary>
        public static SearchParseResult ParseFilter(string? filter) => ParseFilter(filter, SearchTarget.Runs);

        /// <summary>Parses one run order-by clause (<c>metrics.loss DESC</c>).</summary>
        public static SearchParseResult ParseOrderBy(string? clause) => ParseOrderBy(clause, SearchTarget.Runs);

        public static SearchParseResult ParseFilter(string? filter, SearchTarget target)
        {
            var result = new SearchParseResult();
            if (filter is null || filter.Trim().Length == 0) return result;
            var tokens = SearchLexer.Tokenize(filter, result);
            if (!result.IsValid) return result;
            var i = 0;
            while (true)
            {
                if (!ParseComparison(filter, tokens, ref i, result, target)) return result;
                if (i >= tokens.Count) return result;
                var joiner = tokens[i];
                if (joiner.IsKeyword("AND"))
                {
                    i++;
                }
                else if (joiner.IsKeyword("OR"))
                {
                    result.Problems.Add(new SearchProblem(SearchProblemKind.Or, joiner.Start, joiner.Length,
                        "Invalid clause(s) in filter string: '" + joiner.Text + "'. MLflow filters join comparisons with AND only (run two searches instead)"));
                    i++;
                }
                else
                {
                    result.Problems.Add(new SearchProblem(SearchProblemKind.Syntax, joiner.Start, filter.Length - joiner.Start,
                        "Invalid clause(s) in filter string: '" + filter.Substring(joiner.Start) + "'; expected AND before it"));
                    return result;
                }
                if (i >= tokens.Count)
                {
                    var last = tokens[i - 1];
                    result.Problems.Add(new SearchProblem(SearchProblemKind.Syntax, last.Start, last.Length,
                        "Invalid clause(s) in filter string: '" + last.Text + "' is not followed by a comparison"));
                    return result;
                }
            }
        }

        public static SearchParseResult ParseOrderBy(string? clause, SearchTarget target)
        {
            var result = new SearchParseResult();
            if (clause is null || clause.Trim().Length == 0)
            {
                result.Problems.Add(new SearchProblem(SearchProblemKind.InvalidOrderBy, 0, clause?.Length ?? 0,
                    "Invalid order_by clause '" + clause + "'. Could not be parsed: it names nothing to order by"));
                return result;
            }
            var tokens = SearchLexer.Tokenize(clause, result);
            if (!result.IsValid) return result;
            var i = 0;
            // MLflow reads "<identifier> <direction>" through shlex, which drops every quote; a lone identifier keeps them.
            var id = ParseIdentifier(clause, tokens, ref i, result, target, orderBy: true, unquoteAll: tokens.Count > 1);
            if (id is null) return result;
            if (id.Type == SearchKeyType.Dataset)
            {
                result.Problems.Add(new SearchProblem(SearchProblemKind.InvalidOrderBy, id.Start, id.Length,
                    "Invalid order_by entity type 'dataset': runs cannot be ordered by dataset fields"));
                return result;
            }
            if (target == SearchTarget.Experiments && id.Type != SearchKeyType.Attribute)
            {
                result.Problems.Add(new SearchProblem(SearchProblemKind.InvalidOrderBy, id.Start, id.Length,
                    "Invalid order_by entity: tag (experiments are ordered by name, experiment_id, creation_time or last_update_time)"));
                return result;
            }
            var descending = false;
            if (i < tokens.Count)
            {
                var direction = tokens[i];
                if (!(direction.IsKeyword("ASC") || direction.IsKeyword("DESC")))
                {
                    result.Problems.Add(new SearchProblem(SearchProblemKind.InvalidOrderBy, direction.Start, clause.Length - direction.Start,
                        "Invalid ordering key in order_by clause '" + clause + "'. '" + direction.Text + "' is not ASC or DESC"));
                    return result;
                }
                descending = direction.IsKeyword("DESC");
                i++;
            }
            if (i < tokens.Count)
            {
                var extra = tokens[i];
                result.Problems.Add(new SearchProblem(SearchProblemKind.InvalidOrderBy, extra.Start, clause.Length - extra.Start,
                    "Invalid order_by clause '" + clause + "'. Could not be parsed: unexpected '" + extra.Text + "' after the direction"));
                return result;
            }
            result.Order = new SearchOrderClause(id.Type, id.Key, descending);
            return result;
        }

        private static bool ParseComparison(string text, List<SearchToken> tokens, ref int i, SearchParseResult result, SearchTarget target)
        {
            var id = ParseIdentifier(text, tokens, ref i, result, target, orderBy: false, unquoteAll: false);
            if (id is null) return false;

            // Comparator.
            if (i >= tokens.Count)
            {
                result.Problems.Add(new SearchProblem(SearchProblemKind.Syntax, id.Start, id.Length,
                    "Invalid clause(s) in filter string: '" + text.Substring(id.Start, id.Length) + "' needs a comparator and a value"));
                return false;
            }
            var op = tokens[i];
            SearchComparator comparator;
            var comparatorStart = op.Start;
            if (op.Kind == SearchTokenKind.Operator)
            {
                comparator = op.Text switch
                {
                    "=" => SearchComparator.Equal,
                    "!=" => SearchComparator.NotEqual,
                    "<" => SearchComparator.Less,
                    "<=" => SearchComparator.LessOrEqual,
                    ">" => SearchComparator.Greater,
                    _ => SearchComparator.GreaterOrEqual,
                };
                i++;
            }
            else if (op.IsKeyword("LIKE") || op.IsKeyword("ILIKE") || op.IsKeyword("IN"))
            {
                comparator = op.IsKeyword("LIKE") ? SearchComparator.Like : op.IsKeyword("ILIKE") ? SearchComparator.ILike : SearchComparator.In;
                i++;
            }
            else if (op.IsKeyword("NOT") && i + 1 < tokens.Count && tokens[i + 1].IsKeyword("IN"))
            {
                comparator = SearchComparator.NotIn;
                i += 2;
            }
            else
            {
                result.Problems.Add(new SearchProblem(SearchProblemKind.Syntax, op.Start, op.Length,
                    "Invalid clause(s) in filter string: '" + text.Substring(id.Start, op.End - id.Start)
                    + "': expected a comparator (=, !=, <, <=, >, >=, LIKE, ILIKE, IN, NOT IN) but found '" + op.Text + "'"));
                return false;
            }
            var comparatorEnd = tokens[i - 1].End;
            var comparatorText = text.Substring(comparatorStart, comparatorEnd - comparatorStart);

            var isList = comparator == SearchComparator.In || comparator == SearchComparator.NotIn;
            var numeric = id.Type == SearchKeyType.Metric || id.IsNumericAttribute;
            var problemsBefore = result.Problems.Count;
            if (isList)
            {
                if (!(id.Type == SearchKeyType.Dataset || (id.Type == SearchKeyType.Attribute && id.Key == "run_id" && target == SearchTarget.Runs)))
                {
                    result.Problems.Add(new SearchProblem(SearchProblemKind.InNotAllowed, comparatorStart, comparatorEnd - comparatorStart,
                        "Only the 'run_id' attribute supports comparison with a list of quoted string values. ('"
                        + comparatorText + "' on '" + text.Substring(id.Start, id.Length) + "')"));
                }
            }
            else if (!IsValidComparator(comparator, numeric))
            {
                result.Problems.Add(new SearchProblem(SearchProblemKind.InvalidComparator, comparatorStart, comparatorEnd - comparatorStart,
                    "Invalid comparator '" + comparatorText + "' not one of '" + (numeric ? NumericComparatorSet : StringComparatorSet)
                    + "' for " + Describe(id)));
            }

            // Value.
            if (i >= tokens.Count)
            {
                result.Problems.Add(new SearchProblem(SearchProblemKind.Syntax, comparatorStart, comparatorEnd - comparatorStart,
                    "Invalid clause(s) in filter string: '" + text.Substring(id.Start, comparatorEnd - id.Start) + "' needs a value"));
                return false;
            }
            if (isList)
            {
                var items = ParseList(text, tokens, ref i, result);
                if (items is null) return false;
                if (result.Problems.Count == problemsBefore)
                    result.Comparisons.Add(new SearchComparison(id.Type, id.Key, false, comparator, "", 0, items, id.Start, tokens[i - 1].End - id.Start));
                return true;
            }
            var value = tokens[i];
            i++;
            switch (value.Kind)
            {
                case SearchTokenKind.String:
                    if (numeric)
                    {
                        var replacement = IsNumber(value.Value, id.IsNumericAttribute) ? value.Value.Trim() : null;
                        result.Problems.Add(new SearchProblem(SearchProblemKind.QuotedNumber, value.Start, value.Length,
                            ExpectedNumber(id) + value.Text + (replacement is null ? "" : " (a quoted string; drop the quotes)"), replacement));
                    }
                    else if (result.Problems.Count == problemsBefore)
                    {
                        result.Comparisons.Add(new SearchComparison(id.Type, id.Key, false, comparator, value.Value, 0, null, id.Start, value.End - id.Start));
                    }
                    return true;
                case SearchTokenKind.Number:
                case SearchTokenKind.Word when value.QuotedKeyStart < 0 && value.QuotedEntityLength == 0 && !IsReserved(value.Text):
                    if (numeric)
                    {
                        double number = 0;
                        var integer = id.IsNumericAttribute && target == SearchTarget.Runs;
                        if (value.Kind != SearchTokenKind.Number || !TryParseNumber(value.Text, integer, out number))
                        {
                            result.Problems.Add(new SearchProblem(SearchProblemKind.Syntax, value.Start, value.Length,
                                ExpectedNumber(id) + value.Text + (integer ? " (run times are integer milliseconds)" : "")));
                        }
                        else if (result.Problems.Count == problemsBefore)
                        {
                            result.Comparisons.Add(new SearchComparison(id.Type, id.Key, true, comparator, value.Text, number, null, id.Start, value.End - id.Start));
                        }
                        return true;
                    }
                    result.Problems.Add(new SearchProblem(SearchProblemKind.UnquotedValue, value.Start, value.Length,
                        ExpectedQuoted(id, value) + "; quote it: '" + value.Text + "'", "'" + value.Text + "'"));
                    return true;
                case SearchTokenKind.QuotedIdentifier:
                    result.Problems.Add(new SearchProblem(numeric ? SearchProblemKind.Syntax : SearchProblemKind.UnquotedValue, value.Start, value.Length,
                        numeric
                            ? ExpectedNumber(id) + value.Text
                            : "Parameter value is either not quoted or unidentified quote types used for string value " + value.Text
                              + ". Use either single or double quotes.",
                        numeric ? null : "'" + value.Value + "'"));
                    return true;
                default:
                    result.Problems.Add(new SearchProblem(SearchProblemKind.Syntax, value.Start, value.Length,
                        "Invalid clause(s) in filter string: expected a value after '" + comparatorText + "' but found '" + value.Text + "'"));
                    return false;
            }
        }

        private static string ExpectedNumber(Identifier id) => id.Type == SearchKeyType.Metric
            ? "Expected numeric value type for metric. Found "
            : "Expected numeric value type for numeric attribute: " + id.Key + ". Found ";

        private static string ExpectedQuoted(Identifier id, SearchToken value)
        {
            if (value.Kind == SearchTokenKind.Word && id.Type != SearchKeyType.Dataset)
                return "Parameter value is either not quoted or unidentified quote types used for string value " + value.Text
                    + ". Use either single or double quotes (" + Describe(id) + ")";
            return id.Type switch
            {
                SearchKeyType.Param => "Expected a quoted string value for parameter (e.g. 'my-value'). Got value " + value.Text,
                SearchKeyType.Tag => "Expected a quoted string value for tag (e.g. 'my-value'). Got value " + value.Text,
                SearchKeyType.Dataset => "Expected a quoted string value for dataset attributes. Got value " + value.Text,
                _ => "Expected a quoted string value for attributes. Got value " + value.Text + " (" + Describe(id) + ")",
            };
        }

        /// <summary>The items of <c>('a', 'b')</c>: single-quoted strings only, at least one (as MLflow); null after a syntax problem.</summary>
        private static List<string>? ParseList(string text, List<SearchToken> tokens, ref int i, SearchParseResult result)
        {
            var open = tokens[i];
            if (open.Kind != SearchTokenKind.LParen)
            {
                result.Problems.Add(new SearchProblem(SearchProblemKind.Syntax, open.Start, open.Length,
                    "Invalid clause(s) in filter string: IN needs a parenthesised list of quoted strings, e.g. ('a', 'b'), but found '" + open.Text + "'"));
                return null;
            }
            i++;
            var items = new List<string>();
            if (i < tokens.Count && tokens[i].Kind == SearchTokenKind.RParen)
            {
                result.Problems.Add(new SearchProblem(SearchProblemKind.Syntax, open.Start, tokens[i].End - open.Start,
                    "While parsing a list in the query, expected a non-empty list of string values, but got empty list"));
                i++;
                return null;
            }
            while (true)
            {
                if (i >= tokens.Count)
                {
                    result.Problems.Add(new SearchProblem(SearchProblemKind.Syntax, open.Start, text.Length - open.Start,
                        "Invalid clause(s) in filter string: unclosed '(' of the IN list at offset " + open.Start));
                    return null;
                }
                var item = tokens[i++];
                if (item.Kind == SearchTokenKind.Number || (item.Kind == SearchTokenKind.Word && !IsReserved(item.Text)))
                {
                    result.Problems.Add(new SearchProblem(SearchProblemKind.UnquotedValue, item.Start, item.Length,
                        "While parsing a list in the query, expected string value, punctuation, or whitespace, but got different type in list: "
                        + item.Text + " (quote it: '" + item.Text + "')", "'" + item.Text + "'"));
                }
                else if (item.Kind == SearchTokenKind.String && item.Quote == '\'')
                {
                    items.Add(item.Value);
                }
                else if (item.Kind == SearchTokenKind.String || item.Kind == SearchTokenKind.QuotedIdentifier)
                {
                    result.Problems.Add(new SearchProblem(SearchProblemKind.UnquotedValue, item.Start, item.Length,
                        "While parsing a list in the query, expected string value, punctuation, or whitespace, but got different type in list: "
                        + item.Text + " (list items take single quotes)", "'" + item.Value + "'"));
                }
                else
                {
                    result.Problems.Add(new SearchProblem(SearchProblemKind.Syntax, item.Start, item.Length,
                        "Invalid clause(s) in filter string: expected a quoted string in the IN list but found '" + item.Text + "'"));
                    return null;
                }
                if (i >= tokens.Count)
                {
                    result.Problems.Add(new SearchProblem(SearchProblemKind.Syntax, open.Start, text.Length - open.Start,
                        "Invalid clause(s) in filter string: unclosed '(' of the IN list at offset " + open.Start));
                    return null;
                }
                var next = tokens[i++];
                if (next.Kind == SearchTokenKind.RParen) return items;
                if (next.Kind != SearchTokenKind.Comma)
                {
                    result.Problems.Add(new SearchProblem(SearchProblemKind.Syntax, next.Start, next.Length,
                        "Invalid clause(s) in filter string: expected ',' or ')' in the IN list but found '" + next.Text + "'"));
                    return null;
                }
            }
        }

        /// <summary>
        /// One identifier: <c>key</c> (an attribute) or <c>type.key</c>, either part quoted. Like MLflow, a backticked
        /// entity type (<c>`metrics`.loss</c>) names the type for runs, not for experiments, and with
        /// <paramref name="unquoteAll"/> (an order_by clause with a direction) every quote is dropped first, so
        /// <c>"metrics.loss" DESC</c> orders by a metric.
        /// </summary>
        private static Identifier? ParseIdentifier(string text, List<SearchToken> tokens, ref int i, SearchParseResult result, SearchTarget target,
            bool orderBy, bool unquoteAll)
        {
            if (i >= tokens.Count)
            {
                result.Problems.Add(new SearchProblem(SearchProblemKind.Syntax, text.Length, 0,
                    "Invalid clause(s) in filter string: expected an identifier at the end"));
                return null;
            }
            var token = tokens[i];
            var problemKind = orderBy ? SearchProblemKind.InvalidOrderBy : SearchProblemKind.Syntax;
            var id = new Identifier { Start = token.Start, Length = token.Length };
            string? typeWord = null;
            var typeStart = token.Start;
            switch (token.Kind)
            {
                case SearchTokenKind.QuotedIdentifier or SearchTokenKind.String when token.Quote != '\'' && unquoteAll && token.Value.IndexOf('.') > 0:
                    // shlex turns `"metrics.loss" DESC` into metrics.loss.
                    var split = token.Value.IndexOf('.');
                    typeWord = token.Value.Substring(0, split);
                    typeStart = token.Start + 1;
                    id.Key = token.Value.Substring(split + 1);
                    id.KeyStart = token.Start + 1 + split + 1;
                    id.KeyLength = id.Key.Length;
                    break;
                case SearchTokenKind.Word when token.QuotedEntityLength > 0:
                    var quotedType = token.Text.Substring(0, token.QuotedEntityLength);
                    var trimType = unquoteAll || (quotedType[0] == '`' && target == SearchTarget.Runs);
                    typeWord = trimType ? token.EntityValue : quotedType;
                    if (trimType) typeStart = token.Start + 1;
                    if (token.QuotedKeyStart >= 0)
                    {
                        id.Key = token.Value;
                        id.KeyStart = token.QuotedKeyStart;
                    }
                    else
                    {
                        id.KeyStart = token.Start + token.QuotedEntityLength + 1;
                        id.Key = text.Substring(id.KeyStart, token.End - id.KeyStart);
                    }
                    id.KeyLength = id.Key.Length;
                    if (unquoteAll && typeWord.IndexOf('.') >= 0)
                    {
                        // shlex joins `metrics.x`.loss into metrics.x.loss, which splits at its first period.
                        var joined = typeWord + "." + id.Key;
                        var first = joined.IndexOf('.');
                        typeWord = joined.Substring(0, first);
                        id.Key = joined.Substring(first + 1);
                    }
                    break;
                case SearchTokenKind.QuotedIdentifier:
                case SearchTokenKind.String when token.Quote == '"':
                    id.Key = token.Value;
                    id.KeyStart = token.Start + 1;
                    id.KeyLength = token.Length - 2;
                    break;
                case SearchTokenKind.Word when !IsReserved(token.Text) || token.QuotedKeyStart >= 0:
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
                        (orderBy ? "Invalid order_by clause '" + text + "'. Could not be parsed" : "Invalid clause(s) in filter string: '" + text.Substring(token.Start) + "'")
                        + ": expected an identifier such as metrics.loss, params.lr or run_name but found '" + token.Text + "'"));
                    return null;
            }
            i++;

            if (typeWord is null)
            {
                id.Type = SearchKeyType.Attribute;
            }
            else
            {
                var type = ParseType(typeWord, target);
                if (type is null)
                {
                    result.Problems.Add(new SearchProblem(SearchProblemKind.InvalidIdentifier, typeStart, typeWord.Length,
                        "Invalid entity type '" + typeWord + "'. Valid values are "
                        + (target == SearchTarget.Experiments ? "('attribute', 'tag', 'tags')" : "['metric', 'parameter', 'tag', 'attribute', 'dataset']")));
                    return null;
                }
                id.Type = type.Value;
            }
            if (id.Key.Length == 0)
            {
                result.Problems.Add(new SearchProblem(problemKind, id.Start, id.Length,
                    "Invalid identifier '" + token.Text + "': it names no key (quote keys with special characters: params.`my key`)"));
                return null;
            }

            switch (id.Type)
            {
                case SearchKeyType.Attribute:
                    return ResolveAttribute(id, result, target, orderBy, bare: typeWord is null) ? id : null;
                case SearchKeyType.Dataset:
                    if (Array.IndexOf(DatasetFields, id.Key) < 0)
                    {
                        result.Problems.Add(new SearchProblem(SearchProblemKind.InvalidIdentifier, id.KeyStart, id.KeyLength,
                            "Invalid dataset key '" + id.Key + "' specified. Valid keys are 'name', 'digest', 'context'"));
                        return null;
                    }
                    return id;
                default:
                    result.Keys.Add(new SearchKeyReference(id.Type, id.Key, id.KeyStart, id.KeyLength));
                    return id;
            }
        }

        private static bool ResolveAttribute(Identifier id, SearchParseResult result, SearchTarget target, bool orderBy, bool bare)
        {
            string resolved;
            string[] numeric;
            bool valid;
            string validList;
            if (target == SearchTarget.Experiments)
            {
                resolved = id.Key;
                numeric = ExperimentNumericAttributes;
                valid = orderBy ? Array.IndexOf(ExperimentOrderAttributes, resolved) >= 0
                    : Array.IndexOf(ExperimentStringAttributes, resolved) >= 0 || Array.IndexOf(numeric, resolved) >= 0;
                validList = orderBy ? "'name', 'experiment_id', 'creation_time', 'last_update_time'" : "'name', 'creation_time', 'last_update_time'";
            }
            else
            {
                // `run name` and its spellings are filter aliases only; order_by knows `created` but not them (as MLflow).
                resolved = id.Key switch
                {
                    "created" or "Created" => "start_time",
                    "run name" or "Run name" or "Run Name" when !orderBy => "run_name",
                    _ => id.Key,
                };
                numeric = NumericAttributes;
                valid = Array.IndexOf(StringAttributes, resolved) >= 0 || Array.IndexOf(numeric, resolved) >= 0;
                validList = RunAttributeList + (orderBy ? ", 'created'" : ", 'created', 'run name'");
            }
            if (!valid)
            {
                result.Problems.Add(new SearchProblem(SearchProblemKind.InvalidIdentifier, id.KeyStart, id.KeyLength,
                    "Invalid attribute key '" + id.Key + "' specified. Valid keys are " + validList
                    + (bare && target == SearchTarget.Runs ? " (a metric, param or tag needs its prefix, e.g. metrics." + id.Key + ")" : "")));
                return false;
            }
            id.Key = resolved;
            id.IsNumericAttribute = Array.IndexOf(numeric, resolved) >= 0;
            return true;
        }

        private static SearchKeyType? ParseType(string word, SearchTarget target)
        {
            if (target == SearchTarget.Experiments)
            {
                // search_experiments knows exactly these spellings (case-sensitive).
                switch (word)
                {
                    case "attribute": return SearchKeyType.Attribute;
                    case "tag":
                    case "tags": return SearchKeyType.Tag;
                    default: return null;
                }
            }
            // Case-sensitive, as MLflow: Metrics.loss is an invalid entity type.
            switch (word)
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

        private static bool IsValidComparator(SearchComparator comparator, bool numeric) => numeric
            ? comparator <= SearchComparator.GreaterOrEqual
            : comparator == SearchComparator.Equal || comparator == SearchComparator.NotEqual || comparator == SearchComparator.Like || comparator == SearchComparator.ILike;

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

        private static bool IsNumber(string text, bool integer) => TryParseNumber(text.Trim(), integer, out _);

        /// <summary>
        /// A whole number literal: metrics take any float (<c>1e300</c>, <c>-0.5</c>; beyond double range it is ±inf,
        /// as Python's float()); run times take integers only (MLflow applies int() to them).
        /// </summary>
        private static bool TryParseNumber(string text, bool integer, out double value)
        {
            value = 0;
            if (text.Length == 0 || SearchLexer.ScanNumber(text, 0) != text.Length) return false;
            if (integer)
            {
                if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole)) return false;
                value = whole;
                return true;
            }
            return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        }
    }
}
