using System.Collections.Concurrent;

namespace Qlib.Tracked.Stores;

/// <summary>
/// Picks a store implementation by URI scheme (MLflow's tracking store registry). <c>file:</c> URIs
/// and plain paths open a <see cref="FileStore"/>; any other scheme is refused with a clear error
/// until a store for it is registered.
/// </summary>
public static class TrackingStoreRegistry
{
    private static readonly ConcurrentDictionary<string, Func<string, ITrackingStore>> Builders = new(StringComparer.OrdinalIgnoreCase)
    {
        ["file"] = uri => new FileStore(TrackingUri.ToLocalPath(uri)),
    };

    /// <summary>Registers (or replaces) the builder for a scheme.</summary>
    public static void Register(string scheme, Func<string, ITrackingStore> builder) => Builders[scheme] = builder;

    /// <summary>Opens the store for <paramref name="uri"/>.</summary>
    public static ITrackingStore Open(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (string.IsNullOrWhiteSpace(uri))
            throw new TrackingException(ErrorCode.InvalidParameterValue, "The tracking URI is empty: give a folder, a file: URI or a supported scheme.");
        var scheme = TrackingUri.GetScheme(uri);
        if (Builders.TryGetValue(scheme, out var build)) return build(uri);
        throw new TrackingException(ErrorCode.NotImplemented,
            $"Tracking URI '{uri}' uses the scheme '{scheme}', which is not supported. " +
            $"Supported: {string.Join(", ", Builders.Keys.Order(StringComparer.Ordinal).Select(s => s + ":"))} URIs and plain paths.");
    }
}
