using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Qlib.Tracked.Stores.Sql;

/// <summary>
/// SQLite through Microsoft.Data.Sqlite: one database file that several processes (MLflow among them) may share.
/// The file keeps MLflow's rollback journal (no WAL switch: the journal mode is a property of the file that every
/// other user would inherit). A locked database is waited for up to <see cref="BusyTimeoutSeconds"/> per statement.
/// </summary>
internal sealed class SqliteDialect : SqlDialect
{
    /// <summary>How long one statement waits for another process's lock before SQLITE_BUSY.</summary>
    public const int BusyTimeoutSeconds = 30;

    private const string BusyTimeoutPragma = "PRAGMA busy_timeout = 30000";

    private readonly string _connectionString;

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
        var directory = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(directory) && !Directory.Exists(directory))
            throw TrackingException.InvalidParameter($"Cannot open the {Describe}: the folder '{directory}' does not exist.");
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        // SQLite's own busy handler waits in steps of 1–100 ms; without it, Microsoft.Data.Sqlite retries a busy
        // statement every 150 ms, which under contention from another process costs most of the wait.
        using var command = connection.CreateCommand();
        command.CommandText = BusyTimeoutPragma;
        command.ExecuteNonQuery();
        return connection;
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

    /// <summary>Closes this database's pooled connections (other databases' pools are left alone).</summary>
    public override void Dispose()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }
}
