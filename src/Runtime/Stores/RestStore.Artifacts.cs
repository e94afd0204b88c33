using System.Collections.Concurrent;
using Qlib.Tracked.Artifacts;

namespace Qlib.Tracked.Stores;

public sealed partial class RestStore
{
    // Artifact proxies on other hosts than the tracking server (http(s) artifact URIs naming them), one pool each.
    private readonly ConcurrentDictionary<string, Rest.MlflowHttpClient> _artifactServers = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The run's artifacts where its <c>artifact_uri</c> says: through this server's artifact proxy for
    /// <c>mlflow-artifacts:</c> URIs (<c>--serve-artifacts</c>), through another server's for an <c>http(s)</c> proxy
    /// URI, in a local folder for a <c>file:</c> URI or path this machine can reach (a server on this machine, or a
    /// shared mount); NOT_IMPLEMENTED for other schemes (<see cref="ArtifactRepositoryRegistry"/>).
    /// </summary>
    public IArtifactRepository GetArtifactRepository(string runId)
    {
        if (!_artifactUris.TryGetValue(runId, out var artifactUri)) artifactUri = GetRun(runId).Info.ArtifactUri;
        var owner = $"Run '{runId}'";
        return ArtifactRepositoryRegistry.Open(owner, artifactUri, location => ResolveLocalArtifacts(owner, location), ArtifactServer);
    }

    private Rest.MlflowHttpClient ArtifactServer(string? serverBase)
    {
        if (serverBase is null) return _http;
        // mlflow-artifacts://host:port names a host only; the scheme is the tracking server's.
        var baseUri = serverBase.Contains("://", StringComparison.Ordinal) ? serverBase : _http.Endpoint.BaseUri.Scheme + "://" + serverBase;
        var endpoint = Rest.RestEndpoint.Parse(baseUri);
        if (endpoint.BaseUri == _http.Endpoint.BaseUri) return _http;
        return _artifactServers.GetOrAdd(endpoint.BaseUri.ToString(), _ => new Rest.MlflowHttpClient(endpoint, Settings));
    }

    /// <summary>
    /// A local artifact location the server recorded (a server without <c>--serve-artifacts</c>): used when this machine
    /// holds it — it, or one of the four folders above it (<c>&lt;root&gt;/&lt;experiment&gt;/&lt;run&gt;/artifacts</c>: the folder that
    /// holds the server's artifact root, for a root that nothing has been written to yet), exists — so artifacts are never written to a folder on this machine that the server cannot see. With
    /// <see cref="TrackingStoreOptions.ArtifactRoots"/> set, it must also lie inside them.
    /// </summary>
    private string ResolveLocalArtifacts(string owner, string location)
    {
        var local = Stores.TrackingUri.ToLocalPath(location);
        if (_options.ArtifactRoots.Count > 0) new ArtifactRoots(_options.ArtifactRoots).RequireInside(owner, location, local);
        var probe = local;
        for (var level = 0; level <= 4 && probe is not null; level++, probe = Path.GetDirectoryName(probe))
        {
            if (Directory.Exists(probe)) return local;
        }
        throw new TrackingException(ErrorCode.NotImplemented,
            $"{owner} keeps its artifacts at '{location}' on the tracking server's machine ({TrackingUri}), and that folder is not reachable here. " +
            "Run the server with --serve-artifacts so artifacts go through it, or mount its artifact root at the same path.");
    }
}
