using System.Diagnostics.CodeAnalysis;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Search;

namespace Qlib.Tracked.Stores.Search;

/// <summary>
/// Where MLflow's SQL store answers a search differently from its file store (observed on the same data with
/// MLflow 2.12, identical on SQLite and PostgreSQL): a NaN metric is compared through its stored value 0, and an
/// <c>order_by</c> naming one field twice is refused. Everything else is the shared semantics.
/// </summary>
internal static class SqlSearchRules
{
    /// <summary>MLflow's <c>"`order_by` contains duplicate fields"</c> (INVALID_PARAMETER_VALUE); clauses are compared after alias resolution.</summary>
    public static void RefuseDuplicateOrderBy(IReadOnlyList<string>? orderBy, SearchTarget target)
    {
        if (orderBy is null || orderBy.Count < 2) return;
        var seen = new HashSet<(SearchKeyType, string)>();
        foreach (var clause in orderBy)
        {
            var parsed = SearchFilterParser.ParseOrderBy(clause ?? "", target);
            if (!parsed.IsValid) return; // reported with its position by the ordering's own parse
            if (!seen.Add((parsed.Order!.Type, parsed.Order.Key)))
                throw TrackingException.InvalidParameter(
                    $"`order_by` contains duplicate fields: [{string.Join(", ", orderBy.Select(o => "'" + o + "'"))}]");
        }
    }

    /// <summary>Filters runs as the SQL store does: a NaN latest metric takes part in comparisons as its stored 0.</summary>
    public static bool Matches(RunFilter filter, Run run) => filter.Matches(new NaNAsStoredZero(run));

    private sealed class NaNAsStoredZero(Run run) : IRunFacts
    {
        public RunInfo Info => run.Info;

        public IReadOnlyList<DatasetInput> Inputs => run.Inputs;

        public bool TryGetMetric(string key, [MaybeNullWhen(false)] out Metric metric)
        {
            if (!run.Data.Metrics.TryGetValue(key, out metric)) return false;
            if (double.IsNaN(metric.Value)) metric = metric with { Value = 0 };
            return true;
        }

        public bool TryGetParam(string key, [MaybeNullWhen(false)] out string value) => run.Data.Params.TryGetValue(key, out value);

        public bool TryGetTag(string key, [MaybeNullWhen(false)] out string value) => run.Data.Tags.TryGetValue(key, out value);
    }
}
