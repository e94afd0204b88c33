using Qlib.Tracked.Entities;

namespace Qlib.Tracked.Stores.Search;

/// <summary>
/// MLflow's run order: the order_by clauses (<c>&lt;identifier&gt; [ASC|DESC]</c>) in turn, then the
/// natural order start_time DESC, run_id ASC. Missing values sort last in both directions; NaN
/// metrics after numbers but before missing ones (observed on MLflow 2.12).
/// </summary>
internal sealed class RunOrdering : IComparer<Run>
{
    private readonly Clause[] _clauses;

    private RunOrdering(Clause[] clauses) => _clauses = clauses;

    private sealed record Clause(SearchIdentifier Identifier, bool Descending);

    public static RunOrdering Parse(IReadOnlyList<string>? orderBy)
    {
        if (orderBy is null || orderBy.Count == 0) return new RunOrdering([]);
        var clauses = new Clause[orderBy.Count];
        for (var i = 0; i < orderBy.Count; i++)
        {
            var text = orderBy[i] ?? "";
            var tokens = new SearchTokenizer(text);
            var identifier = tokens.ReadIdentifier();
            var descending = false;
            if (!tokens.AtEnd)
            {
                var direction = tokens.ReadWord();
                if (direction.Equals("DESC", StringComparison.OrdinalIgnoreCase)) descending = true;
                else if (!direction.Equals("ASC", StringComparison.OrdinalIgnoreCase) || !tokens.AtEnd)
                    throw TrackingException.InvalidParameter($"Invalid ordering key in order_by clause '{text}'.");
            }
            clauses[i] = new Clause(identifier, descending);
        }
        return new RunOrdering(clauses);
    }

    public int Compare(Run? x, Run? y)
    {
        foreach (var clause in _clauses)
        {
            var c = CompareBy(clause, x!, y!);
            if (c != 0) return c;
        }
        var byStart = y!.Info.StartTime.CompareTo(x!.Info.StartTime);
        return byStart != 0 ? byStart : string.CompareOrdinal(x.Info.RunId, y.Info.RunId);
    }

    private static int CompareBy(Clause clause, Run x, Run y)
    {
        var key = clause.Identifier.Key;
        switch (clause.Identifier.Entity)
        {
            case SearchEntity.Metric:
                return CompareNumbers(Metric(x, key), Metric(y, key), clause.Descending);
            case SearchEntity.Param:
                return CompareTexts(x.Data.Params.GetValueOrDefault(key), y.Data.Params.GetValueOrDefault(key), clause.Descending);
            case SearchEntity.Tag:
                return CompareTexts(x.Data.Tags.GetValueOrDefault(key), y.Data.Tags.GetValueOrDefault(key), clause.Descending);
            default:
                if (clause.Identifier.IsNumericAttribute)
                    return key == "start_time"
                        ? CompareNumbers(x.Info.StartTime, y.Info.StartTime, clause.Descending)
                        : CompareNumbers(x.Info.EndTime, y.Info.EndTime, clause.Descending);
                return CompareTexts(
                    SimpleRunFilter.StringAttribute(x.Info, key), SimpleRunFilter.StringAttribute(y.Info, key), clause.Descending);
        }
    }

    private static double? Metric(Run run, string key) => run.Data.Metrics.TryGetValue(key, out var m) ? m.Value : null;

    /// <summary>Rank 0 = a number, 1 = NaN, 2 = missing; ranks ascend in both directions.</summary>
    private static int CompareNumbers(double? a, double? b, bool descending)
    {
        var rankA = a is null ? 2 : double.IsNaN(a.Value) ? 1 : 0;
        var rankB = b is null ? 2 : double.IsNaN(b.Value) ? 1 : 0;
        if (rankA != rankB || rankA != 0) return rankA.CompareTo(rankB);
        var c = a!.Value.CompareTo(b!.Value);
        return descending ? -c : c;
    }

    private static int CompareTexts(string? a, string? b, bool descending)
    {
        if (a is null || b is null) return (a is null ? 1 : 0).CompareTo(b is null ? 1 : 0);
        var c = string.CompareOrdinal(a, b);
        return descending ? -c : c;
    }
}
