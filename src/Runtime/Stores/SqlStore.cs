using System.Data.Common;
using Qlib.Tracked.Artifacts;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores.Sql;

namespace Qlib.Tracked.Stores;

/// <summary>
/// MLflow's SQL tracking store (<c>sqlalchemy_store.py</c>) on SQLite or PostgreSQL: MLflow 2.12's schema exactly
/// (created in an empty database, required at revision <c>acf3f17fdcc7</c> in an existing one), so MLflow reads
/// what this store writes and the other way round, also while both have the database open.
/// Thread-safe: each operation opens its own connection and transaction.
/// </summary>
/// <remarks>
/// The database is the only state: every call takes a connection (SQLite: kept open by this store with its prepared
/// statements), does its work in one transaction and commits, so other processes' writes are seen on the next call. A
/// batch is one transaction (its metrics, their <c>latest_metrics</c> rows, params and tags together, or nothing). A
/// SQLite file is switched to WAL on the first write (docs/sql-store.md). Calls that meet a busy SQLite file wait for
/// it (<see cref="SqliteDialect.BusyTimeoutSeconds"/> per statement) and a transaction that still fails on a lock,
/// a deadlock or a serialization conflict is retried whole. Search narrows the candidates in SQL
/// (<see cref="SqlRunPrefilter"/>), reads them with just the keys it needs in one query and answers with the shared
/// search code under MLflow's SQL-store
/// semantics (see <see cref="SearchRuns"/>). This type is split over <c>SqlStore.*.cs</c>.
/// </remarks>
public sealed partial class SqlStore : ITrackingStore, IDisposable
{
    private const int MaxAttempts = 8;
    private const string DefaultExperimentName = "Default";
    private const string DefaultExperimentId = "0";

    private readonly SqlDialect _dialect;
    private readonly string _defaultArtifactRoot;
    private int _disposed;

