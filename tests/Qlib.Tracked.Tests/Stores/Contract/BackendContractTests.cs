using Qlib.Tracked.Stores;

namespace Qlib.Tracked.Tests.Stores.Contract;

/// <summary>The contract on MLflow's file store (<c>mlruns/</c>).</summary>
public sealed class FileStoreContractTests : StoreContractTests
{
    protected override bool IsSql => false;

    protected override ITrackingStore OpenStore() =>
        TrackingStoreRegistry.Open(Temp.Combine("mlruns"), new TrackingStoreOptions { DefaultArtifactRoot = ArtifactRoot });
}

/// <summary>The contract on MLflow's SQL store over a SQLite file (<c>sqlite:////abs/path.db</c>).</summary>
public sealed class SqliteStoreContractTests : StoreContractTests
{
    protected override bool IsSql => true;

    protected override ITrackingStore OpenStore() =>
        TrackingStoreRegistry.Open("sqlite:///" + Temp.Combine("mlflow.db"), new TrackingStoreOptions { DefaultArtifactRoot = ArtifactRoot });
}

/// <summary>The contract on MLflow's SQL store over a real PostgreSQL server (a database per test class, a fresh schema per test).</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresStoreContractTests(PostgresCluster cluster) : StoreContractTests
{
    protected override bool IsSql => true;

    protected override ITrackingStore OpenStore()
    {
        Skip.If(cluster.Unavailable is not null, cluster.Unavailable);
        return TrackingStoreRegistry.Open(cluster.CreateSchema(GetType()), new TrackingStoreOptions { DefaultArtifactRoot = ArtifactRoot });
    }
}
