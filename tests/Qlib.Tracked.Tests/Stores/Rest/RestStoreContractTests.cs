using Qlib.Tracked.Stores;
using Qlib.Tracked.Stores.Rest;
using Qlib.Tracked.Tests.Server;
using Qlib.Tracked.Tests.Stores.Contract;
using Qlib.Tracked.Web.Server;

namespace Qlib.Tracked.Tests.Stores.Rest;

/// <summary>
/// The store contract on the REST store, talking real HTTP to a real <c>qtrack server</c> (in this process, on a free
/// loopback port) in front of each backend, artifact locations passed on as local paths (<c>--no-serve-artifacts</c>).
/// Every call crosses the wire both ways, so this checks the server's routes, the protocol types and the error mapping
/// end to end. A server per test: the contract expects a fresh store each time, and starting Kestrel costs milliseconds.
/// </summary>
public abstract class RestStoreContractTests : StoreContractTests
{
    private ServerHost? _server;

    protected override bool ThroughServer => true;

    /// <summary>The backend's URI behind the server.</summary>
    protected abstract string BackendUri();

    protected override ITrackingStore OpenStore()
    {
        _server = ServerHost.Start(new TrackingServerOptions
        {
            BackendStoreUri = BackendUri(),
            ArtifactsDestination = ArtifactRoot,
            ServeArtifacts = false,
        });
        return TrackingStoreRegistry.Open(_server.Uri, new TrackingStoreOptions { Http = new RestClientSettings { MaxRetries = 0 } });
    }

    protected override void DisposeBackend() => _server?.Dispose();
}

/// <summary>Through <c>qtrack server</c> over MLflow's file store.</summary>
public sealed class RestOverFileStoreContractTests : RestStoreContractTests
{
    protected override bool IsSql => false;

    protected override string BackendUri() => Temp.Combine("mlruns");
}

/// <summary>Through <c>qtrack server</c> over MLflow's SQL store on SQLite.</summary>
public sealed class RestOverSqliteContractTests : RestStoreContractTests
{
    protected override bool IsSql => true;

    protected override string BackendUri() => "sqlite:///" + Temp.Combine("mlflow.db");
}

/// <summary>Through <c>qtrack server</c> over MLflow's SQL store on a real PostgreSQL server (a fresh schema per test).</summary>
[Collection(PostgresCollection.Name)]
public sealed class RestOverPostgresContractTests(PostgresCluster cluster) : RestStoreContractTests
{
    protected override bool IsSql => true;

    protected override string BackendUri()
    {
        Skip.If(cluster.Unavailable is not null, cluster.Unavailable);
        return cluster.CreateSchema(GetType());
    }
}
