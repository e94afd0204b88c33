using System.Reflection;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Qlib.Tracked.Stores;
using Qlib.Tracked.Stores.Rest.Protocol;
using Qlib.Tracked.Web.Listening;

namespace Qlib.Tracked.Web.Server;

/// <summary>
/// <c>qtrack server</c>: MLflow's tracking REST API (every <c>/api/2.0/mlflow/…</c> route the MLflow 2.12 Python
/// client uses, also under <c>/ajax-api/2.0/…</c>), its artifact proxy, <c>/health</c> and <c>/version</c>, answered from any store
/// <see cref="TrackingStoreRegistry.Open"/> opens — with <c>qtrack ui</c>'s pages and JSON API (read-only) under
/// <c>/</c> of the same port. Build with <see cref="CreateApp"/>, start with <see cref="QtrackWeb.StartAsync"/>;
/// stopping the app lets requests in flight finish, then disposes of the store.
/// </summary>
public static class TrackingServer
{
    /// <summary>
    /// Builds the app (not started). Throws <see cref="TrackingException"/> INVALID_PARAMETER_VALUE for a host beyond
    /// loopback without authentication (and without <see cref="TrackingServerOptions.InsecureNoAuth"/>), an unusable
    /// TLS certificate or key, or a bad port; the store's own errors when it cannot be opened.
    /// </summary>
    public static WebApplication CreateApp(TrackingServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var webOptions = new WebOptions { StorePath = options.BackendStoreUri, Host = options.Host, Port = options.Port };
        var plan = ListenPlan.For(webOptions);
        var credentials = options.Credentials is { Any: true } given ? given : null;
        if (plan.Warning is not null && credentials is null && !options.InsecureNoAuth)
            throw TrackingException.InvalidParameter(
                $"Refusing to serve on --host {options.Host}: it is not a loopback address, and no authentication is configured, so anyone who can "
                + "reach the port could read and change every run. Configure users or tokens (--credentials-file, or QTRACK_SERVER_USERNAME/"
                + "QTRACK_SERVER_PASSWORD, QTRACK_SERVER_TOKEN), or pass --insecure-no-auth if the network is trusted as a whole.");
        var certificate = LoadCertificate(options);

        var destination = options.ServeArtifacts ? Path.GetFullPath(options.ArtifactsDestination is { } d ? LocalFolder(d) : TrackingServerOptions.DefaultArtifactsDestination) : null;
        if (destination is not null) Directory.CreateDirectory(destination);
        var storeOptions = new TrackingStoreOptions
        {
            DefaultArtifactRoot = destination ?? options.ArtifactsDestination,
            ArtifactRoots = destination is null ? [] : [destination],
        };
        var store = options.Store ?? TrackingStoreRegistry.Open(options.BackendStoreUri, storeOptions);
        if (options.Store is not null) webOptions = webOptions with { StorePath = store.TrackingUri };
        StoreContext context;
        try
        {
            context = new StoreContext(webOptions with { ArtifactRoots = storeOptions.ArtifactRoots }, store);
        }
        catch
        {
            store.Dispose();
            throw;
        }

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [],
            ApplicationName = typeof(QtrackWeb).Assembly.GetName().Name,
        });
        builder.WebHost.UseUrls([.. plan.Urls.Select(u => certificate is null ? u : "https://" + u["http://".Length..])]);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // Tracking calls are small JSON (MLflow refuses a log-batch over 1 MB, MlflowHttp.Body answers that); the hard
            // cap is set per request (artifact uploads have their own).
            kestrel.Limits.MaxRequestBodySize = MlflowHttp.DrainLimitBytes;
            if (certificate is not null) kestrel.ConfigureHttpsDefaults(https => https.ServerCertificate = certificate);
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = options.ShutdownTimeout);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        QtrackWeb.AddUi(builder, context, plan);
        var requestLog = new RequestLog(options.RequestLog);
        builder.Services.AddSingleton(requestLog);
        builder.Services.AddSingleton(new ArtifactUris(destination));
        builder.Services.AddSingleton<ServerState>();

        var app = builder.Build();
        _ = app.Services.GetRequiredService<StoreContext>();
        app.Use(requestLog.Middleware);
        if (credentials is not null) app.Use(ServerAuthentication.Middleware(credentials));
        app.Use(QtrackWeb.SecurityHeaders);
        app.Use(OriginCheck.RefuseCrossOriginWrites);
        app.Use((http, next) =>
        {
            var upload = HttpMethods.IsPut(http.Request.Method) && IsArtifactProxy(http.Request.Path);
            MlflowHttp.LimitBody(http, upload ? options.MaxArtifactUploadBytes : MlflowHttp.DrainLimitBytes);
            return next();
        });

        app.MapGet("/health", () => Results.Text("OK"));
        // MLflow's server answers its version as a bare text body; this one answers qtrack's.
        app.MapGet("/version", () => Results.Text(ServerVersion));
        var table = new TrackingRouteTable(app);
        ExperimentRoutes.Map(table);
        RunRoutes.Map(table);
        RunDataRoutes.Map(table);
        ArtifactProxy.Map(app, MlflowRoutes.ArtifactProxy);
        ArtifactProxy.Map(app, "/ajax-api/2.0/mlflow-artifacts/artifacts");
        table.MapNotImplemented();
        QtrackWeb.MapUi(app);
        app.Lifetime.ApplicationStarted.Register(() => _ = Task.Run(() => context.WarmRunIndex(app.Lifetime.ApplicationStopping)));
        return app;
    }

    /// <summary>The version <c>GET /version</c> answers: the package's (Directory.Build.props), as <c>qtrack --version</c> prints it.</summary>
    public static string ServerVersion { get; } =
        typeof(TrackingServer).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    private static bool IsArtifactProxy(PathString path) =>
        path.StartsWithSegments(MlflowRoutes.ArtifactProxy, StringComparison.Ordinal)
        || path.StartsWithSegments("/ajax-api/2.0/mlflow-artifacts/artifacts", StringComparison.Ordinal);

    private static string LocalFolder(string destination)
    {
        if (TrackingUri.GetScheme(destination) != "file")
            throw TrackingException.InvalidParameter(
                $"--artifacts-destination '{destination}' is not a local folder or file: URI; the artifact proxy serves local (or mounted shared) folders only.");
        return TrackingUri.ToLocalPath(destination);
    }

    private static X509Certificate2? LoadCertificate(TrackingServerOptions options)
    {
        if (options.TlsCertificatePath is null && options.TlsKeyPath is null) return null;
        if (options.TlsCertificatePath is null || options.TlsKeyPath is null)
            throw TrackingException.InvalidParameter("--tls-cert and --tls-key go together: give both PEM files, or neither to serve plain HTTP.");
        try
        {
            return X509Certificate2.CreateFromPemFile(options.TlsCertificatePath, options.TlsKeyPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            throw TrackingException.InvalidParameter(
                $"Cannot use --tls-cert '{options.TlsCertificatePath}' with --tls-key '{options.TlsKeyPath}': {e.Message}");
        }
    }
}
