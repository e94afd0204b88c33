using Qlib.Tracked.Stores.Rest.Protocol;

namespace Qlib.Tracked.Web.Server;

/// <summary>
/// Maps each tracking route under both prefixes MLflow serves it on (<c>/api/2.0/mlflow/</c> for clients,
/// <c>/ajax-api/2.0/mlflow/</c> for its UI), each handler wrapped so failures answer MLflow's error body.
/// </summary>
internal sealed class TrackingRouteTable(IEndpointRouteBuilder routes)
{
    public static readonly string[] Prefixes = ["/api/2.0/mlflow/", "/ajax-api/2.0/mlflow/"];

    public void Get(string route, Func<HttpContext, Task> handler) => Add(route, HttpMethods.Get, handler);

    public void Post(string route, Func<HttpContext, Task> handler) => Add(route, HttpMethods.Post, handler);

    private void Add(string route, string method, Func<HttpContext, Task> handler)
    {
        var suffix = route[MlflowRoutes.Prefix.Length..];
        foreach (var prefix in Prefixes) routes.MapMethods(prefix + suffix, [method], MlflowErrors.Handle(handler));
    }

    /// <summary>
    /// Everything else under MLflow's API prefixes (MLflow 3.x's logged models, traces, scorers…, the model registry,
    /// a known route with the wrong method) answers NOT_IMPLEMENTED in MLflow's error body, never an HTML page.
    /// </summary>
    public void MapNotImplemented()
    {
        string[] families = [.. Prefixes.Select(p => p + "{**rest}"), "/api/3.0/{**rest}", "/ajax-api/3.0/{**rest}", "/api/2.0/mlflow-artifacts/{**rest}"];
        foreach (var pattern in families)
        {
            routes.Map(pattern, http => MlflowHttp.Error(http, StatusCodes.Status501NotImplemented, "NOT_IMPLEMENTED",
                $"qtrack server does not implement {http.Request.Method} {http.Request.Path.Value}: it serves MLflow 2.x's tracking API "
                + "and artifact proxy (MLflow 3.x-only routes such as logged models, traces and scorers, and the model registry, are not served)."));
        }
    }
}
