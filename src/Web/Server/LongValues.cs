using Qlib.Tracked.Entities;
using Qlib.Tracked.Validation;

namespace Qlib.Tracked.Web.Server;

/// <summary>
/// What MLflow's server (2.11+, <c>MLFLOW_TRUNCATE_LONG_VALUES</c> on by default) does with a param value over 6,000
/// characters or a run tag value over the tag limit: keeps the first characters up to the limit and logs the call,
/// instead of refusing it. Clients rely on it (the Python client sends a long value as is and reads the cut one back).
/// Lengths in code points, as Python counts them.
/// </summary>
internal static class LongValues
{
    public static Param Truncated(Param param) =>
        param with { Value = Cut(param.Value, MlflowValidation.MaxParamValueLength) };

    public static RunTag Truncated(RunTag tag) =>
        tag with { Value = Cut(tag.Value, MlflowValidation.MaxTagValueLength) };

    private static string Cut(string value, int limit)
    {
        if (value.Length <= limit) return value;
        // Count code points, not UTF-16 units; a surrogate pair is one character to Python.
        var points = 0;
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1])) i++;
            if (++points == limit) return i + 1 < value.Length ? value[..(i + 1)] : value;
        }
        return value;
    }
}
