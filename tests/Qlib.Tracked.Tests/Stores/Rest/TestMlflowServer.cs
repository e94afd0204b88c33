using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Qlib.Tracked.Stores;
using Qlib.Tracked.Stores.Rest.Protocol;
using Qlib.Tracked.Web;
using Qlib.Tracked.Web.Server;

namespace Qlib.Tracked.Tests.Stores.Rest;

/// <summary>
/// The real <c>qtrack server</c> (<see cref="TrackingServer"/>, in this process) over a given store, behind a thin
/// failure-injecting front on its own port — for tests that need a sick server: <see cref="FailNext"/> answers the next
/// requests with an error as an overloaded server would, <see cref="Stop"/>/<see cref="Restart"/> make the port refuse
/// connections and come back, and every request is counted per route with the Authorization headers it carried. Every
/// other request is passed to the real server as it came, bodies streamed both ways.
/// </summary>
public sealed class TestMlflowServer : IDisposable
{
    private static readonly HashSet<string> HopHeaders = new(StringComparer.OrdinalIgnoreCase) { "Host", "Connection", "Transfer-Encoding", "Keep-Alive", "Content-Length" };

    private readonly WebApplication _real;
    private readonly HttpClient _forward;
    private LocalHttpServer? _http;
    private int _failuresLeft;
    private int _failureStatus;

    /// <param name="store">The store served; the server takes it over (disposing of it again afterwards is harmless).</param>
    /// <param name="artifactRoot">
    /// The artifacts destination: with <paramref name="proxyArtifacts"/>, runs whose artifacts lie under it (the store's
    /// default artifact root should be this folder) get <c>mlflow-artifacts:/…</c> URIs served from it
    /// (<c>--serve-artifacts</c>); without, the store's own locations are passed on (<c>--no-serve-artifacts</c>).
    /// </param>
    public TestMlflowServer(ITrackingStore store, string artifactRoot, int port = 0, bool proxyArtifacts = true)
    {
        _real = TrackingServer.CreateApp(new TrackingServerOptions
        {
            Store = store,
            ArtifactsDestination = artifactRoot,
            ServeArtifacts = proxyArtifacts,
            Port = 0,
        });
        QtrackWeb.StartAsync(_real, CancellationToken.None).GetAwaiter().GetResult();
        _forward = new HttpClient { BaseAddress = new Uri(QtrackWeb.GetListeningUrls(_real).First()), Timeout = Timeout.InfiniteTimeSpan };
        _http = LocalHttpServer.Start(Handle, port);
        Port = _http.Port;
    }

    public int Port { get; }

    public string Uri => $"http://127.0.0.1:{Port}";

    /// <summary>Requests answered, by "METHOD /path" (artifact proxy calls under its prefix).</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, int> Requests { get; } = new();

    /// <summary>Authorization headers seen (to check what credentials the client sent).</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> AuthorizationHeaders { get; } = new();

    /// <summary>The next <paramref name="count"/> requests are answered with <paramref name="status"/> and an MLflow error body.</summary>
    public void FailNext(int count, int status)
    {
        _failureStatus = status;
        Interlocked.Exchange(ref _failuresLeft, count);
    }

    /// <summary>Stops listening (connections are refused) until <see cref="Restart"/>.</summary>
    public void Stop()
    {
        _http?.Dispose();
        _http = null;
    }

    /// <summary>Listens again on the same port.</summary>
    public void Restart()
    {
        if (_http is not null) return;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                _http = LocalHttpServer.Start(Handle, Port);
                return;
            }
            catch (IOException) when (attempt < 20)
            {
                Thread.Sleep(100); // the port may linger a moment after the stop
            }
        }
    }

    public void Dispose()
    {
        Stop();
        _forward.Dispose();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        _real.StopAsync(timeout.Token).GetAwaiter().GetResult();
        _real.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    private async Task Handle(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        Requests.AddOrUpdate($"{context.Request.Method} {(path.StartsWith(MlflowRoutes.ArtifactProxy, StringComparison.Ordinal) ? MlflowRoutes.ArtifactProxy : path)}", 1, (_, n) => n + 1);
        if (context.Request.Headers.Authorization.Count > 0) AuthorizationHeaders.Enqueue(context.Request.Headers.Authorization.ToString());
        if (Interlocked.Decrement(ref _failuresLeft) >= 0)
        {
            context.Response.StatusCode = _failureStatus;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("{\"error_code\": \"TEMPORARILY_UNAVAILABLE\", \"message\": \"The test server is failing on purpose.\"}");
            return;
        }
        using var forward = new HttpRequestMessage(new HttpMethod(context.Request.Method), path + context.Request.QueryString.Value);
        if (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            forward.Content = new StreamContent(context.Request.Body);
            if (context.Request.ContentLength is { } length) forward.Content.Headers.ContentLength = length;
        }
        foreach (var (name, values) in context.Request.Headers)
        {
            if (HopHeaders.Contains(name)) continue;
            if (!forward.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values)) forward.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
        }
        using var answer = await _forward.SendAsync(forward, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        context.Response.StatusCode = (int)answer.StatusCode;
        foreach (var (name, values) in answer.Headers.Concat(answer.Content.Headers))
        {
            if (!HopHeaders.Contains(name)) context.Response.Headers[name] = values.ToArray();
        }
        if (answer.Content.Headers.ContentLength is { } size) context.Response.ContentLength = size;
        await using var body = await answer.Content.ReadAsStreamAsync(context.RequestAborted);
        await body.CopyToAsync(context.Response.Body, context.RequestAborted);
    }
}
