using Qlib.Tracked.Entities;
using Qlib.Tracked.Search;

namespace Qlib.Tracked.Stores.Search;

/// <summary>
/// MLflow's <c>search_experiments</c> over any list of experiments (reference §3): a filter on <c>name</c>
/// (<c>= != LIKE ILIKE</c>), <c>creation_time</c>/<c>last_update_time</c> (numeric) and <c>tags.&lt;key&gt;</c>;
/// order_by on <c>name</c>, <c>experiment_id</c>, <c>creation_time</c>, <c>last_update_time</c> with missing
/// values last in both directions and, when no clause names experiment_id, experiment_id DESC as the
/// tie-breaker (MLflow's); no order_by is <c>creation_time DESC, experiment_id ASC</c>.
/// </summary>
public static class ExperimentSearch
{
    private static readonly IReadOnlyList<string> DefaultOrder = ["creation_time DESC", "experiment_id ASC"];

    /// <summary>Filters, orders and pages <paramref name="experiments"/>; <paramref name="numericIds"/> is true for stores whose
    /// ids are integers (MLflow's SQL store), where experiment_id orders as a number.</summary>
    public static PagedList<ExperimentInfo> Apply(IEnumerable<ExperimentInfo> experiments, string? filter, int maxResults,
        IReadOnlyList<string>? orderBy, string? pageToken, bool numericIds = false)
    {
        ArgumentNullException.ThrowIfNull(experiments);
        Validation.MlflowValidation.ValidateMaxResults(maxResults);
        var conditions = ParseFilter(filter);
        var keys = ParseOrder(orderBy is null || orderBy.Count == 0 ? DefaultOrder : orderBy, numericIds);
        var offset = SearchPageToken.Decode(pageToken);

        var matches = new List<ExperimentInfo>();
        foreach (var experiment in experiments)
        {
            if (conditions.All(c => c.Matches(experiment))) matches.Add(experiment);
        }
        var sorted = matches.Select((e, i) => (e, i)).ToList();
        sorted.Sort((a, b) =>
        {
            foreach (var key in keys)
            {
                var c = key.Compare(a.e, b.e);
                if (c != 0) return c;
            }
            return a.i.CompareTo(b.i);
        });
        return RunSearch.Page(sorted.ConvertAll(x => x.e), offset, maxResults);
    }

    private static ExperimentCondition[] ParseFilter(string? filter)
    {
        if (string.IsNullOrWhiteSpace(filter)) return [];
        var parsed = SearchFilterParser.ParseFilter(filter, SearchTarget.Experiments);
        SearchErrors.ThrowIfInvalid(parsed, filter, "filter");
        return parsed.Comparisons.Select(c => new ExperimentCondition(c)).ToArray();
    }

    private static List<ExperimentOrderKey> ParseOrder(IReadOnlyList<string> orderBy, bool numericIds)
    {
        var keys = new List<ExperimentOrderKey>();
        foreach (var clause in orderBy)
        {
            var text = clause ?? "";
            var parsed = SearchFilterParser.ParseOrderBy(text, SearchTarget.Experiments);
            SearchErrors.ThrowIfInvalid(parsed, text, "order_by clause");
            keys.Add(new ExperimentOrderKey(parsed.Order!.Key, parsed.Order.Descending, numericIds));
        }
        if (!keys.Any(k => k.Key == "experiment_id")) keys.Add(new ExperimentOrderKey("experiment_id", Descending: true, numericIds));
        return keys;
    }

    private sealed class ExperimentCondition(SearchComparison comparison)
    {
        private readonly TextMatcher _text = new(comparison.Comparator, comparison.Value);

        public bool Matches(ExperimentInfo experiment)
        {
            if (comparison.Type == SearchKeyType.Tag)
                return experiment.Tags.TryGetValue(comparison.Key, out var tag) && _text.IsMatch(tag);
            if (comparison.IsNumeric)
            {
                var time = comparison.Key == "creation_time" ? experiment.CreationTime : experiment.LastUpdateTime;
                return time is { } t && RunCondition.Compare((double)t, comparison.Comparator, comparison.Number);
            }
            return _text.IsMatch(experiment.Name);
        }
    }

    private sealed record ExperimentOrderKey(string Key, bool Descending, bool NumericIds)
    {
        public int Compare(ExperimentInfo a, ExperimentInfo b)
        {
            int c;
            switch (Key)
            {
                case "name":
                    c = string.CompareOrdinal(a.Name, b.Name);
                    break;
                case "experiment_id":
                    // Integer ids (no sign, no leading zeros) order as numbers when the shorter is the smaller.
                    c = NumericIds && a.ExperimentId.Length != b.ExperimentId.Length
                        ? a.ExperimentId.Length.CompareTo(b.ExperimentId.Length)
                        : string.CompareOrdinal(a.ExperimentId, b.ExperimentId);
                    break;
                default:
                    var x = Key == "creation_time" ? a.CreationTime : a.LastUpdateTime;
                    var y = Key == "creation_time" ? b.CreationTime : b.LastUpdateTime;
                    if (x is null || y is null) return (x is null).CompareTo(y is null); // missing last, both directions
                    c = x.Value.CompareTo(y.Value);
                    break;
            }
            return Descending ? -c : c;
        }
    }
}
