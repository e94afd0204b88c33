using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores;
using Qlib.Tracked.Stores.Sql;

namespace Qlib.Tracked.Tests.Stores.Sql;

/// <summary>What only the SQL store has: MLflow's schema and revision, URIs, and several writers on one SQLite file.</summary>
public sealed class SqliteStoreTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string DatabasePath => _temp.Combine("mlflow.db");

    private string Uri => "sqlite:///" + DatabasePath;

    private SqlStore Open() => new(Uri, new TrackingStoreOptions { DefaultArtifactRoot = _temp.Combine("artifacts") });

    private List<string> Query(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=false");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read()) rows.Add(reader.IsDBNull(0) ? "" : reader.GetValue(0).ToString()!);
        return rows;
    }

    private void Execute(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=false");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static string Normalize(string ddl) => string.Join(' ', ddl.Split([' ', '\n', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries));

    [Fact]
    public void NewDatabase_HasMlflow212sSchemaStatementForStatement()
    {
        using (Open()) { }
        var expected = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "mlflow-sqlite-reference", "schema.sql"))
            .Split(';').Select(s => string.Join('\n', s.Split('\n').Where(l => !l.StartsWith("--", StringComparison.Ordinal))))
            .Where(s => s.Trim().Length > 0).Select(Normalize).Order(StringComparer.Ordinal).ToList();
        var actual = Query("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL").Select(Normalize).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, actual);
        Assert.Equal(["acf3f17fdcc7"], Query("SELECT version_num FROM alembic_version"));
    }

    [Fact]
    public void DefaultExperimentIsZero_NewOnesCountFromOne_ArtifactLocationsArePlainAbsolutePaths()
    {
        using var store = new SqlStore(Uri); // default artifact root: ./mlruns resolved now, as MLflow does
        var root = Path.GetFullPath("mlruns");
        Assert.Equal(root + "/0", store.GetExperiment("0").ArtifactLocation);
        Assert.Equal("1", store.CreateExperiment("one"));
        Assert.Equal("2", store.CreateExperiment("two"));
        Assert.Equal(root + "/2", store.GetExperiment("2").ArtifactLocation);
        // Experiment ids order as numbers in the SQL store.
        for (var i = 3; i <= 10; i++) store.CreateExperiment("e" + i);
        var ids = store.SearchExperiments(null, ViewType.All, 100, ["experiment_id ASC"]).Items.Select(e => e.ExperimentId);
        Assert.Equal(Enumerable.Range(0, 11).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), ids);
    }

    [Fact]
    public void DatabaseAtAnotherRevision_IsRefusedNamingBothRevisionsAndWhatToDo_UntouchedByTheAttempt()
    {
        using (Open()) { }
        Execute("UPDATE alembic_version SET version_num = 'a8c4a736bde6'");
        var before = File.ReadAllBytes(DatabasePath);
        var e = Assert.Throws<SchemaRevisionException>(Open);
        Assert.Equal(ErrorCode.InvalidState, e.Code);
        Assert.Equal("a8c4a736bde6", e.FoundRevision);
        Assert.Contains("'a8c4a736bde6'", e.Message);
        Assert.Contains("'acf3f17fdcc7'", e.Message);
        Assert.Contains("mlflow db upgrade", e.Message);
        Assert.Contains(DatabasePath, e.Message);
        Assert.Equal(before, File.ReadAllBytes(DatabasePath));
    }

    /// <summary>A newer MLflow's database (an unknown revision, extra tables and columns): read, never written.</summary>
    [Fact]
    public void NewerMlflowsDatabase_IsReadButOpenedReadOnly_SayingWhy()
    {
        string runId;
        using (var store = Open())
        {
            runId = store.CreateRun("0", null, 1, null, "before-upgrade").Info.RunId;
            store.LogBatch(runId, [new Metric("m", 0.5, 2, 0)], [new Param("p", "1")], []);
        }
        Execute("UPDATE alembic_version SET version_num = 'ffffffffffff'");
        Execute("ALTER TABLE metrics ADD COLUMN model_id VARCHAR(32)");
        Execute("CREATE TABLE logged_models (model_id VARCHAR(36) PRIMARY KEY)");
        var before = File.ReadAllBytes(DatabasePath);
        using (var store = Open())
        {
            Assert.Contains("'ffffffffffff'", store.ReadOnlyReason);
            var run = store.GetRun(runId);
            Assert.Equal("1", run.Data.Params["p"]);
            Assert.Equal(0.5, Assert.Single(store.GetMetricHistory(runId, "m")).Value);
            Assert.Single(store.SearchRuns(["0"], "params.p = '1'", ViewType.ActiveOnly, 10, null, null).Items);
            var e = Assert.Throws<TrackingException>(() => store.LogMetric(runId, new Metric("m", 1, 3, 1)));
            Assert.Equal(ErrorCode.InvalidState, e.Code);
            Assert.Contains("read-only", e.Message);
            Assert.Contains("'ffffffffffff'", e.Message);
            Assert.Throws<TrackingException>(() => store.CreateExperiment("new"));
        }
        Assert.Equal(before, File.ReadAllBytes(DatabasePath));
    }

    [Fact]
    public void NewerMlflowsDatabase_WithoutAColumnThisStoreReads_IsRefusedNamingIt()
    {
        using (Open()) { }
        Execute("UPDATE alembic_version SET version_num = 'ffffffffffff'");
        Execute("ALTER TABLE runs DROP COLUMN deleted_time");
        var e = Assert.Throws<SchemaRevisionException>(Open);
        Assert.Contains("runs.deleted_time", e.Message);
        Assert.Equal("ffffffffffff", e.FoundRevision);
    }

    [Fact]
    public void DatabaseWithOtherTables_IsRefusedAsNotMlflows_AndLeftAlone()
    {
        Execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)");
        var e = Assert.Throws<SchemaRevisionException>(Open);
        Assert.Contains("not an MLflow tracking database", e.Message);
        Assert.Contains("invoices", e.Message);
        Assert.Equal(["invoices"], Query("SELECT name FROM sqlite_master WHERE type = 'table'"));
    }

    [Fact]
    public void DatabaseMissingATable_IsRefusedAsDamaged()
    {
        using (Open()) { }
        Execute("DROP TABLE latest_metrics");
        var e = Assert.Throws<SchemaRevisionException>(Open);
        Assert.Contains("latest_metrics", e.Message);
    }

    [Fact]
    public void Registry_OpensSqlUris_AndRefusesUnknownSchemes()
    {
        using (var store = TrackingStoreRegistry.Open(Uri) as SqlStore)
        {
            Assert.NotNull(store);
            Assert.Equal(SqlEngine.Sqlite, store.Engine);
            Assert.Equal(Uri, store.TrackingUri);
        }
        var e = Assert.Throws<TrackingException>(() => TrackingStoreRegistry.Open("mysql://u:p@h/db"));
        Assert.Equal(ErrorCode.NotImplemented, e.Code);
    }

    [Fact]
    public void Uris_ParseMlflowsSpellings()
    {
        Assert.Equal(Path.GetFullPath("rel/mlflow.db"), SqlStoreUri.Parse("sqlite:///rel/mlflow.db").DatabasePath);
        Assert.Equal("/abs/path.db", SqlStoreUri.Parse("sqlite:////abs/path.db").DatabasePath);
        var pg = SqlStoreUri.Parse("postgresql://alice:s%40cret@db.example:5433/mlflow?sslmode=require");
        Assert.Equal((SqlEngine.PostgreSql, "db.example", 5433, "alice", "s@cret", "mlflow", "require"), (pg.Engine, pg.Host, pg.Port, pg.User, pg.Password, pg.Database, pg.SslMode));
        Assert.Equal("postgresql://alice:***@db.example:5433/mlflow?sslmode=require", pg.Redacted);
        var psycopg = SqlStoreUri.Parse("postgresql+psycopg2://bob@localhost/runs");
        Assert.Equal(("localhost", (int?)null, "bob", (string?)null, "runs"), (psycopg.Host, psycopg.Port, psycopg.User, psycopg.Password, psycopg.Database));
        Assert.Equal("/var/run/postgresql", SqlStoreUri.Parse("postgresql://u@/db?host=/var/run/postgresql").Host);
    }

    [Theory]
    [InlineData("sqlite://", "sqlite:///relative")]
    [InlineData("sqlite:///", "in-memory")]
    [InlineData("sqlite:///x.db?timeout=5", "query options")]
    [InlineData("postgresql://u:pw@host:5432", "name one database")]
    [InlineData("postgresql://u:pw@host:port/db", "the port 'port'")]
    [InlineData("postgresql://u:pw@host/db?application_name=x", "'application_name' is not supported")]
    public void BadUris_AreInvalidParameterNamingTheProblem_WithoutThePassword(string uri, string problem)
    {
        var e = Assert.Throws<TrackingException>(() => SqlStoreUri.Parse(uri));
        Assert.Equal(ErrorCode.InvalidParameterValue, e.Code);
        Assert.Contains(problem, e.Message);
        Assert.DoesNotContain(":pw@", e.Message);
    }

    [Fact]
    public void MissingFolder_IsAClearError()
    {
        var e = Assert.Throws<TrackingException>(() => new SqlStore("sqlite:///" + _temp.Combine("no", "such", "dir", "m.db")));
        Assert.Contains("does not exist", e.Message);
    }

    [Fact]
    public void Disposed_StoreRefusesCalls()
    {
        var store = Open();
        store.Dispose();
        Assert.Throws<ObjectDisposedException>(() => store.GetExperiment("0"));
    }

    /// <summary>
    /// The first write switches the file to WAL (a commit then needs no fsync; docs/sql-store.md); another connection —
    /// as another process's — sees every commit at once while this store keeps its connections open, and once the store
    /// is disposed of the last connection folds the log back into the file and removes it.
    /// </summary>
    [Fact]
    public void FirstWrite_SwitchesTheFileToWal_AndOtherConnectionsSeeEveryCommitWhileTheStoreIsOpen()
    {
        string runId;
        using (var store = Open()) // creating the schema is the first write
        {
            Assert.Equal(["wal"], Query("PRAGMA journal_mode"));
            runId = store.CreateRun("0", null, 1, null, "r").Info.RunId;
            store.LogBatch(runId, [new Metric("m", 0.5, 2, 0), new Metric("m", double.NaN, 3, 1)], [new Param("p", "1")], []);
            Assert.Equal(["2"], Query($"SELECT COUNT(*) FROM metrics WHERE run_uuid = '{runId}'"));
            Assert.Equal(["1"], Query($"SELECT value FROM params WHERE run_uuid = '{runId}'"));
            Assert.True(File.Exists(DatabasePath + "-wal"), "a WAL database keeps its log beside it while open");
            Assert.Equal([0.5, double.NaN], store.GetMetricHistory(runId, "m").Select(m => m.Value));
        }
        Assert.False(File.Exists(DatabasePath + "-wal"), "the last connection should fold the log into the file and remove it");
        Assert.Equal(["2"], Query($"SELECT COUNT(*) FROM metrics WHERE run_uuid = '{runId}'"));
    }

    /// <summary>
    /// Logging for a while: the store's own thread copies the log back into the database file as commits arrive (the
    /// connections' automatic checkpoint only starts at 16,384 frames, more than this test writes), and starts the log
    /// over every ~4,096 frames instead of letting it grow with every batch.
    /// </summary>
    [Fact]
    public void SteadyLogging_IsCopiedIntoTheFileInTheBackground_AndTheLogIsReusedNotGrown()
    {
        const int Batches = 300, Points = 1_000; // ~45 frames a batch: ~13,500 frames, 55 MB of log if it never restarted
        using var store = Open();
        var runId = store.CreateRun("0", null, 1, null, "steady").Info.RunId;
        for (var b = 0; b < Batches; b++)
            store.LogBatch(runId, [.. Enumerable.Range(0, Points).Select(i => new Metric("metric_" + i % 10, b + i * 1e-3, 1_700_000_000_000 + b, b * 100 + i / 10))], [], []);

        // Frames are 4 KB pages plus a 24-byte header; the log file keeps the length of its longest stretch.
        var logFrames = new FileInfo(DatabasePath + "-wal").Length / (4096 + 24);
        Assert.True(logFrames < 8_192, $"the log reached {logFrames} frames: it should have been started over at ~4,096");

        // The database file alone (no log beside it) holds every committed row once the thread has caught up.
        var copy = _temp.Combine("file-only.db");
        var rows = "";
        var deadline = Stopwatch.StartNew();
        do
        {
            Thread.Sleep(50);
            File.Copy(DatabasePath, copy, overwrite: true);
            using var connection = new SqliteConnection($"Data Source={copy};Pooling=false");
            connection.Open();
            using var count = connection.CreateCommand();
            count.CommandText = $"SELECT COUNT(*) FROM metrics WHERE run_uuid = '{runId}'";
            rows = count.ExecuteScalar()!.ToString()!;
        }
        while (rows != (Batches * Points).ToString(System.Globalization.CultureInfo.InvariantCulture) && deadline.Elapsed < TimeSpan.FromSeconds(20));
        Assert.Equal(Batches * Points, int.Parse(rows, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(Batches * Points, store.GetMetricHistory(runId, "metric_0").Count * 10);
    }

    /// <summary>Several stores (each its own connections, as separate processes have) write one run at once: nothing is lost.</summary>
    [Fact]
    public void ConcurrentWriters_OnOneFile_LoseNothing_AndLatestIsTheGlobalLatest()
    {
        string runId;
        using (var store = Open()) runId = store.CreateRun("0", null, 1, null, "shared").Info.RunId;
        const int writers = 4, batches = 25, points = 20;
        Parallel.For(0, writers, new ParallelOptions { MaxDegreeOfParallelism = writers }, w =>
        {
            using var store = Open();
            for (var b = 0; b < batches; b++)
            {
                var metrics = Enumerable.Range(0, points).Select(p => new Metric("shared", w * 1_000_000 + b * 1000 + p, 1000 + b, (w * batches + b) * points + p)).ToList();
                metrics.Add(new Metric("own-" + w, b, 1000 + b, b));
                store.LogBatch(runId, metrics, [new Param($"w{w}b{b}", "x")], [new RunTag("last-" + w, b.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
            }
        });
        using var reader = Open();
        Assert.Equal(writers * batches * points, reader.GetMetricHistory(runId, "shared").Count);
        var run = reader.GetRun(runId);
        var maxStep = writers * batches * points - 1;
        Assert.Equal(maxStep, run.Data.Metrics["shared"].Step);
        Assert.Equal(writers * batches + 0, run.Data.Params.Count);
        for (var w = 0; w < writers; w++)
        {
            Assert.Equal(batches - 1, run.Data.Metrics["own-" + w].Value);
            Assert.Equal((batches - 1).ToString(System.Globalization.CultureInfo.InvariantCulture), run.Data.Tags["last-" + w]);
        }
    }

    /// <summary>
    /// Another process (Python's sqlite3, writing rows in transactions the way MLflow's SQLAlchemy store does) and this
    /// store write the same run of one database file at the same time: every point of both arrives and each key's
    /// latest point is right. Skipped where python3 is missing.
    /// </summary>
    [SkippableFact]
    public void AnotherProcessWritingTheSameFile_AndThisStore_LoseNothing()
    {
        Skip.If(!File.Exists("/usr/bin/python3") && !File.Exists("/usr/local/bin/python3"), "python3 is not installed on this machine.");
        using var store = Open();
        var runId = store.CreateRun("0", null, 1, null, "shared").Info.RunId;
        const int pythonPoints = 300, perBatch = 50;
        const string script = """
            import sqlite3, sys
            db, run, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
            c = sqlite3.connect(db, timeout=30, isolation_level=None)
            c.execute("PRAGMA synchronous = OFF")  # this connection only: the test is about locks, not the disk
            for i in range(n):
                c.execute("BEGIN")
                c.execute("INSERT INTO metrics (key, value, timestamp, run_uuid, step, is_nan) VALUES ('py', ?, ?, ?, ?, 0)", (float(i), 2000000000000 + i, run, i))
                row = c.execute("SELECT step FROM latest_metrics WHERE key = 'py' AND run_uuid = ?", (run,)).fetchone()
                if row is None:
                    c.execute("INSERT INTO latest_metrics (key, value, timestamp, step, is_nan, run_uuid) VALUES ('py', ?, ?, ?, 0, ?)", (float(i), 2000000000000 + i, i, run))
                elif i > row[0]:
                    c.execute("UPDATE latest_metrics SET value = ?, timestamp = ?, step = ? WHERE key = 'py' AND run_uuid = ?", (float(i), 2000000000000 + i, i, run))
                c.execute("COMMIT")
            """;
        var info = new ProcessStartInfo("python3") { RedirectStandardError = true };
        foreach (var argument in new[] { "-c", script, DatabasePath, runId, pythonPoints.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            info.ArgumentList.Add(argument);
        using var python = Process.Start(info)!;
        var batches = 0;
        while (!python.HasExited || batches < 20)
        {
            var b = batches++;
            store.LogBatch(runId, Enumerable.Range(0, perBatch).Select(i => new Metric("ours", i, b * 1000L + i, b * perBatch + i)).ToList(), [], []);
            // SQLite's busy handler is not fair: a writer that commits back to back with no gap can starve the other
            // process past its 30 s timeout (seen under CI load). Real trainers pause between batches; so does this one.
            Thread.Sleep(2);
        }
        python.WaitForExit();
        Assert.True(python.ExitCode == 0, python.StandardError.ReadToEnd());
        Assert.Equal(pythonPoints, store.GetMetricHistory(runId, "py").Count);
        Assert.Equal(batches * perBatch, store.GetMetricHistory(runId, "ours").Count);
        var latest = store.GetRun(runId).Data.Metrics;
        Assert.Equal(pythonPoints - 1, latest["py"].Step);
        Assert.Equal(batches * perBatch - 1, latest["ours"].Step);
    }

    [Fact]
    public async Task IdleConnections_TheOneReleasedLastIsHandedOutFirst_AtMostFourAreKept()
    {
        // A connection that sat out another's write starts its next transaction with a cold page cache (WAL mode): a
        // server answering one request after another, each on whatever thread, must keep getting the same warm one.
        using var dialect = new SqliteDialect(DatabasePath);
        var open = Enumerable.Range(0, 6).Select(_ => dialect.Open()).ToList();
        // Released on another thread than the one taking them next, as a server's requests are.
        await Task.Run(() => open.ForEach(dialect.Release));
        var reused = Enumerable.Range(0, 5).Select(_ => dialect.Open()).ToList();
        Assert.Equal([open[3], open[2], open[1], open[0]], reused.Take(4));
        Assert.DoesNotContain(reused[4], open); // the fifth and sixth were closed, not kept: a fresh one
        Assert.Equal(System.Data.ConnectionState.Closed, open[5].State);
        foreach (var connection in reused) dialect.Release(connection);
        Assert.Equal(System.Data.ConnectionState.Closed, reused[4].State);
        Assert.Same(reused[3], dialect.Open());
    }

    [Fact]
    public void RepeatedKeysAndValues_InABatchAndAcrossRunsOnOneCachedStatement_AreEachStoredAsGiven()
    {
        // A prepared row statement skips re-binding text equal to what it last bound: every row must still get its own.
        using var store = Open();
        var first = store.CreateRun("0", null, 1700000000000, null, "a").Info.RunId;
        var second = store.CreateRun("0", null, 1700000000000, null, "b").Info.RunId;
        store.LogBatch(first, [new("m", 1, 1, 0), new("m", 2, 2, 1), new("n", 3, 3, 0), new("n", 4, 4, 1), new("m", 5, 5, 2)],
            [new("p1", "x"), new("p2", "x"), new("p3", "y")], [new("t1", "v"), new("t2", "v")]);
        // The same key as the last row above, now for another run (the shared run id changes, the key binding does not).
        store.LogBatch(second, [new("m", 6, 6, 0), new("o", 7, 7, 0), new("m", 8, 8, 1)], [new("p1", "x")], []);

        Assert.Equal([1.0, 2, 5], store.GetMetricHistory(first, "m").Select(p => p.Value));
        Assert.Equal([3.0, 4], store.GetMetricHistory(first, "n").Select(p => p.Value));
        Assert.Equal([6.0, 8], store.GetMetricHistory(second, "m").Select(p => p.Value));
        Assert.Equal([7.0], store.GetMetricHistory(second, "o").Select(p => p.Value));
        var run = store.GetRun(first);
        Assert.Equal(new Dictionary<string, string> { ["p1"] = "x", ["p2"] = "x", ["p3"] = "y" }, run.Data.Params);
        Assert.Equal("v", run.Data.Tags["t1"]);
        Assert.Equal("v", run.Data.Tags["t2"]);
        Assert.Equal(new Dictionary<string, string> { ["p1"] = "x" }, store.GetRun(second).Data.Params);
        Assert.Equal(["m", "m", "m", "m", "m", "n", "n", "o"], Query("SELECT \"key\" FROM metrics ORDER BY \"key\", value"));
    }
}
