using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Qlib.Tracked.Entities;
using SQLitePCL;

namespace Qlib.Tracked.Stores.Sql;

/// <summary>
/// SQLite through Microsoft.Data.Sqlite: one database file that several processes (MLflow among them) may share.
/// A database this store writes is switched to write-ahead logging with <c>synchronous = NORMAL</c> on our connections
/// (<see cref="PrepareForWrites"/>): a commit then appends to the <c>-wal</c> file without waiting for the disk, which is
/// what makes small transactions cheap, and a thread of the store's own copies the log back into the file
/// (<see cref="SqliteCheckpointer"/>) instead of whichever commit makes it long. A killed process loses nothing it
/// committed; a power loss or OS crash may lose the last commits before a checkpoint but never corrupts the file
/// (docs/sql-store.md). The journal mode is a property of the file: MLflow and the <c>sqlite3</c> shell read and write
/// it unchanged (WAL needs every user on one machine, which a SQLite file shared between processes needs anyway). A
/// locked database is waited for up to <see cref="BusyTimeoutSeconds"/> per statement.
/// </summary>
internal sealed class SqliteDialect : SqlDialect
{
    /// <summary>How long one statement waits for another process's lock before SQLITE_BUSY.</summary>
    public const int BusyTimeoutSeconds = 30;

    private const string BusyTimeoutPragma = "PRAGMA busy_timeout = 30000";

    // In WAL mode NORMAL syncs only at checkpoints (the database stays consistent on power loss); in rollback-journal
    // mode it could corrupt the file on power loss, so the pragma is only added once the file is in WAL mode.
    // Checkpoints run on SqliteCheckpointer's thread; the connections' own automatic checkpoint (SQLite's default: at
    // 1,000 frames) only takes over at 16,384 frames (64 MB), should that thread fall behind or another process keep
    // the log from starting over.
    private const string WalConnectionPragmas = BusyTimeoutPragma + "; PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 16384" + ReadPragmas;

    // Reads go through a memory map of the file (up to 256 MB) instead of a read() per page missing from SQLite's small
    // page cache: on a 100,000-run database that syscall traffic was most of a search's time.
    private const string ReadPragmas = "; PRAGMA mmap_size = 268435456";

    /// <summary>Open connections kept between calls; more than this many idle ones are closed.</summary>
    private const int MaxIdleConnections = 4;

    private readonly string _connectionString;
    private volatile string _connectionPragmas = BusyTimeoutPragma + ReadPragmas;

    // Connections stay open between calls with their prepared statements: opening one (even from the provider's pool)
    // re-runs the pragmas, and preparing a statement parses its SQL, which together cost more than a small transaction.
    // Last in, first out: in WAL mode a connection drops its whole page cache when another connection has written since
    // its last transaction, so handing out the connection released last keeps one warm connection for callers that take
    // turns (a server's requests, one after the other, on whatever thread) instead of rotating through cold ones.
    private readonly Stack<SqliteConnection> _idle = new(MaxIdleConnections);
    private readonly ConditionalWeakTable<DbConnection, Prepared> _statements = new();
    private SqliteCheckpointer? _checkpointer;

    // One write transaction of this store at a time: SQLite lets only one writer in anyway, and one waiting here is let
    // in the moment the other ends, where one waiting on SQLite's lock sleeps in steps of up to 100 ms (busy handler).
    // The checkpointer takes it for the moment it needs no commit of ours.
    private readonly Lock _writeTurn = new();
    private int _disposed;

