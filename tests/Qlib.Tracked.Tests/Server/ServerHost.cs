using Microsoft.AspNetCore.Builder;
using Qlib.Tracked.Web;
using Qlib.Tracked.Web.Server;

namespace Qlib.Tracked.Tests.Server;

/// <summary>A real <c>qtrack server</c> (<see cref="TrackingServer"/>) in this process on a free loopback port, stopped and its store disposed of on Dispose.</summary>
public sealed class ServerHost : IDisposable
{
    private readonly WebApplication _app;

    private ServerHost(WebApplication app, string uri)
    {
        _app = app;
        Uri = uri;
    }

    /// <summary><c>http://127.0.0.1:PORT</c> (no trailing slash).</summary>
    public string Uri { get; }

    public static ServerHost Start(TrackingServerOptions options)
    {
        var app = TrackingServer.CreateApp(options with { Port = 0 });
        try
        {
            QtrackWeb.StartAsync(app, CancellationToken.None).GetAwaiter().GetResult();
        }
        catch
        {
            app.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
        return new ServerHost(app, QtrackWeb.GetListeningUrls(app).First().TrimEnd('/'));
    }

    public void Dispose()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        _app.StopAsync(timeout.Token).GetAwaiter().GetResult();
        _app.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
