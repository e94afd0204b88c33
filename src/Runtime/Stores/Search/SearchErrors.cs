using Qlib.Tracked.Search;

namespace Qlib.Tracked.Stores.Search;

/// <summary>Turns the shared parser's first problem into the typed error users get: what is wrong, and where.</summary>
internal static class SearchErrors
{
    /// <summary>INVALID_PARAMETER_VALUE: MLflow's message, then the offset and text of the offending span.</summary>
    public static TrackingException FromProblem(SearchProblem problem, string text, string what)
    {
        var start = Math.Clamp(problem.Start, 0, text.Length);
        var length = Math.Clamp(problem.Length, 0, text.Length - start);
        var where = length == 0
            ? $"at offset {start} (the end)"
            : $"at offset {start}: '{text.Substring(start, length)}'";
        return TrackingException.InvalidParameter($"{problem.Message} ({where} of the {what} \"{text}\")");
    }

    /// <summary>Throws the first problem of <paramref name="result"/>, if any.</summary>
    public static void ThrowIfInvalid(SearchParseResult result, string text, string what)
    {
        if (!result.IsValid) throw FromProblem(result.Problems[0], text, what);
    }
}
