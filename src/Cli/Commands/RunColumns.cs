using Qlib.Tracked.Entities;
using Qlib.Tracked.Tool.Output;

namespace Qlib.Tracked.Tool.Commands;

/// <summary>An extra table column chosen with <c>--columns</c>: a param, a metric or a tag of each run.</summary>
internal sealed record RunColumn(string Header, Func<Run, string> Cell, bool IsNumber)
{
    /// <summary>
    /// Parses <c>params.KEY</c>, <c>metrics.KEY</c> or <c>tags.KEY</c> (singular prefixes too); the key is
    /// everything after the first dot, as in MLflow's filter identifiers.
    /// </summary>
    public static RunColumn Parse(string spec)
    {
        var dot = spec.IndexOf('.');
        var kind = dot < 0 ? "" : spec[..dot];
        var key = dot < 0 ? "" : spec[(dot + 1)..];
        if (key.Length > 0)
        {
            switch (kind)
            {
                case "params" or "param":
                    return new RunColumn("params." + key, run => run.Data.Params.TryGetValue(key, out var v) ? v : ValueText.Missing, false);
                case "metrics" or "metric":
                    return new RunColumn("metrics." + key,
                        run => run.Data.Metrics.TryGetValue(key, out var m) ? ValueText.Number(m.Value) : ValueText.Missing, true);
                case "tags" or "tag":
                    return new RunColumn("tags." + key, run => run.Data.Tags.TryGetValue(key, out var v) ? v : ValueText.Missing, false);
            }
        }
        throw TrackingException.InvalidParameter(
            $"Invalid --columns '{spec}': use params.KEY, metrics.KEY or tags.KEY.");
    }
}
