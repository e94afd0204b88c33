using Qlib.Tracked.Entities;
using Qlib.Tracked.Search;

namespace Qlib.Tracked.Stores.Search;

/// <summary>
/// A compiled MLflow run filter (reference §3): comparisons joined by AND on <c>metrics.</c>, <c>params.</c>,
/// <c>tags.</c>, run attributes and <c>datasets.</c>, parsed once by the grammar the analyzers also use, then
/// evaluated against any sequence of <see cref="Run"/>s — the file store's scan or an index — without
/// allocating per run. Invalid text is INVALID_PARAMETER_VALUE naming the problem and its offset.
/// Immutable once parsed; thread-safe.
/// </summary>
/// <remarks>
/// Differences from MLflow's file store, chosen deliberately: LIKE/ILIKE have SQL semantics (see
/// <see cref="SqlLike"/>), and every comparison is validated when parsed (MLflow checks comparators only
/// while matching, so an invalid one passes silently when there is no run to match).
/// </remarks>
public sealed class RunFilter
{
    private readonly RunCondition[] _conditions;

    private RunFilter(string? text, RunCondition[] conditions, IReadOnlyList<SearchComparison> comparisons)
    {
        Text = text;
        _conditions = conditions;
        Comparisons = comparisons;
    }

    /// <summary>No filter: every run matches.</summary>
    public static RunFilter MatchAll { get; } = new(null, [], []);

    /// <summary>The filter string as given (null for <see cref="MatchAll"/>).</summary>
    public string? Text { get; }

    /// <summary>The parsed comparisons, for stores that can answer some of them from an index.</summary>
    internal IReadOnlyList<SearchComparison> Comparisons { get; }

    /// <summary>Parses and compiles <paramref name="filter"/>; null or blank is <see cref="MatchAll"/>.</summary>
    public static RunFilter Parse(string? filter)
    {
        if (string.IsNullOrWhiteSpace(filter)) return MatchAll;
        var parsed = SearchFilterParser.ParseFilter(filter, SearchTarget.Runs);
        SearchErrors.ThrowIfInvalid(parsed, filter, "filter");
        var conditions = new RunCondition[parsed.Comparisons.Count];
        for (var i = 0; i < conditions.Length; i++) conditions[i] = RunCondition.Compile(parsed.Comparisons[i]);
        return new RunFilter(filter, conditions, parsed.Comparisons);
    }

    /// <summary>Whether <paramref name="run"/> satisfies every clause of the filter.</summary>
    public bool Matches(Run run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return Matches((IRunFacts)run);
    }

    internal bool Matches(IRunFacts run)
    {
        foreach (var condition in _conditions)
        {
            if (!condition.Matches(run)) return false;
        }
        return true;
    }
}