    /// <summary>Opens (creating the schema of an empty database) the store a <c>sqlite:</c> or <c>postgresql:</c> URI names.</summary>
    public SqlStore(string uri, TrackingStoreOptions? options = null)
    {
        options ??= new TrackingStoreOptions();
        var parsed = SqlStoreUri.Parse(uri);
        TrackingUri = parsed.Redacted;
        // MLflow's resolve_uri_if_local: a local path becomes absolute (no file://), a URI is kept.
        _defaultArtifactRoot = ResolveIfLocal(options.DefaultArtifactRoot ?? "./mlruns");
        ArtifactRoots = new ArtifactRoots([_defaultArtifactRoot, .. options.ArtifactRoots]);
        _dialect = parsed.Engine == SqlEngine.Sqlite ? new SqliteDialect(parsed.DatabasePath!) : new PostgresDialect(parsed);
        try
        {
            EnsureSchema();
        }
        catch
        {
            _dialect.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public string TrackingUri { get; }

    /// <summary>The artifact root of new experiments (absolute; a URI when configured as one).</summary>
    public string DefaultArtifactRoot => _defaultArtifactRoot;

    /// <summary>Where runs may keep artifacts: the default artifact root and <see cref="TrackingStoreOptions.ArtifactRoots"/>.</summary>
    public ArtifactRoots ArtifactRoots { get; }

    /// <summary>Which database engine this store talks to.</summary>
    public SqlEngine Engine => _dialect.Engine;

    /// <summary>Never raised: the database either answers or the call fails (nothing is skipped as corrupt).</summary>
    public event Action<StoreWarning>? Warning
    {
        add { }
        remove { }
    }

    /// <summary>Closes the pooled connections.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0) _dialect.Dispose();
    }

    private static string ResolveIfLocal(string location) =>
        Stores.TrackingUri.GetScheme(location) == "file" && !location.StartsWith("file:", StringComparison.OrdinalIgnoreCase)
            ? Path.TrimEndingDirectorySeparator(Path.GetFullPath(location))
            : location;

    private static string AppendUriPath(string uri, params string[] segments) =>
        uri.TrimEnd('/') + "/" + string.Join('/', segments);

    // ----- schema -----

    /// <summary>
    /// An empty database gets MLflow 2.12's schema and the Default experiment; an MLflow database must be at
    /// revision <see cref="SqlSchema.Revision"/>; anything else is refused untouched (<see cref="SchemaRevisionException"/>).
    /// A database that is ready is only read (no write lock is taken, so opening never waits for a busy writer).
    /// </summary>
    private void EnsureSchema()
    {
        var ready = Read("open the database", (connection, transaction) =>
        {
            var tables = ListTables(connection, transaction);
            if (tables.Count == 0) return false;
            RequireMlflowRevision(connection, transaction, tables);
            return ReadOnlyReason is not null || CountExperiments(connection, transaction) > 0;
        });
        if (ready) return;
        Write("create MLflow's schema", (connection, transaction) =>
        {
            _dialect.LockForSchemaCreation(connection, transaction);
            var tables = ListTables(connection, transaction); // again: another process may have created it meanwhile
            if (tables.Count == 0)
            {
                foreach (var statement in SqlSchema.CreateStatements(_dialect.Engine))
                {
                    using var create = SqlCommands.Create(connection, transaction, statement);
                    create.ExecuteNonQuery();
                }
            }
            else
            {
                RequireMlflowRevision(connection, transaction, tables);
            }
            if (CountExperiments(connection, transaction) > 0) return 0;
            // MLflow inserts the Default experiment with the explicit id 0 (the autoincrement then continues at 1).
            var now = NowMillis();
            using var insert = SqlCommands.Create(connection, transaction,
                "INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time) " +
                "VALUES (0, @name, @location, 'active', @now, @now)")
                .With("@name", DefaultExperimentName).With("@location", AppendUriPath(_defaultArtifactRoot, DefaultExperimentId)).With("@now", now);
            insert.ExecuteNonQuery();
            return 0;
        });
    }

    private HashSet<string> ListTables(DbConnection connection, DbTransaction transaction)
    {
        var tables = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        using var list = SqlCommands.Create(connection, transaction, _dialect.ListTablesSql);
        using var reader = list.ExecuteReader();
        while (reader.Read()) tables.Add(reader.GetString(0));
        return tables;
    }

    private static long CountExperiments(DbConnection connection, DbTransaction transaction)
    {
        using var count = SqlCommands.Create(connection, transaction, "SELECT COUNT(*) FROM experiments");
        return Convert.ToInt64(count.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Accepts MLflow 2.12's revision (every table present); refuses an older MLflow's revision (upgrade it) and a
    /// database that is not MLflow's. A newer MLflow's revision is opened read-only when every column this store reads
    /// is still there (<see cref="ReadOnlyReason"/>), and refused naming the missing ones otherwise.
    /// </summary>
    private void RequireMlflowRevision(DbConnection connection, DbTransaction transaction, HashSet<string> tables)
    {
        if (!tables.Contains("alembic_version"))
            throw new SchemaRevisionException(_dialect.Describe, null,
                $"The {_dialect.Describe} is not empty and is not an MLflow tracking database (it has no alembic_version table; " +
                $"tables: {string.Join(", ", tables.Order(StringComparer.Ordinal))}). Use an empty database or one MLflow created.");
        var revisions = new List<string>();
        using (var read = SqlCommands.Create(connection, transaction, "SELECT version_num FROM alembic_version"))
        using (var reader = read.ExecuteReader())
        {
            while (reader.Read()) revisions.Add(reader.GetString(0));
        }
        if (revisions.Count != 1)
            throw new SchemaRevisionException(_dialect.Describe, null,
                $"The {_dialect.Describe} has {revisions.Count} rows in alembic_version ('{string.Join("', '", revisions)}'); an MLflow database has exactly one. " +
                "Nothing in the database was changed.");
        var found = revisions[0];
        if (found == SqlSchema.Revision)
        {
            var missing = SqlSchema.Tables.Where(t => !tables.Contains(t)).ToArray();
            if (missing.Length > 0)
                throw new SchemaRevisionException(_dialect.Describe, found,
                    $"The {_dialect.Describe} records revision '{found}' but lacks the tables {string.Join(", ", missing)}; it is damaged. " +
                    "Restore it from a backup. Nothing in the database was changed.");
            return;
        }
        if (SqlSchema.OlderRevisions.Contains(found))
            throw new SchemaRevisionException(_dialect.Describe, found,
                $"The {_dialect.Describe} is at MLflow schema revision '{found}', which an older MLflow created, but this store reads and writes " +
                $"revision '{SqlSchema.Revision}' (MLflow 2.12). Back it up, then upgrade it with `mlflow db upgrade <uri>` using MLflow 2.12. " +
                "Nothing in the database was changed.");

        // A newer MLflow: its tracking tables keep the columns this store reads, or the database cannot be read at all.
        var absent = new List<string>();
        foreach (var (table, columns) in SqlSchema.ColumnsRead)
        {
            var present = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            using (var list = SqlCommands.Create(connection, transaction, _dialect.ListColumnsSql).With("@table", table))
            using (var reader = list.ExecuteReader())
            {
                while (reader.Read()) present.Add(reader.GetString(0));
            }
            absent.AddRange(columns.Where(c => !present.Contains(c)).Select(c => table + "." + c));
        }
        if (absent.Count > 0)
            throw new SchemaRevisionException(_dialect.Describe, found,
                $"The {_dialect.Describe} is at MLflow schema revision '{found}' (not MLflow 2.12's '{SqlSchema.Revision}'), and lacks columns this store " +
                $"reads: {string.Join(", ", absent)}. Open it with the MLflow that created it. Nothing in the database was changed.");
        ReadOnlyReason =
            $"it is at MLflow schema revision '{found}', which a newer MLflow than 2.12 created; this store reads it but writes only " +
            $"MLflow 2.12's revision '{SqlSchema.Revision}', so it does not risk rows the newer schema would reject or misread. Write with that MLflow";
    }

    /// <summary>Why this store refuses writes (a newer MLflow's database, read as far as its columns allow); null when it writes.</summary>
    public string? ReadOnlyReason { get; private set; }

    // ----- transactions -----

    /// <summary>Runs <paramref name="work"/> in one write transaction, retrying it whole on transient conflicts.</summary>
    private T Write<T>(string operation, Func<DbConnection, DbTransaction, T> work)
    {
        if (ReadOnlyReason is { } why)
            throw new TrackingException(ErrorCode.InvalidState, $"Cannot {operation}: the {_dialect.Describe} is open read-only because {why}.");
        // Tuned on the first write, not at open: opening a ready database only reads it.
        if (!_preparedForWrites)
        {
            lock (_dialect)
            {
                if (!_preparedForWrites) _dialect.PrepareForWrites();
                _preparedForWrites = true;
            }
        }
        return Execute(operation, write: true, work);
    }

    private volatile bool _preparedForWrites;

    /// <summary>Runs <paramref name="work"/> in one read transaction (one snapshot).</summary>
    private T Read<T>(string operation, Func<DbConnection, DbTransaction, T> work) => Execute(operation, write: false, work);

    private T Execute<T>(string operation, bool write, Func<DbConnection, DbTransaction, T> work)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // A writer waits for its turn before taking a connection, so writes that take turns reuse one warm
                // connection (and its prepared statements) instead of each waiting on one of their own.
                var committed = false;
                if (write) _dialect.EnterWrite();
                try
                {
                    var connection = _dialect.Open();
                    try
                    {
                        using var transaction = write ? _dialect.BeginWrite(connection) : _dialect.BeginRead(connection);
                        var result = work(connection, transaction);
                        transaction.Commit();
                        committed = true;
                        return result;
                    }
                    finally
                    {
                        _dialect.Release(connection); // the transaction has ended: committed, or rolled back by its Dispose
                    }
                }
                finally
                {
                    if (write) _dialect.ExitWrite(committed);
                }
            }
            catch (DbException e) when (_dialect.IsTransient(e) && attempt < MaxAttempts)
            {
                // Another writer holds the database: back off (with jitter, so two retrying writers separate) and redo all of it.
                Thread.Sleep(Random.Shared.Next(10, 50) * attempt);
            }
            catch (DbException e) when (_dialect.IsTransient(e))
            {
                throw new TrackingException(ErrorCode.InternalError,
                    $"Could not {operation}: the {_dialect.Describe} stayed locked by other writers through {MaxAttempts} attempts ({e.Message}).", e);
            }
            catch (DbException e) when (_dialect.IsUniqueViolation(e))
            {
                // Another process created the same name or key between this call's check and its insert.
                throw new TrackingException(ErrorCode.ResourceAlreadyExists,
                    $"Could not {operation}: another writer of the {_dialect.Describe} created it first ({e.Message}).", e);
            }
            catch (DbException e)
            {
                throw new TrackingException(ErrorCode.InternalError, $"Could not {operation} in the {_dialect.Describe}: {e.Message}", e);
            }
        }
    }

    private static long NowMillis() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    // ----- artifacts -----

    /// <summary>
    /// The run's artifact repository at its recorded <c>artifact_uri</c> (a local path or <c>file:</c> URI), which
    /// must lie, symlinks followed, inside <see cref="ArtifactRoots"/> (<see cref="ArtifactLocationNotAllowedException"/>).
    /// </summary>
    public IArtifactRepository GetArtifactRepository(string runId)
    {
        var info = GetRun(runId).Info;
        var owner = $"Run '{info.RunId}'";
        if (Stores.TrackingUri.GetScheme(info.ArtifactUri) != "file")
            throw new TrackingException(ErrorCode.NotImplemented,
                $"Run '{runId}' keeps its artifacts at '{info.ArtifactUri}', which is not a local path or file: URI; only local artifact stores are supported.");
        return new LocalArtifactRepository(info.ArtifactUri, ArtifactRoots.ResolveAllowed(owner, info.ArtifactUri));
    }
}
