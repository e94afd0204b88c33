namespace Qlib.Tracked.Stores;

/// <summary>
/// What a user configures when opening a store through <see cref="TrackingStoreRegistry.Open"/>, whatever its
/// backend. Each backend maps these onto its own options (<see cref="FileStoreOptions"/> for <c>file:</c>).
/// </summary>
public sealed record TrackingStoreOptions
{
    /// <summary>Artifact root for new experiments; null = the backend's default (the store folder for <c>file:</c>).</summary>
    public string? DefaultArtifactRoot { get; init; }

    /// <summary>
    /// Further folders (paths or <c>file:</c> URIs) where runs may keep artifacts; a run whose artifact location lies
    /// outside the store's own roots and these is refused (see <see cref="Artifacts.ArtifactRoots"/>).
    /// </summary>
    public IReadOnlyList<string> ArtifactRoots { get; init; } = [];

    /// <summary>
    /// Credentials, TLS and retries for <c>http(s)://</c> tracking servers; null = from MLflow's environment variables
    /// when the store is opened (<see cref="Rest.RestClientSettings.FromEnvironment"/>).
    /// </summary>
    public Rest.RestClientSettings? Http { get; init; }
}
