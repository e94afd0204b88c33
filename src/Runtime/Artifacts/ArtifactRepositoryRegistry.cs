using Qlib.Tracked.Stores;
using Qlib.Tracked.Stores.Rest;
using Qlib.Tracked.Stores.Rest.Protocol;

namespace Qlib.Tracked.Artifacts;

/// <summary>
/// Picks a run's artifact repository by the scheme of its artifact URI (MLflow's artifact repository registry):
/// <c>file:</c> URIs and plain paths are local folders; <c>mlflow-artifacts:</c> URIs and <c>http(s)://</c> URIs of an
/// artifact proxy (<c>…/api/2.0/mlflow-artifacts/artifacts/…</c>) go through a tracking server; any other scheme
/// (<c>s3://</c>, <c>gs://</c>, …) is NOT_IMPLEMENTED with what to do instead.
/// </summary>
public static class ArtifactRepositoryRegistry
{
    /// <param name="owner">"Run '…'", for messages.</param>
    /// <param name="artifactUri">The run's artifact URI as its store recorded it.</param>
    /// <param name="resolveLocal">The local folder of a <c>file:</c> URI or path (throws when the store may not use it).</param>
    /// <param name="server">
    /// The tracking server that proxies artifacts: called with null for the server the store talks to
    /// (<c>mlflow-artifacts:/path</c>), or with the base URI a URI names (<c>mlflow-artifacts://host:port/path</c>,
    /// <c>http://host:port/api/2.0/mlflow-artifacts/artifacts/path</c>). Null for stores that talk to no server.
    /// </param>
    public static IArtifactRepository Open(string owner, string artifactUri, Func<string, string> resolveLocal, Func<string?, MlflowHttpClient>? server)
    {
        ArgumentNullException.ThrowIfNull(artifactUri);
        ArgumentNullException.ThrowIfNull(resolveLocal);
        var scheme = TrackingUri.GetScheme(artifactUri);
        switch (scheme)
        {
            case "file":
                return new LocalArtifactRepository(artifactUri, resolveLocal(artifactUri));
            case "mlflow-artifacts":
            {
                var rest = artifactUri["mlflow-artifacts:".Length..];
                string? serverBase = null;
                if (rest.StartsWith("//", StringComparison.Ordinal))
                {
                    var slash = rest.IndexOf('/', 2);
                    var authority = slash < 0 ? rest[2..] : rest[2..slash];
                    rest = slash < 0 ? "" : rest[slash..];
                    // MLflow's MlflowArtifactsRepository: a host in the URI is reached over http (https when the tracking URI is https).
                    if (authority.Length > 0) serverBase = authority;
                }
                if (server is null) throw NeedsServer(owner, artifactUri);
                return new ProxiedArtifactRepository(server(serverBase), artifactUri, Uri.UnescapeDataString(rest.Trim('/')));
            }
            case "http" or "https":
            {
                var at = artifactUri.IndexOf(MlflowRoutes.ArtifactProxy, StringComparison.Ordinal);
                if (at < 0)
                    throw new TrackingException(ErrorCode.NotImplemented,
                        $"{owner} keeps its artifacts at '{RestEndpoint.Redact(artifactUri)}', an HTTP location that is not a tracking server's artifact proxy " +
                        $"(…{MlflowRoutes.ArtifactProxy}/…); only proxied artifacts are supported over HTTP: run the server with --serve-artifacts.");
                if (server is null) throw NeedsServer(owner, artifactUri);
                var tail = artifactUri[(at + MlflowRoutes.ArtifactProxy.Length)..];
                return new ProxiedArtifactRepository(server(artifactUri[..at]), RestEndpoint.Redact(artifactUri), Uri.UnescapeDataString(tail.Trim('/')));
            }
            default:
                throw new TrackingException(ErrorCode.NotImplemented,
                    $"{owner} keeps its artifacts at '{RestEndpoint.Redact(artifactUri)}': the artifact scheme '{scheme}:' is not supported. " +
                    "Run the tracking server with --serve-artifacts (so artifacts go through it as mlflow-artifacts:/ URIs), or keep them in a local folder.");
        }
    }

    private static TrackingException NeedsServer(string owner, string artifactUri) =>
        new(ErrorCode.NotImplemented,
            $"{owner} keeps its artifacts at '{RestEndpoint.Redact(artifactUri)}', which only a tracking server can reach: open the store by the server's http:// URI.");
}
