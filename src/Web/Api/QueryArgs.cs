using System.Globalization;
using Qlib.Tracked.Entities;

namespace Qlib.Tracked.Web.Api;

/// <summary>Reads query-string arguments, refusing malformed ones with a 400 that names them.</summary>
internal static class QueryArgs
{
    /// <summary>Every value of <paramref name="name"/>, each also split on commas (ids and column names never contain one).</summary>
    public static List<string> CommaList(HttpRequest request, string name) =>
        request.Query[name].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToList();

    /// <summary>Every non-empty value of <paramref name="name"/> as given (order-by clauses may contain commas inside quotes).</summary>
    public static List<string> Repeated(HttpRequest request, string name) =>
        request.Query[name].Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!.Trim()).ToList();

    public static string? Single(HttpRequest request, string name)
    {
        var value = request.Query[name].LastOrDefault();
        return string.IsNullOrEmpty(value) ? null : value;
    }

    public static int Int(HttpRequest request, string name, int fallback, int min, int max)
    {
        var text = Single(request, name);
        if (text is null) return fallback;
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            throw TrackingException.InvalidParameter($"Query argument '{name}' must be an integer from {min} to {max}, got '{text}'.");
        return value;
    }

    public static bool Bool(HttpRequest request, string name, bool fallback)
    {
        var text = Single(request, name);
        if (text is null) return fallback;
        return text.ToLowerInvariant() switch
        {
            "true" or "1" or "yes" => true,
            "false" or "0" or "no" => false,
            _ => throw TrackingException.InvalidParameter($"Query argument '{name}' must be true or false, got '{text}'."),
        };
    }

    /// <summary><c>view=active|deleted|all</c> (MLflow's ACTIVE_ONLY, DELETED_ONLY, ALL are accepted too).</summary>
    public static ViewType View(HttpRequest request)
    {
        var text = Single(request, "view");
        if (text is null) return ViewType.ActiveOnly;
        return text.ToLowerInvariant() switch
        {
            "active" or "active_only" => ViewType.ActiveOnly,
            "deleted" or "deleted_only" => ViewType.DeletedOnly,
            "all" => ViewType.All,
            _ => throw TrackingException.InvalidParameter($"Query argument 'view' must be active, deleted or all, got '{text}'."),
        };
    }
}
