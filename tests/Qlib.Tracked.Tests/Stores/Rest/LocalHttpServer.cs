using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Qlib.Tracked.Tests.Stores.Rest;

/// <summary>
/// A real Kestrel server on 127.0.0.1 (a free port, or a given one to come back on after a stop), plain HTTP or HTTPS
/// with a given certificate, answering every request with <see cref="Handler"/>.
/// </summary>
public sealed class LocalHttpServer : IDisposable
{
    private readonly WebApplication _app;

    private LocalHttpServer(WebApplication app, int port, bool https)
    {
        _app = app;
        Port = port;
        BaseUri = $"{(https ? "https" : "http")}://127.0.0.1:{port}";
    }

    public int Port { get; }

    /// <summary><c>http://127.0.0.1:PORT</c> (no trailing slash).</summary>
    public string BaseUri { get; }

    public static LocalHttpServer Start(RequestDelegate handler, int port = 0, X509Certificate2? certificate = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Listen(IPAddress.Loopback, port, listen =>
            {
                if (certificate is not null) listen.UseHttps(certificate);
            });
        });
        var app = builder.Build();
        app.Run(handler);
        app.StartAsync().GetAwaiter().GetResult();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new LocalHttpServer(app, new Uri(address).Port, certificate is not null);
    }

    /// <summary>Stops listening and drops open connections (a server going away).</summary>
    public void Dispose()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        _app.StopAsync(timeout.Token).GetAwaiter().GetResult();
        _app.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
