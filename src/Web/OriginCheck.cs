namespace Qlib.Tracked.Web;

/// <summary>
/// Refuses a request that would change something (any method but GET, HEAD, OPTIONS, TRACE) when it carries an
/// <c>Origin</c> other than the UI's own, with 403 and the API's JSON error body. Browsers send <c>Origin</c> on
/// every cross-origin request of that kind (and <c>null</c> from sandboxed or file pages, which is refused too), so
/// a page from another site cannot make the user's browser write even where the JSON-body rule would not hold.
/// A request without <c>Origin</c> is not from such a page (curl, scripts) and passes. <c>Referer</c> is not
/// consulted: the page that would forge a request decides whether its browser sends one, so it proves nothing.
/// </summary>
internal static class OriginCheck
{
    public static Task RefuseCrossOriginWrites(HttpContext http, Func<Task> next)
    {
        var request = http.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method) || HttpMethods.IsTrace(request.Method))
            return next();
        var origins = request.Headers.Origin;
        if (origins.Count == 0) return next();
        var own = request.Scheme + "://" + request.Host.Value;
        if (origins.Count == 1 && IsOwn(origins[0], request)) return next();
        return JsonResponse.Error(StatusCodes.Status403Forbidden, "PERMISSION_DENIED",
            $"Refused a cross-origin {request.Method}: Origin '{origins}' is not this UI's origin '{own}'. Write requests "
            + "come from the UI's own pages or from clients that send no Origin (curl, scripts).").ExecuteAsync(http);
    }

    /// <summary>
    /// Same scheme, host and port as the request's Host header, which host filtering has already matched
    /// against the names the UI was bound to (the Host port is the one the browser used, so a forwarded port
    /// such as an SSH tunnel's still counts as the UI's own origin).
    /// </summary>
    private static bool IsOwn(string? origin, HttpRequest request)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.PathAndQuery != "/" || !request.Host.HasValue) return false;
        if (!string.Equals(uri.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase)) return false;
        // Both spell an IPv6 host with its brackets.
        if (!string.Equals(uri.Host, request.Host.Host, StringComparison.OrdinalIgnoreCase)) return false;
        var hostPort = request.Host.Port ?? (request.IsHttps ? 443 : 80);
        return uri.Port == hostPort;
    }
}
