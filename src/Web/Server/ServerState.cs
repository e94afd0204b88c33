using Qlib.Tracked.Stores;

namespace Qlib.Tracked.Web.Server;

/// <summary>What every tracking route works with: the store (shared with the UI) and the artifact URIs as clients see them.</summary>
internal sealed class ServerState(StoreContext context, ArtifactUris artifacts)
{
    public ITrackingStore Store => context.Store;

    public ArtifactUris Artifacts { get; } = artifacts;

    public static ServerState Of(HttpContext http) => http.RequestServices.GetRequiredService<ServerState>();
}
