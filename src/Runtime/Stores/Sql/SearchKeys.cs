using Qlib.Tracked.Search;
using Qlib.Tracked.Stores.Search;

namespace Qlib.Tracked.Stores.Sql;

/// <summary>
/// The metric, param and tag keys (and whether dataset inputs) a run search's filter and order_by read: the only
/// run data a search needs for its candidates. The page it returns is then read whole.
/// </summary>
internal sealed record SearchKeys(IReadOnlyList<string> Metrics, IReadOnlyList<string> Params, IReadOnlyList<string> Tags, bool Inputs)
{
    /// <summary>The keys of an already validated filter and order_by.</summary>
    public static SearchKeys Of(RunFilter filter, IReadOnlyList<string>? orderBy)
    {
        var metrics = new HashSet<string>(StringComparer.Ordinal);
        var parameters = new HashSet<string>(StringComparer.Ordinal);
        var tags = new HashSet<string>(StringComparer.Ordinal);
        var inputs = false;
        void Add(SearchKeyType type, string key)
        {
            switch (type)
            {
                case SearchKeyType.Metric: metrics.Add(key); break;
                case SearchKeyType.Param: parameters.Add(key); break;
                case SearchKeyType.Tag: tags.Add(key); break;
                case SearchKeyType.Dataset: inputs = true; break;
            }
        }
        foreach (var comparison in filter.Comparisons) Add(comparison.Type, comparison.Key);
        foreach (var clause in orderBy ?? [])
        {
            var parsed = SearchFilterParser.ParseOrderBy(clause ?? "", SearchTarget.Runs);
            if (parsed.Order is { } order) Add(order.Type, order.Key);
        }
        return new SearchKeys([.. metrics], [.. parameters], [.. tags], inputs);
    }
}
