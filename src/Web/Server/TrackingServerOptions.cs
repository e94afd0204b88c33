namespace Qlib.Tracked.Web.Server;

/// <summary>How <see cref="TrackingServer.CreateApp"/> serves a store over MLflow's REST API (<c>qtrack server</c>).</summary>
public sealed record TrackingServerOptions
{
    /// <summary>MLflow's default artifacts destination when artifacts are served (<c>./mlartifacts</c>).</summary>
    public const string DefaultArtifactsDestination = "./mlartifacts";

    /// <summary>The store's URI (a folder, <c>file:</c>, <c>sqlite:///</c>, <c>postgresql://</c>); created when missing, as MLflow's server does.</summary>
    public string BackendStoreUri { get; init; } = "./mlruns";

    /// <summary>
    /// A store already opened, served instead of opening <see cref="BackendStoreUri"/> (a process that embeds the
    /// server, tests); the server takes it over and disposes of it when it stops.
    /// </summary>
    public Stores.ITrackingStore? Store { get; init; }

    /// <summary>
    /// The local folder (or <c>file:</c> URI) the artifact proxy serves and new experiments keep their artifacts under;
    /// null: <see cref="DefaultArtifactsDestination"/> when <see cref="ServeArtifacts"/>, else the store's own default.
    /// </summary>
    public string? ArtifactsDestination { get; init; }

    /// <summary>
    /// True (MLflow 2.x's default): the artifact proxy is served and runs' artifact URIs are given to clients as
    /// <c>mlflow-artifacts:/…</c>; false: clients get the store's own locations and write there themselves.
    /// </summary>
    public bool ServeArtifacts { get; init; } = true;

    /// <summary>The address to bind (loopback by default; see <see cref="Listening.ListenPlan"/>).</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>The port; 0 picks a free one.</summary>
    public int Port { get; init; } = 5000;

    /// <summary>Who may call the server; null or empty: no authentication (refused beyond loopback unless <see cref="InsecureNoAuth"/>).</summary>
    public ServerCredentials? Credentials { get; init; }

    /// <summary>Serve beyond loopback without authentication: an explicit decision, for a network that is trusted as a whole.</summary>
    public bool InsecureNoAuth { get; init; }

    /// <summary>PEM certificate (chain) for HTTPS; with <see cref="TlsKeyPath"/>.</summary>
    public string? TlsCertificatePath { get; init; }

    /// <summary>PEM private key of <see cref="TlsCertificatePath"/>.</summary>
    public string? TlsKeyPath { get; init; }

    /// <summary>The largest artifact one upload may carry, in bytes (5 GiB by default); null: no limit.</summary>
    public long? MaxArtifactUploadBytes { get; init; } = 5L << 30;

    /// <summary>Where the one line per request goes (method, route, status, duration); null: nowhere.</summary>
    public TextWriter? RequestLog { get; init; }

    /// <summary>How long a stop waits for requests in flight before cutting them off.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
