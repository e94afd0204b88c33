using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;

namespace Qlib.Tracked.Tests.Stores.Rest;

/// <summary>
/// A real HTTP server that answers requests with recorded answers, in order: the test queues the exchanges it expects
/// the client to make (<see cref="Expect"/>), each request gets the next queued answer, and what arrived is kept
/// (<see cref="Received"/>) to be compared with what the Python client sent.
/// </summary>
public sealed class ReplayServer : IDisposable
{
    private readonly ConcurrentQueue<RecordedExchange> _expected = new();
    private readonly LocalHttpServer _http;

    public ReplayServer() => _http = LocalHttpServer.Start(Handle);

    public string Uri => _http.BaseUri;

    public ConcurrentQueue<ReceivedRequest> Received { get; } = new();

    public void Expect(RecordedExchange exchange) => _expected.Enqueue(exchange);

    /// <summary>Exchanges queued but not requested.</summary>
    public int Pending => _expected.Count;

    public void ClearExpected() => _expected.Clear();

    public void Dispose() => _http.Dispose();

    private async Task Handle(HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        var q = raw.IndexOf('?');
        var query = QueryHelpers.ParseQuery(q < 0 ? "" : raw[q..]).ToDictionary(p => p.Key, p => p.Value.Select(v => v ?? "").ToArray(), StringComparer.Ordinal);
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        Received.Enqueue(new ReceivedRequest(context.Request.Method, q < 0 ? raw : raw[..q], query, context.Request.ContentType, body.ToArray()));

        if (!_expected.TryDequeue(out var answer))
        {
            context.Response.StatusCode = 599;
            await context.Response.WriteAsync("no recorded exchange is queued for this request");
            return;
        }
        context.Response.StatusCode = answer.Status;
        if (answer.ResponseContentType is not null) context.Response.ContentType = answer.ResponseContentType;
        var bytes = RecordedExchange.IsRaw(answer.Response)
            ? Encoding.UTF8.GetBytes(answer.Response!["text"]!.GetValue<string>())
            : Encoding.UTF8.GetBytes(answer.Response?.ToJsonString() ?? "");
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes);
    }
}

/// <summary>A request as it arrived: method, path (raw, as sent), parsed query, content type and body bytes.</summary>
public sealed record ReceivedRequest(string Method, string Path, IReadOnlyDictionary<string, string[]> Query, string? ContentType, byte[] Body);