    public SqliteDialect(string path)
    {
        Path = path;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = BusyTimeoutSeconds,
        }.ToString();
    }

    public string Path { get; }

    public override SqlEngine Engine => SqlEngine.Sqlite;

    public override string Describe => $"SQLite database '{Path}'";

    public override DbConnection Open()
    {
        while (TakeIdle() is { } idle)
        {
            if (idle.State == ConnectionState.Open) return idle;
            Close(idle);
        }
        var directory = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(directory) && !Directory.Exists(directory))
            throw TrackingException.InvalidParameter($"Cannot open the {Describe}: the folder '{directory}' does not exist.");
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        // SQLite's own busy handler waits in steps of 1–100 ms; without it, Microsoft.Data.Sqlite retries a busy
        // statement every 150 ms, which under contention from another process costs most of the wait.
        using var command = connection.CreateCommand();
        command.CommandText = _connectionPragmas;
        command.ExecuteNonQuery();
        return connection;
    }

    /// <summary>Keeps the connection (its transaction already ended) for the next call, unless enough are idle or the store is closing.</summary>
    public override void Release(DbConnection connection)
    {
        var sqlite = (SqliteConnection)connection;
        if (Volatile.Read(ref _disposed) == 0 && sqlite.State == ConnectionState.Open && KeepIdle(sqlite))
        {
            if (Volatile.Read(ref _disposed) == 0) return;
            // Disposed meanwhile: Dispose may have drained the bag before this Add, so drain it again.
            DrainIdle();
            return;
        }
        Close(sqlite);
    }

    /// <summary>The connection's prepared command for <paramref name="sql"/> (parameters cleared); it belongs to the connection.</summary>
    public override DbCommand Statement(DbConnection connection, DbTransaction transaction, string sql)
    {
        var cache = _statements.GetOrCreateValue(connection).Commands;
        if (cache.TryGetValue(sql, out var command))
        {
            command.Transaction = transaction;
            command.Parameters.Clear();
            return command;
        }
        command = SqlCommands.Create(connection, transaction, sql);
        cache[sql] = command;
        return command;
    }

    /// <summary>The connection's prepared <see cref="SqliteRowStatement"/> for <paramref name="sql"/>, its shared parameters bound; it belongs to the connection.</summary>
    public override IRowStatement RowStatement(DbConnection connection, DbTransaction transaction, string sql,
        IReadOnlyList<string> rowParameters, IReadOnlyList<(string Name, object Value)> shared)
    {
        var cache = _statements.GetOrCreateValue(connection).Rows;
        if (!cache.TryGetValue(sql, out var statement))
            cache[sql] = statement = new SqliteRowStatement((SqliteConnection)connection, sql, rowParameters);
        statement.BindShared(shared);
        return statement;
    }

    /// <summary>
    /// The history through SQLite's own statement: reading columns by position without the provider's per-value
    /// checks makes a 100,000-point history several times cheaper (the rows come in rowid order from MLflow's
    /// <c>index_metrics_run_uuid</c>, so nothing is sorted).
    /// </summary>
    public override void ReadMetricHistory(DbConnection connection, DbTransaction transaction, string runId, string key, List<Metric> history,
        int offset = 0, int? limit = null)
    {
        var db = ((SqliteConnection)connection).Handle!;
        // LIMIT -1 is SQLite's "no limit": one statement serves the whole history and a page of it.
        var rc = raw.sqlite3_prepare_v2(db, "SELECT value, timestamp, step, is_nan FROM metrics WHERE run_uuid = ?1 AND \"key\" = ?2 ORDER BY rowid LIMIT ?3 OFFSET ?4", out var statement);
        if (rc != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, db);
        using (statement)
        {
            if ((rc = raw.sqlite3_bind_text(statement, 1, runId)) != raw.SQLITE_OK || (rc = raw.sqlite3_bind_text(statement, 2, key)) != raw.SQLITE_OK
                || (rc = raw.sqlite3_bind_int64(statement, 3, limit ?? -1)) != raw.SQLITE_OK || (rc = raw.sqlite3_bind_int64(statement, 4, offset)) != raw.SQLITE_OK)
                SqliteException.ThrowExceptionForRC(rc, db);
            while ((rc = raw.sqlite3_step(statement)) == raw.SQLITE_ROW)
            {
                var value = raw.sqlite3_column_int64(statement, 3) != 0 ? double.NaN : raw.sqlite3_column_double(statement, 0);
                var timestamp = raw.sqlite3_column_int64(statement, 1); // NULL reads as 0, as the other engines' readers make it
                var step = raw.sqlite3_column_int64(statement, 2);
                history.Add(new Metric(key, value, timestamp, step));
            }
            if (rc != raw.SQLITE_DONE) SqliteException.ThrowExceptionForRC(rc, db);
        }
    }

    /// <summary>What a connection keeps prepared: provider commands and SQLite's own row statements, by SQL text.</summary>
    private sealed class Prepared
    {
        public Dictionary<string, DbCommand> Commands { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, SqliteRowStatement> Rows { get; } = new(StringComparer.Ordinal);
    }

    private void Close(SqliteConnection connection)
    {
        // Every statement is finalized before the connection closes, or SQLite would keep the file open for them.
        if (_statements.TryGetValue(connection, out var cache))
        {
            foreach (var command in cache.Commands.Values) command.Dispose();
            foreach (var statement in cache.Rows.Values) statement.FinalizeStatement();
            _statements.Remove(connection);
        }
        connection.Dispose();
    }

    private void DrainIdle()
    {
        while (TakeIdle() is { } idle) Close(idle);
    }

    private SqliteConnection? TakeIdle()
    {
        lock (_idle) return _idle.TryPop(out var idle) ? idle : null;
    }

    private bool KeepIdle(SqliteConnection connection)
    {
        lock (_idle)
        {
            if (_idle.Count >= MaxIdleConnections) return false;
            _idle.Push(connection);
            return true;
        }
    }

    /// <summary>
    /// Switches the file to WAL (a no-op when it already is) and our later connections to <c>synchronous = NORMAL</c>.
    /// A file that cannot be switched keeps its journal mode and SQLite's safe defaults.
    /// </summary>
    public override void PrepareForWrites()
    {
        var connection = (SqliteConnection)Open();
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode = WAL";
            if (string.Equals(command.ExecuteScalar() as string, "wal", StringComparison.OrdinalIgnoreCase))
            {
                _connectionPragmas = WalConnectionPragmas;
                if (Volatile.Read(ref _disposed) == 0)
                    _checkpointer ??= new SqliteCheckpointer(_connectionString, Path, Describe, _writeTurn);
            }
        }
        catch (SqliteException)
        {
            // Read-only medium, no shared memory, or another process kept the file busy past the timeout: the switch
            // only makes commits cheaper, so the file keeps its journal mode and our connections SQLite's safe defaults.
        }
        finally
        {
            // Connections opened before the switch lack the new pragmas: open afresh.
            Close(connection);
            DrainIdle();
        }
    }

    /// <summary>Waits for this store's write transaction in progress, if any (or the checkpointer's moment), to end.</summary>
    public override void EnterWrite() => _writeTurn.Enter();

    /// <summary>Tells the checkpointer a commit made a checkpoint due.</summary>
    public override void ExitWrite(bool committed)
    {
        _writeTurn.Exit();
        if (committed) _checkpointer?.Poke();
    }

    public override DbTransaction BeginWrite(DbConnection connection) =>
        ((SqliteConnection)connection).BeginTransaction(deferred: false);

    public override DbTransaction BeginRead(DbConnection connection) =>
        ((SqliteConnection)connection).BeginTransaction(deferred: true);

    // 5 SQLITE_BUSY, 6 SQLITE_LOCKED (extended codes keep the primary code in the low byte).
    public override bool IsTransient(Exception exception) =>
        exception is SqliteException { SqliteErrorCode: 5 or 6 } || (exception is SqliteException e && (e.SqliteExtendedErrorCode & 0xFF) is 5 or 6);

    // 19 SQLITE_CONSTRAINT with the PRIMARYKEY (1555) or UNIQUE (2067) extended codes.
    public override bool IsUniqueViolation(Exception exception) =>
        exception is SqliteException { SqliteExtendedErrorCode: 1555 or 2067 };

    public override string ListTablesSql => "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'";

    public override string ListColumnsSql => "SELECT name FROM pragma_table_info(@table)";

    public override string InsertionOrder => "rowid";

    // A prepared one-row statement re-run per row: Microsoft.Data.Sqlite looks every parameter up by name on each
    // execution (a linear search in SQLite), so multi-row statements cost quadratic time in their parameter count.
    public override int RowsPerInsert => 1;

    /// <summary>Closes this database's pooled connections (other databases' pools are left alone).</summary>
    public override void Dispose()
    {
        Volatile.Write(ref _disposed, 1);
        _checkpointer?.Dispose();
        DrainIdle();
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }
}
