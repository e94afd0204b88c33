using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.HostFiltering;
using Qlib.Tracked.Artifacts;
using Qlib.Tracked.Web.Api;
using Qlib.Tracked.Web.Listening;

namespace Qlib.Tracked.Web;

/// <summary>
/// The qtrack web UI: a JSON API under <c>/api/</c> and the static pages that use it, over one store.
/// <c>qtrack ui</c> and <c>dotnet run --project src/Web</c> both call <see cref="CreateApp"/> and then
/// <c>RunAsync</c>; tests call it with port 0 and read the bound address from <see cref="GetListeningUrls"/>.
/// </summary>
public static class QtrackWeb
{
    /// <summary>
    /// Builds the app (not started). Throws <see cref="TrackingException"/>: RESOURCE_DOES_NOT_EXIST when the
    /// store folder does not exist, INVALID_PARAMETER_VALUE for a host that is not this machine's (see
    /// <see cref="ListenPlan"/>) or <c>--allow-writes</c> beyond loopback. <paramref name="hostArgs"/> are passed
    /// to ASP.NET's host builder (e.g. <c>--environment</c>); they are not parsed as qtrack options.
    /// </summary>
    public static WebApplication CreateApp(WebOptions options, string[]? hostArgs = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var plan = ListenPlan.For(options);
        var context = new StoreContext(options);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = hostArgs ?? [],
            ApplicationName = typeof(QtrackWeb).Assembly.GetName().Name,
        });
        builder.WebHost.UseUrls([.. plan.Urls]);
        // Request-by-request logs drown the one line a user needs (where the UI listens). A failed start (port in
        // use) is reported by the caller in one sentence; the host's own report of it is a stack trace.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        AddUi(builder, context, plan);
        var app = builder.Build();
        // Resolved now, so the container (which disposes only what it created) owns it even if no request ever comes.
        _ = app.Services.GetRequiredService<StoreContext>();
        Map(app);
        // The first listing of a large store loads (or builds) each experiment's run index: seconds at 100,000
        // runs. Doing it while the user opens the page makes the first answers come from a warm index.
        app.Lifetime.ApplicationStarted.Register(() => _ = Task.Run(() => context.WarmRunIndex(app.Lifetime.ApplicationStopping)));
        return app;
    }

    /// <summary>
    /// Starts the app. A port something else already listens on is an <see cref="IOException"/> that names the
    /// port and says so (Kestrel's own error is the same fact under two wrapped exceptions).
    /// </summary>
    public static async Task StartAsync(WebApplication app, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(app);
        try
        {
            await app.StartAsync(cancellation);
        }
        catch (IOException e) when (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
        {
            var url = GetListenPlan(app).Urls.FirstOrDefault(u => e.Message.Contains(u, StringComparison.OrdinalIgnoreCase));
            var where = url is not null && Uri.TryCreate(url, UriKind.Absolute, out var uri)
                ? $"port {uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)} is already in use on {uri.Host}"
                : "the port is already in use (" + e.Message + ")";
            throw new IOException($"Cannot serve the UI: {where}: another program (or another qtrack ui) listens there. "
                + "Choose another port with --port N, or --port 0 for a free one.", e);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
        {
            // E.g. an address this machine has but cannot bind as given (EADDRNOTAVAIL, EINVAL); the socket error says why.
            var cause = e.InnerException is System.Net.Sockets.SocketException inner ? inner.Message : e.Message;
            throw new IOException($"Cannot serve the UI at {string.Join(", ", GetListenPlan(app).Urls)}: {cause}.", e);
        }
    }

    /// <summary>The addresses the started app listens on (port 0 resolved to the real port).</summary>
    public static IReadOnlyList<string> GetListeningUrls(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];

    /// <summary>Where the app listens and what it must warn about (<see cref="ListenPlan.Warning"/>), fixed by <see cref="CreateApp"/>.</summary>
    public static ListenPlan GetListenPlan(WebApplication app) => app.Services.GetRequiredService<ListenPlan>();

    /// <summary>
    /// Registers what the UI's pages and API need (the store context, which the container then owns and disposes of,
    /// the listen plan, the embedded pages) and host filtering to the plan's names. Shared with <c>qtrack server</c>.
    /// </summary>
    internal static void AddUi(WebApplicationBuilder builder, StoreContext context, ListenPlan plan)
    {
        // Registered through a factory so that the container owns it: disposing of the app disposes of the store.
        builder.Services.AddSingleton(_ => context);
        builder.Services.AddSingleton(plan);
        builder.Services.AddSingleton<EmbeddedAssets>();
        // A page on another site can point a name it controls at this machine (DNS rebinding); refusing Host
        // headers other than the names the UI was bound to keeps such pages from reading the API. On every bind,
        // loopback or not.
        builder.Services.PostConfigure<HostFilteringOptions>(o =>
        {
            o.AllowedHosts = [.. plan.AllowedHosts];
            o.AllowEmptyHosts = false;
        });
    }

    private static void Map(WebApplication app)
    {
        app.Use(SecurityHeaders);
        app.Use(OriginCheck.RefuseCrossOriginWrites);
        MapUi(app);
    }

    /// <summary>
    /// The UI's pages under <c>/</c> and its JSON API under <c>/api/</c> (errors as <c>{"error_code", "message"}</c>).
    /// The caller has put the security headers and the Origin check in front.
    /// </summary>
    internal static void MapUi(WebApplication app)
    {
        app.Use(ApiErrors);

        var assets = app.Services.GetRequiredService<EmbeddedAssets>();
        app.MapGet("/", (HttpContext http) => assets.Serve(http, "index.html"));
        app.MapGet("/assets/{name}", (HttpContext http, string name) => assets.Serve(http, name));

        var api = app.MapGroup("/api");
        api.MapGet("/info", (StoreContext context) => new JsonResponse(w =>
        {
            w.WriteStartObject();
            w.WriteBoolean("read_only", !context.Options.AllowWrites);
            w.WriteNumber("preview_rows", context.Options.PreviewRows);
            w.WriteStartArray("warnings");
            foreach (var warning in context.RecentWarnings) w.WriteStringValue(context.Redactor.Redact(warning.ToString()));
            w.WriteEndArray();
            w.WriteEndObject();
        }));
        ExperimentEndpoints.Map(api);
        RunEndpoints.Map(api);
        ArtifactEndpoints.Map(api);
        CompareEndpoints.Map(api);
        RecordEndpoints.Map(api);
        WriteEndpoints.Map(api);
        // GET only, so a known path with the wrong method still gets routing's 405.
        api.MapGet("/{**rest}", () => JsonResponse.Error(StatusCodes.Status404NotFound, "ENDPOINT_NOT_FOUND", "No such API endpoint."));
    }

    internal static Task SecurityHeaders(HttpContext http, Func<Task> next)
    {
        var headers = http.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        // Scripts and styles only from this origin, no inline script: even if a value slipped into the
        // DOM as markup, it could not run.
        headers.ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";
        return next();
    }

    /// <summary>
    /// Every error of an API call as <c>{"error_code", "message"}</c> with the store root redacted from the
    /// message: store errors (bad filter, unknown run) by their MLflow code, anything else as 500.
    /// </summary>
    private static async Task ApiErrors(HttpContext http, Func<Task> next)
    {
        try
        {
            await next();
        }
        catch (Exception e) when (http.Request.Path.StartsWithSegments("/api") && !http.Response.HasStarted && e is not OperationCanceledException)
        {
            var redactor = http.RequestServices.GetRequiredService<StoreContext>().Redactor;
            var result = e switch
            {
                // The refused location is a server path the UI must not show either: named only as the UI shows locations.
                ArtifactLocationNotAllowedException refused => JsonResponse.Error(StatusCodes.Status403Forbidden, refused.MlflowErrorCode,
                    $"{refused.Owner} keeps its artifacts at '{redactor.PresentLocation(refused.Location)}', outside the artifact roots this UI " +
                    "serves; nothing is read there. Start qtrack ui with --artifact-root for a location that is yours."),
                TrackingException tracking => JsonResponse.Error(JsonResponse.StatusOf(tracking), tracking.MlflowErrorCode, redactor.Redact(tracking.Message)),
                BadHttpRequestException bad => JsonResponse.Error(bad.StatusCode, "INVALID_PARAMETER_VALUE", redactor.Redact(bad.Message)),
                _ => JsonResponse.Error(StatusCodes.Status500InternalServerError, "INTERNAL_ERROR", redactor.Redact(e.GetType().Name + ": " + e.Message)),
            };
            http.Response.Clear();
            await result.ExecuteAsync(http);
        }
    }
}
