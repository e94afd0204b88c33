using Qlib.Tracked.Entities;

namespace Qlib.Tracked.Stores.Search;

/// <summary>
/// The subset of MLflow's run filter grammar supported for now: comparisons joined by AND.
/// <list type="bullet">
/// <item><c>metrics.k &lt;op&gt; number</c> with = != &lt; &lt;= &gt; &gt;= on the latest value (NaN: only != matches);</item>
/// <item><c>params.k</c>, <c>tags.k</c>, and string attributes (run_id, run_name, user_id, status,
/// artifact_uri) with = != LIKE ILIKE against a quoted string;</item>
/// <item><c>attributes.start_time|end_time</c> (alias <c>created</c>) with numeric comparators.</item>
/// </list>
/// A run lacking the key never matches, not even <c>!=</c> (as MLflow). LIKE uses SQL semantics
/// (<c>%</c> any run, <c>_</c> one char, everything else literal), not the file store's
/// regex quirks. Anything else (OR, IN, parentheses) is refused with INVALID_PARAMETER_VALUE until
/// the full grammar lands; this class is meant to be replaced then.
/// </summary>
internal sealed class SimpleRunFilter
{
    private readonly Comparison[] _comparisons;

    private SimpleRunFilter(Comparison[] comparisons) => _comparisons = comparisons;

    public static SimpleRunFilter MatchAll { get; } = new([]);

    private sealed record Comparison(SearchIdentifier Identifier, string Operator, string? Text, double Number);

    public static SimpleRunFilter Parse(string? filter)
    {
        if (string.IsNullOrWhiteSpace(filter)) return MatchAll;
        var tokens = new SearchTokenizer(filter);
        var comparisons = new List<Comparison>();
        while (true)
        {
            comparisons.Add(ReadComparison(ref tokens));
            if (tokens.AtEnd) break;
            var joiner = tokens.ReadWord();
            if (joiner.Equals("OR", StringComparison.OrdinalIgnoreCase))
                throw TrackingException.InvalidParameter($"Invalid clause(s) in filter string: 'OR'. Only AND is supported: '{filter}'.");
            if (!joiner.Equals("AND", StringComparison.OrdinalIgnoreCase))
                throw tokens.Unsupported($"expected AND before '{tokens.Rest}'");
        }
        return new SimpleRunFilter([.. comparisons]);
    }

    private static Comparison ReadComparison(ref SearchTokenizer tokens)
    {
        var identifier = tokens.ReadIdentifier();
        var op = tokens.ReadComparator();
        var numeric = identifier.Entity == SearchEntity.Metric || identifier.IsNumericAttribute;
        if (op is "IN" or "NOT IN")
        {
            if (identifier is { Entity: SearchEntity.Attribute, Key: "run_id" }) throw tokens.Unsupported("IN lists");
            throw TrackingException.InvalidParameter("Only the 'run_id' attribute supports comparison with a list of quoted string values.");
        }
        if (numeric)
        {
            if (op is not ("=" or "!=" or "<" or "<=" or ">" or ">="))
                throw TrackingException.InvalidParameter($"Invalid comparator '{op}' not one of '['=', '!=', '<', '<=', '>', '>=']'");
            if (tokens.TryReadString() is { } quoted)
                throw TrackingException.InvalidParameter(
                    $"Expected numeric value type for {(identifier.Entity == SearchEntity.Metric ? "metric" : "numeric attribute")}. Found '{quoted}'");
            var token = tokens.ReadBareToken();
            if (!SearchTokenizer.TryParseNumber(token, out var number))
                throw TrackingException.InvalidParameter($"Expected numeric value type for {identifier.Key}. Found {token}");
            return new Comparison(identifier, op, null, number);
        }

        if (op is not ("=" or "!=" or "LIKE" or "ILIKE"))
            throw TrackingException.InvalidParameter($"Invalid comparator '{op}' not one of '['=', '!=', 'LIKE', 'ILIKE']'");
        var text = tokens.TryReadString()
            ?? throw TrackingException.InvalidParameter(
                $"Expected a quoted string value for {EntityWord(identifier.Entity)}. Found {tokens.ReadBareToken()}");
        return new Comparison(identifier, op, text, 0);
    }

    private static string EntityWord(SearchEntity entity) => entity switch
    {
        SearchEntity.Param => "parameter",
        SearchEntity.Tag => "tag",
        _ => "attributes",
    };

    public bool Matches(Run run)
    {
        foreach (var c in _comparisons)
        {
            if (!Matches(run, c)) return false;
        }
        return true;
    }

    private static bool Matches(Run run, Comparison c)
    {
        switch (c.Identifier.Entity)
        {
            case SearchEntity.Metric:
                return run.Data.Metrics.TryGetValue(c.Identifier.Key, out var metric) && CompareNumber(metric.Value, c.Operator, c.Number);
            case SearchEntity.Param:
                return run.Data.Params.TryGetValue(c.Identifier.Key, out var param) && CompareText(param, c.Operator, c.Text!);
            case SearchEntity.Tag:
                return run.Data.Tags.TryGetValue(c.Identifier.Key, out var tag) && CompareText(tag, c.Operator, c.Text!);
            default:
                if (c.Identifier.IsNumericAttribute)
                {
                    var time = c.Identifier.Key == "start_time" ? run.Info.StartTime : run.Info.EndTime;
                    return time is { } t && CompareNumber(t, c.Operator, c.Number);
                }
                return CompareText(StringAttribute(run.Info, c.Identifier.Key), c.Operator, c.Text!);
        }
    }

    /// <summary>The text of a string attribute as MLflow compares it (status by name).</summary>
    public static string StringAttribute(RunInfo info, string key) => key switch
    {
        "run_id" => info.RunId,
        "run_name" => info.RunName,
        "user_id" => info.UserId,
        "status" => info.Status.ToMlflowString(),
        _ => info.ArtifactUri,
    };

    private static bool CompareNumber(double actual, string op, double expected) => op switch
    {
        "=" => actual == expected,
        "!=" => actual != expected, // NaN != x is true, as in MLflow's file store
        "<" => actual < expected,
        "<=" => actual <= expected,
        ">" => actual > expected,
        _ => actual >= expected,
    };

    private static bool CompareText(string actual, string op, string expected) => op switch
    {
        "=" => string.Equals(actual, expected, StringComparison.Ordinal),
        "!=" => !string.Equals(actual, expected, StringComparison.Ordinal),
        "LIKE" => SqlLike.IsMatch(actual, expected, ignoreCase: false),
        _ => SqlLike.IsMatch(actual, expected, ignoreCase: true),
    };
}
