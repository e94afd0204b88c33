using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace Qlib.Tracked.Stores.Sql;

/// <summary>
/// SQLite through Microsoft.Data.Sqlite: one database file that several processes (MLflow among them) may share.
/// A database this store writes is switched to write-ahead logging with <c>synchronous = NORMAL</c> on our connections
/// (<see cref="PrepareForWrites"/>): a commit then appends to the <c>-wal</c> file without waiting for the disk, which is
/// what makes small transactions cheap. A killed process loses nothing it committed; a power loss or OS crash may lose
/// the last commits before a checkpoint but never corrupts the file (docs/sql-store.md). The journal mode is a property
/// of the file: MLflow and the <c>sqlite3</c> shell read and write it unchanged (WAL needs every user on one machine,
/// which a SQLite file shared between processes needs anyway). A locked database is waited for up to
/// <see cref="BusyTimeoutSeconds"/> per statement.
/// </summary>
internal sealed class SqliteDialect : SqlDialect
{
    /// <summary>How long one statement waits for another process's lock before SQLITE_BUSY.</summary>
    public const int BusyTimeoutSeconds = 30;

    private const string BusyTimeoutPragma = "PRAGMA busy_timeout = 30000";

    // In WAL mode NORMAL syncs only at checkpoints (the database stays consistent on power loss); in rollback-journal
    // mode it could corrupt the file on power loss, so the pragma is only added once the file is in WAL mode.
    private const string WalConnectionPragmas = BusyTimeoutPragma + "; PRAGMA synchronous = NORMAL";

    /// <summary>Open connections kept between calls; more than this many idle ones are closed.</summary>
    private const int MaxIdleConnections = 4;

    private readonly string _connectionString;
    private volatile string _connectionPragmas = BusyTimeoutPragma;

    // Connections stay open between calls with their prepared statements: opening one (even from the provider's pool)
    // re-runs the pragmas, and preparing a statement parses its SQL, which together cost more than a small transaction.
    private readonly ConcurrentBag<SqliteConnection> _idle = [];
    private readonly ConditionalWeakTable<DbConnection, Dictionary<string, DbCommand>> _statements = new();
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
        while (_idle.TryTake(out var idle))
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
        if (Volatile.Read(ref _disposed) == 0 && sqlite.State == ConnectionState.Open && _idle.Count < MaxIdleConnections)
        {
            _idle.Add(sqlite);
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
        var cache = _statements.GetOrCreateValue(connection);
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

    private void Close(SqliteConnection connection)
    {
        if (_statements.TryGetValue(connection, out var cache))
        {
            foreach (var command in cache.Values) command.Dispose();
            _statements.Remove(connection);
        }
        connection.Dispose();
    }

    private void DrainIdle()
    {
        while (_idle.TryTake(out var idle)) Close(idle);
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
            if (string.Equals(command.ExecuteScalar() as string, "wal", StringComparison.OrdinalIgnoreCase)) _connectionPragmas = WalConnectionPragmas;
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
        DrainIdle();
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }
}
