using System.Diagnostics;
using System.Globalization;

namespace Qlib.Tracked.Web.Server;

/// <summary>
/// One line per request: time, method, route (the route's pattern when one matched, else the path — never the query
/// string, which may carry names a user typed), status and duration. Headers and bodies are never written: they carry
/// credentials and data. Lines from concurrent requests never interleave.
/// </summary>
internal sealed class RequestLog(TextWriter? writer)
{
    private readonly TextWriter? _writer = writer is null ? null : TextWriter.Synchronized(writer);

    public async Task Middleware(HttpContext http, Func<Task> next)
    {
        if (_writer is null)
        {
            await next();
            return;
        }
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next();
        }
        finally
        {
            var route = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText is { } pattern ? "/" + pattern.TrimStart('/') : http.Request.Path.Value;
            var status = http.RequestAborted.IsCancellationRequested && !http.Response.HasStarted ? 499 : http.Response.StatusCode;
            var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            _writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} {http.Request.Method} {route} {status} {ms:0.0}ms"));
        }
    }

    /// <summary>An unexpected failure's details, for the operator (the client is told only its type).</summary>
    public void Failure(HttpContext http, Exception e) =>
        _writer?.WriteLine($"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} error on {http.Request.Method} {http.Request.Path.Value}: {e}");
}
