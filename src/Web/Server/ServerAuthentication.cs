namespace Qlib.Tracked.Web.Server;

/// <summary>
/// Every request but <c>/health</c> (what load balancers probe) must carry a configured basic user or bearer token when
/// credentials are configured — the tracking API, the artifact proxy and the UI's pages alike. A refusal is 401 with
/// MLflow's error body and a Basic challenge, so a browser asks for the user and password.
/// </summary>
internal static class ServerAuthentication
{
    public static Func<HttpContext, Func<Task>, Task> Middleware(ServerCredentials credentials) => (http, next) =>
    {
        if (http.Request.Path.Equals("/health", StringComparison.Ordinal) || credentials.Accepts(http.Request.Headers.Authorization.ToString()))
            return next();
        http.Response.Headers.WWWAuthenticate = "Basic realm=\"qtrack\", charset=\"UTF-8\"";
        return MlflowHttp.Error(http, StatusCodes.Status401Unauthorized, "UNAUTHENTICATED",
            "This server requires authentication: send HTTP basic credentials (MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD "
            + "for MLflow's clients) or a bearer token (MLFLOW_TRACKING_TOKEN) that the server was configured with.");
    };
}
