using Qlib.Tracked;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores;
using Qlib.Tracked.Client;

namespace Qlib.Tracked.Benchmarks;

/// <summary>
/// A throw-away <c>mlruns</c> folder under <c>$QTRK_BENCH_DIR</c> (default: the temp directory). Folders are
/// deleted when the process exits, not when a benchmark ends: on ext4 without a journal, inode allocation skips
/// recently deleted inodes one by one, so deleting a 10,000-run store mid-run would slow the next benchmark's
/// file creation (see bench/README.md).
/// </summary>
internal sealed class BenchStore : IDisposable
{
    private static readonly List<string> ToDelete = [];

    /// <summary>
    /// <c>QTRK_BENCH_KEEP_STORES=1</c> leaves the stores on disk: deleting tens of thousands of files at exit makes
    /// the next benchmark process's inode allocations skip them for 30 s (bench/README.md, "Session 4").
    /// </summary>
    private static readonly bool KeepStores = Environment.GetEnvironmentVariable("QTRK_BENCH_KEEP_STORES") == "1";

    static BenchStore() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        if (KeepStores) return;
        lock (ToDelete)
        {
            foreach (var folder in ToDelete)
            {
                try { Directory.Delete(folder, recursive: true); }
                catch (IOException) { }
                catch (UnauthorizedAccessException) { }
            }
        }
    };

    public static string BaseDirectory =>
        Environment.GetEnvironmentVariable("QTRK_BENCH_DIR") is { Length: > 0 } configured ? Path.GetFullPath(configured) : Path.GetTempPath();

    /// <summary>
    /// <c>QTRK_BENCH_URI=sqlite</c> makes every BenchStore a fresh SQLite database (<c>bench.db</c> in its folder)
    /// opened through <see cref="TrackingStoreRegistry"/>; a <c>postgresql://</c> URI gets a new schema per store in that
    /// database (<see cref="FreshPostgresSchema"/>); any other value is opened as a URI as is. Unset: the file store. The Naive_* baselines
    /// write MLflow's file layout under <see cref="Root"/> whatever the store, so filter them out in SQL mode.
    /// </summary>
    public static string? SqlUri => Environment.GetEnvironmentVariable("QTRK_BENCH_URI") is { Length: > 0 } uri ? uri : null;

    public BenchStore(string label)
    {
        Root = Path.Combine(BaseDirectory, $"qtrk-bench-{label}-{Guid.NewGuid():N}", "mlruns");
        if (SqlUri is { } sql)
        {
            Directory.CreateDirectory(Root);
            var uri = sql == "sqlite" ? "sqlite:///" + Path.Combine(Path.GetDirectoryName(Root)!, "bench.db")
                : sql.StartsWith("postgresql", StringComparison.Ordinal) ? FreshPostgresSchema(sql)
                : sql;
            Store = TrackingStoreRegistry.Open(uri, new TrackingStoreOptions { DefaultArtifactRoot = Path.Combine(Root, "artifacts") });
        }
        else
        {
            Store = new FileStore(Root);
        }
        Client = new TrackingClient(Store);
        Uri = Store.TrackingUri;
    }

    /// <summary>
    /// A new schema in the PostgreSQL database <paramref name="uri"/> names (as the tests' PostgresCluster does), so every
    /// BenchStore starts empty as a new SQLite file does; the URI selects it with libpq's <c>options=-csearch_path</c>.
    /// </summary>
    private static string FreshPostgresSchema(string uri)
    {
        var parsed = Qlib.Tracked.Stores.Sql.SqlStoreUri.Parse(uri);
        var schema = "bench_" + Guid.NewGuid().ToString("N")[..12];
        var builder = new Npgsql.NpgsqlConnectionStringBuilder { Host = parsed.Host, Database = parsed.Database, Username = parsed.User, Password = parsed.Password, Pooling = false };
        if (parsed.Port is { } port) builder.Port = port;
        using (var connection = new Npgsql.NpgsqlConnection(builder.ConnectionString))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE SCHEMA " + schema; // a generated identifier, not user input
            command.ExecuteNonQuery();
        }
        return uri + (uri.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "options=-csearch_path%3D" + schema;
    }

    public string Root { get; }
    public ITrackingStore Store { get; }
    public TrackingClient Client { get; }
    public string Uri { get; }

    /// <summary>A QlibRecorder over this store, with source capture off (MLflow's fluent path runs no git either).</summary>
    public QlibRecorder NewQlibRecorder(string experimentName) =>
        new(new ExperimentManager(Uri, experimentName, new RecorderOptions { CaptureSource = false }));

    public string NewRun(string experimentId) => Client.CreateRun(experimentId).Info.RunId;

    public void Dispose()
    {
        lock (ToDelete) ToDelete.Add(Path.GetDirectoryName(Root)!);
    }
}

/// <summary>Batches of 1,000 points: 10 keys x 100 steps (a realistic training-loop mix).</summary>
internal static class Batches
{
    public static Metric[][] Build(int batchCount, int keys = 10, int stepsPerBatch = 100)
    {
        var names = Enumerable.Range(0, keys).Select(k => k switch
        {
            0 => "loss",
            1 => "val_loss",
            2 => "train/ic",
            3 => "valid/ic",
            _ => "metric_" + k,
        }).ToArray();
        var ts = 1_700_000_000_000L;
        var result = new Metric[batchCount][];
        for (var b = 0; b < batchCount; b++)
        {
            var batch = new Metric[keys * stepsPerBatch];
            var i = 0;
            for (var s = 0; s < stepsPerBatch; s++)
            {
                var step = (long)b * stepsPerBatch + s;
                for (var k = 0; k < keys; k++)
                    batch[i++] = new Metric(names[k], 1.0 / (step + k + 1) + 0.001 * k, ts + step, step);
            }
            result[b] = batch;
        }
        return result;
    }
}
