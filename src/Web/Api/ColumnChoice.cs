using Qlib.Tracked.Entities;

namespace Qlib.Tracked.Web.Api;

/// <summary>
/// Which params, metrics and tags a runs page carries: all of them, or the columns named as
/// <c>params.KEY</c>, <c>metrics.KEY</c>, <c>tags.KEY</c> (singular prefixes accepted, as in filters).
/// Run info is always included; <c>none</c> alone asks for run info only.
/// </summary>
internal sealed class ColumnChoice
{
    private readonly HashSet<string>? _params;
    private readonly HashSet<string>? _metrics;
    private readonly HashSet<string>? _tags;

    private ColumnChoice(HashSet<string>? p, HashSet<string>? m, HashSet<string>? t) => (_params, _metrics, _tags) = (p, m, t);

    public static ColumnChoice All { get; } = new(null, null, null);

    public static ColumnChoice Parse(IReadOnlyList<string> columns)
    {
        if (columns.Count == 0) return All;
        HashSet<string> p = new(StringComparer.Ordinal), m = new(StringComparer.Ordinal), t = new(StringComparer.Ordinal);
        if (columns is ["none"]) return new ColumnChoice(p, m, t);
        foreach (var column in columns)
        {
            var dot = column.IndexOf('.');
            var prefix = dot < 0 ? column : column[..dot];
            var key = dot < 0 ? "" : column[(dot + 1)..];
            var set = prefix switch
            {
                "params" or "param" => p,
                "metrics" or "metric" => m,
                "tags" or "tag" => t,
                _ => null,
            };
            if (set is null || key.Length == 0)
                throw TrackingException.InvalidParameter(
                    $"Invalid column '{column}': a column is params.KEY, metrics.KEY or tags.KEY.");
            set.Add(key);
        }
        return new ColumnChoice(p, m, t);
    }

    public IEnumerable<KeyValuePair<string, string>> Params(RunData data) => Pick(data.Params, _params);
    public IEnumerable<KeyValuePair<string, Metric>> Metrics(RunData data) => Pick(data.Metrics, _metrics);
    public IEnumerable<KeyValuePair<string, string>> Tags(RunData data) => Pick(data.Tags, _tags);

    private static IEnumerable<KeyValuePair<string, T>> Pick<T>(IReadOnlyDictionary<string, T> all, HashSet<string>? chosen) =>
        chosen is null ? all : all.Where(p => chosen.Contains(p.Key));
}
