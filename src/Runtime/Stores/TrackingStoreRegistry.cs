using System.Collections.Concurrent;

namespace Qlib.Tracked.Stores;

/// <summary>
/// Picks a store implementation by URI scheme (MLflow's tracking store registry). <c>file:</c> URIs
/// and plain paths open a <see cref="FileStore"/>, <c>sqlite:</c>, <c>postgresql:</c> and
/// <c>postgresql+psycopg2:</c> a <see cref="SqlStore"/>, <c>http:</c> and <c>https:</c> a <see cref="RestStore"/>; any other scheme is refused with a clear error
/// until a store for it is registered.
/// </summary>
public static class TrackingStoreRegistry
{
    private static readonly ConcurrentDictionary<string, Func<string, TrackingStoreOptions, ITrackingStore>> Builders = new(StringComparer.OrdinalIgnoreCase)
    {
        ["file"] = (uri, options) => new FileStore(TrackingUri.ToLocalPath(uri), new FileStoreOptions
        {
            DefaultArtifactRoot = options.DefaultArtifactRoot,
            ArtifactRoots = options.ArtifactRoots,
        }),
        // MLflow's SQL store (SQLAlchemy URI spellings).
        ["sqlite"] = (uri, options) => new SqlStore(uri, options),
        ["postgresql"] = (uri, options) => new SqlStore(uri, options),
        ["postgresql+psycopg2"] = (uri, options) => new SqlStore(uri, options),
        // A tracking server (mlflow server, any backend) over its REST API.
        ["http"] = (uri, options) => new RestStore(uri, options),
        ["https"] = (uri, options) => new RestStore(uri, options),
    };

    /// <summary>Registers (or replaces) the builder for a scheme.</summary>
    public static void Register(string scheme, Func<string, TrackingStoreOptions, ITrackingStore> builder) => Builders[scheme] = builder;

    /// <summary>Opens the store for <paramref name="uri"/> with <paramref name="options"/> (defaults when null).</summary>
    public static ITrackingStore Open(string uri, TrackingStoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (string.IsNullOrWhiteSpace(uri))
            throw new TrackingException(ErrorCode.InvalidParameterValue, "The tracking URI is empty: give a folder, a file: URI or a supported scheme.");
        var scheme = TrackingUri.GetScheme(uri);
        if (Builders.TryGetValue(scheme, out var build)) return build(uri, options ?? new TrackingStoreOptions());
        throw Unsupported(uri, scheme);
    }

    /// <summary>
    /// Checks <paramref name="uri"/> as <see cref="Open"/> would read it, without opening anything (so a command line is
    /// refused before work starts): NOT_IMPLEMENTED for a scheme no store is registered for, INVALID_PARAMETER_VALUE for a
    /// <c>file:</c> or SQL URI that names no path or database.
    /// </summary>
    public static void Check(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (string.IsNullOrWhiteSpace(uri))
            throw new TrackingException(ErrorCode.InvalidParameterValue, "The tracking URI is empty: give a folder, a file: URI or a supported scheme.");
        var scheme = TrackingUri.GetScheme(uri);
        if (!Builders.ContainsKey(scheme)) throw Unsupported(uri, scheme);
        if (scheme == "file") TrackingUri.ToLocalPath(uri);
        else if (scheme is "sqlite" or "postgresql" or "postgresql+psycopg2") Sql.SqlStoreUri.Parse(uri);
        else if (scheme is "http" or "https") Rest.RestEndpoint.Parse(uri);
    }

    private static TrackingException Unsupported(string uri, string scheme) =>
        new(ErrorCode.NotImplemented,
            $"Tracking URI '{Rest.RestEndpoint.Redact(uri)}' uses the scheme '{scheme}', which is not supported. " +
            $"Supported: {string.Join(", ", Builders.Keys.Order(StringComparer.Ordinal).Select(s => s + ":"))} URIs and plain paths.");
}
