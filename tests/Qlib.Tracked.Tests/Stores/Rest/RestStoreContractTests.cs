using Qlib.Tracked.Stores;
using Qlib.Tracked.Stores.Rest;
using Qlib.Tracked.Tests.Stores.Contract;

namespace Qlib.Tracked.Tests.Stores.Rest;

/// <summary>
/// The store contract on the REST store, talking real HTTP to the test MLflow server in front of MLflow's SQL store on
/// SQLite (artifact locations passed on as local paths, as a server without --serve-artifacts on this machine does).
/// Every call crosses the wire both ways, so this checks the protocol types and the error mapping end to end.
/// </summary>
public sealed class RestStoreContractTests : StoreContractTests
{
    private SqlStore? _backend;
    private TestMlflowServer? _server;

    protected override bool IsSql => true;

    protected override bool ThroughServer => true;

    protected override ITrackingStore OpenStore()
    {
        _backend = new SqlStore("sqlite:///" + Temp.Combine("mlflow.db"), new TrackingStoreOptions { DefaultArtifactRoot = ArtifactRoot });
        _server = new TestMlflowServer(_backend, Temp.Combine("proxied"), proxyArtifacts: false);
        return TrackingStoreRegistry.Open(_server.Uri, new TrackingStoreOptions { Http = new RestClientSettings { MaxRetries = 0 } });
    }

    protected override void DisposeBackend()
    {
        _server?.Dispose();
        _backend?.Dispose();
    }
}
