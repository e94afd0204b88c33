// What SearchFilterParser produces: problems with exact spans, the keys a text refers to, and the parsed
// comparisons / order clause the runtime evaluates. Shared by the analyzers (netstandard2.0) and the runtime,
// so plain C# without newer BCL APIs.
#nullable enable
using System.Collections.Generic;

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

        /// <summary>MLflow's wording first (where MLflow has one), then what we add.</summary>
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

    /// <summary>Which of MLflow's two grammars: runs (<c>search_runs</c>) or experiments (<c>search_experiments</c>).</summary>
    internal enum SearchTarget
    {
        Runs,
        Experiments,
    }

    internal enum SearchComparator
    {
        Equal,
        NotEqual,
        Less,
        LessOrEqual,
        Greater,
        GreaterOrEqual,
        Like,
        ILike,
        In,
        NotIn,
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

    /// <summary>
    /// One <c>&lt;identifier&gt; &lt;comparator&gt; &lt;value&gt;</c> of a valid filter, aliases resolved
    /// (<c>created</c> → <c>start_time</c>, <c>Run name</c> → <c>run_name</c>).
    /// </summary>
    internal sealed class SearchComparison
    {
        public SearchComparison(SearchKeyType type, string key, bool isNumeric, SearchComparator comparator, string value,
            double number, IReadOnlyList<string>? values, int start, int length)
        {
            Type = type;
            Key = key;
            IsNumeric = isNumeric;
            Comparator = comparator;
            Value = value;
            Number = number;
            Values = values;
            Start = start;
            Length = length;
        }

        public SearchKeyType Type { get; }

        public string Key { get; }

        /// <summary>A metric or a numeric attribute (times): <see cref="Number"/> holds the value.</summary>
        public bool IsNumeric { get; }

        public SearchComparator Comparator { get; }

        /// <summary>
        /// The string between the value's quotes exactly as written (MLflow trims the quotes and does not
        /// unescape: <c>'it''s'</c> compares with <c>it''s</c>), or the number literal.
        /// </summary>
        public string Value { get; }

        /// <summary>The parsed number (metrics: float, may be ±inf; run times: an integer).</summary>
        public double Number { get; }

        /// <summary>The items of an <c>IN</c>/<c>NOT IN</c> list, as written; null for other comparators.</summary>
        public IReadOnlyList<string>? Values { get; }

        /// <summary>Where the comparison starts in the filter (its identifier).</summary>
        public int Start { get; }

        /// <summary>Length up to the end of the value.</summary>
        public int Length { get; }
    }

    /// <summary>One valid <c>&lt;identifier&gt; [ASC|DESC]</c> clause, aliases resolved.</summary>
    internal sealed class SearchOrderClause
    {
        public SearchOrderClause(SearchKeyType type, string key, bool descending)
        {
            Type = type;
            Key = key;
            Descending = descending;
        }

        public SearchKeyType Type { get; }

        public string Key { get; }

        public bool Descending { get; }
    }

    internal sealed class SearchParseResult
    {
        public List<SearchProblem> Problems { get; } = new List<SearchProblem>();

        public List<SearchKeyReference> Keys { get; } = new List<SearchKeyReference>();

        /// <summary>The comparisons of a filter (complete only when <see cref="IsValid"/>).</summary>
        public List<SearchComparison> Comparisons { get; } = new List<SearchComparison>();

        /// <summary>The parsed order-by clause when <see cref="IsValid"/>; null for filters.</summary>
        public SearchOrderClause? Order { get; set; }

        public bool IsValid => Problems.Count == 0;
    }
}
