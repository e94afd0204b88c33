using Npgsql;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores;
using Qlib.Tracked.Stores.Sql;
using Qlib.Tracked.Tests.Stores.Contract;

namespace Qlib.Tracked.Tests.Stores.Sql;

/// <summary>What only the SQL store has, on a real PostgreSQL server: MLflow's tables, the revision check, concurrent clients.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresStoreTests(PostgresCluster cluster)
{
    private string FreshUri()
    {
        Skip.If(cluster.Unavailable is not null, cluster.Unavailable);
        return cluster.CreateSchema(GetType());
    }

    private static List<string> Query(string uri, string sql)
    {
        var parsed = SqlStoreUri.Parse(uri);
        using var connection = new NpgsqlConnection($"Host={parsed.Host};Port={parsed.Port};Username={parsed.User};Database={parsed.Database};Options={parsed.Options};Pooling=false");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read()) rows.Add(reader.IsDBNull(0) ? "" : reader.GetValue(0).ToString()!);
        return rows;
    }

    [SkippableFact]
    public void NewDatabase_HasEveryMlflowTable_AtRevisionAcf3f17fdcc7()
    {
        var uri = FreshUri();
        using (var store = new SqlStore(uri)) Assert.Equal(SqlEngine.PostgreSql, store.Engine);
        var tables = Query(uri, "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()").Order(StringComparer.Ordinal);
        Assert.Equal(["alembic_version", "datasets", "experiment_tags", "experiments", "input_tags", "inputs", "latest_metrics", "metrics",
            "model_version_tags", "model_versions", "params", "registered_model_aliases", "registered_model_tags", "registered_models", "runs", "tags"], tables);
        Assert.Equal(["acf3f17fdcc7"], Query(uri, "SELECT version_num FROM alembic_version"));
        Assert.Equal(["true"], Query(uri, "SELECT (data_type = 'boolean')::text FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'metrics' AND column_name = 'is_nan'"));
    }

    [SkippableFact]
    public void DatabaseAtAnotherRevision_IsRefused()
    {
        var uri = FreshUri();
        using (new SqlStore(uri)) { }
        Query(uri, "UPDATE alembic_version SET version_num = 'a8c4a736bde6' RETURNING version_num");
        var e = Assert.Throws<SchemaRevisionException>(() => new SqlStore(uri));
        Assert.Contains("'a8c4a736bde6'", e.Message);
        Assert.Contains("mlflow db upgrade", e.Message);
        Assert.DoesNotContain("unused", e.Message); // the password never appears
    }

    [SkippableFact]
    public void TwoStoresOpeningAnEmptyDatabaseAtOnce_CreateTheSchemaOnce()
    {
        var uri = FreshUri();
        Parallel.For(0, 3, _ => { using var store = new SqlStore(uri); });
        Assert.Equal(["1"], Query(uri, "SELECT COUNT(*) FROM experiments"));
    }

    [SkippableFact]
    public void ManyClients_LogToOneRunAtOnce_NothingIsLost_LatestIsRight()
    {
        var uri = FreshUri();
        string runId;
        using (var store = new SqlStore(uri)) runId = store.CreateRun("0", null, 1, null, "shared").Info.RunId;
        const int clients = 4, batches = 10, points = 50;
        Parallel.For(0, clients, new ParallelOptions { MaxDegreeOfParallelism = clients }, c =>
        {
            using var store = new SqlStore(uri);
            for (var b = 0; b < batches; b++)
                store.LogBatch(runId, Enumerable.Range(0, points).Select(p => new Metric("m", c + b * 0.001, 1000, (c * batches + b) * points + p)).ToList(), [], []);
        });
        using var reader = new SqlStore(uri);
        Assert.Equal(clients * batches * points, reader.GetMetricHistory(runId, "m").Count);
        Assert.Equal(clients * batches * points - 1, reader.GetRun(runId).Data.Metrics["m"].Step);
    }
}
