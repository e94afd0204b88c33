using Qlib.Tracked.Entities;

namespace Qlib.Tracked.Stores.Search;

/// <summary>
/// MLflow's run search over any sequence of runs: filter, order, then the page at the token's offset
/// (reference §3). Stores supply the runs — the file store by reading run folders, an index from its
/// own records — and get identical answers.
/// </summary>
public static class RunSearch
{
    /// <summary>MLflow's <c>SEARCH_MAX_RESULTS_THRESHOLD</c>.</summary>
    public const int MaxResultsLimit = 50_000;

    /// <summary>MLflow's default <c>max_results</c>.</summary>
    public const int DefaultMaxResults = 1000;

    /// <summary>Parses everything first, so bad input fails before any run is read.</summary>
    public static RunQuery Prepare(string? filter, IReadOnlyList<string>? orderBy, int maxResults, string? pageToken)
    {
        Validation.MlflowValidation.ValidateMaxResults(maxResults);
        return new RunQuery(RunFilter.Parse(filter), RunOrdering.Parse(orderBy), maxResults, SearchPageToken.Decode(pageToken));
    }

    /// <summary>Filters, orders and pages <paramref name="runs"/>.</summary>
    public static PagedList<Run> Apply(IEnumerable<Run> runs, RunQuery query) => Apply(runs, query, 1);

    /// <summary>Runs of at least this many are filtered on several threads when allowed.</summary>
    public const int ParallelThreshold = 2048;

    /// <summary>
    /// Filters, orders and pages <paramref name="runs"/>; a list of at least <see cref="ParallelThreshold"/> runs is
    /// filtered on up to <paramref name="degreeOfParallelism"/> threads (for runs whose values are checked against
    /// files as the filter reads them; each run must be safe to read from one thread while others read other runs).
    /// The answer is the same either way: matches keep their input order.
    /// </summary>
    public static PagedList<Run> Apply(IEnumerable<Run> runs, RunQuery query, int degreeOfParallelism)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(degreeOfParallelism, 1);
        var matches = new List<Run>();
        if (degreeOfParallelism > 1 && runs is IReadOnlyList<Run> list && list.Count >= ParallelThreshold && query.Filter != RunFilter.MatchAll)
        {
            var matched = new bool[list.Count];
            var ranges = System.Collections.Concurrent.Partitioner.Create(0, list.Count, Math.Max(256, list.Count / (degreeOfParallelism * 8)));
            Parallel.ForEach(ranges, new ParallelOptions { MaxDegreeOfParallelism = degreeOfParallelism }, range =>
            {
                for (var i = range.Item1; i < range.Item2; i++) matched[i] = query.Filter.Matches(list[i]);
            });
            for (var i = 0; i < matched.Length; i++)
            {
                if (matched[i]) matches.Add(list[i]);
            }
        }
        else
        {
            foreach (var run in runs)
            {
                if (query.Filter.Matches(run)) matches.Add(run);
            }
        }
        return OrderAndPage(matches, query);
    }

    /// <summary>Orders runs that already passed the query's filter and cuts the page (the matches list is reordered in place).</summary>
    private static PagedList<Run> OrderAndPage(List<Run> matches, RunQuery query)
    {
        // Only the runs up to the end of the page need their order; the rest only count towards the next token.
        var needed = (int)Math.Min((long)query.Offset + query.MaxResults, int.MaxValue);
        query.Ordering.SortTop(matches, needed);
        return Page(matches, query.Offset, query.MaxResults);
    }

    /// <summary>The slice [offset, offset + maxResults) and the token of the next one (null when none is left).</summary>
    public static PagedList<T> Page<T>(List<T> sorted, int offset, int maxResults)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        var start = Math.Min(offset, sorted.Count);
        var count = Math.Min(maxResults, sorted.Count - start);
        var page = sorted.GetRange(start, count);
        var end = (long)offset + maxResults;
        var next = end < sorted.Count ? SearchPageToken.Encode((int)end) : null;
        return new PagedList<T>(page, next);
    }
}

/// <summary>A parsed run search: filter, ordering, page size and offset.</summary>
public sealed record RunQuery(RunFilter Filter, RunOrdering Ordering, int MaxResults, int Offset);
