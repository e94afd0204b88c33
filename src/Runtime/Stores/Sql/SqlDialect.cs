using System.Data;
using System.Data.Common;
using Qlib.Tracked.Entities;

namespace Qlib.Tracked.Stores.Sql;

/// <summary>
/// What differs between the databases behind <see cref="SqlStore"/>: how to connect, how a transaction starts,
/// which failures are worth retrying, and the few spellings that are not shared. Everything else — every
/// statement, parameterized with <c>@name</c> placeholders both providers accept — is one text for both.
/// </summary>
internal abstract class SqlDialect : IDisposable
{
    public abstract SqlEngine Engine { get; }

    /// <summary>For messages: "SQLite database '/abs/mlflow.db'", "PostgreSQL database 'db' on host:port".</summary>
    public abstract string Describe { get; }

    /// <summary>An open connection from the provider's pool (or kept by this dialect); hand it back with <see cref="Release"/>.</summary>
    public abstract DbConnection Open();

    /// <summary>Gives back a connection from <see cref="Open"/> whose transaction has ended. By default: closes it (back to the provider's pool).</summary>
    public virtual void Release(DbConnection connection) => connection.Dispose();

    /// <summary>
    /// A command for <paramref name="sql"/> in <paramref name="transaction"/>, with no parameters yet, that the caller
    /// must NOT dispose: a dialect may keep it prepared with the connection for the next call with the same text
    /// (SQLite). By default a new command, which holds nothing that needs disposing once its reader is closed.
    /// Use it for statements whose text repeats (never for text that varies without bound).
    /// </summary>
    public virtual DbCommand Statement(DbConnection connection, DbTransaction transaction, string sql) =>
        SqlCommands.Create(connection, transaction, sql);

    /// <summary>
    /// A transaction that writes: SQLite takes the write lock at once (<c>BEGIN IMMEDIATE</c>, waiting out other
    /// writers up to the busy timeout) so two writers never deadlock upgrading a read lock; PostgreSQL reads committed data.
    /// </summary>
    public abstract DbTransaction BeginWrite(DbConnection connection);

    /// <summary>A transaction that only reads, so the statements of one answer see one snapshot.</summary>
    public abstract DbTransaction BeginRead(DbConnection connection);

    /// <summary>True for failures a retry of the whole transaction can cure (a busy database, a deadlock, a serialization failure).</summary>
    public abstract bool IsTransient(Exception exception);

    /// <summary>True when a statement broke a unique or primary-key constraint.</summary>
    public abstract bool IsUniqueViolation(Exception exception);

    /// <summary>The statement listing the tables that exist (one column: the name).</summary>
    public abstract string ListTablesSql { get; }

    /// <summary>The statement listing the columns of the table named by the <c>@table</c> parameter (one column: the name).</summary>
    public abstract string ListColumnsSql { get; }

    /// <summary>
    /// A prepared statement for <paramref name="sql"/> that <see cref="RowInserter"/> re-executes, with its per-row
    /// parameters <paramref name="rowParameters"/> (set by position) and <paramref name="shared"/> ones bound once.
    /// By default the provider's command.
    /// </summary>
    public virtual IRowStatement RowStatement(DbConnection connection, DbTransaction transaction, string sql,
        IReadOnlyList<string> rowParameters, IReadOnlyList<(string Name, object Value)> shared)
    {
        var command = Statement(connection, transaction, sql);
        foreach (var name in rowParameters) command.With(name, null);
        foreach (var (name, value) in shared) command.With(name, value);
        return new CommandRowStatement(command);
    }

    /// <summary>
    /// Appends the run's points of <paramref name="key"/> to <paramref name="history"/> in insertion order
    /// (<see cref="InsertionOrder"/>); a stored NaN (<c>is_nan</c>) reads back as NaN. With <paramref name="limit"/>
    /// (and <paramref name="offset"/>) only that range of the ordered points is read (LIMIT/OFFSET): one page of a
    /// long history without fetching the rest.
    /// </summary>
    public virtual void ReadMetricHistory(DbConnection connection, DbTransaction transaction, string runId, string key, List<Metric> history,
        int offset = 0, int? limit = null)
    {
        var sql = $"SELECT value, timestamp, step, is_nan FROM metrics WHERE run_uuid = @id AND \"key\" = @key ORDER BY {InsertionOrder}";
        var command = Statement(connection, transaction, limit is null ? sql : sql + " LIMIT @limit OFFSET @offset")
            .With("@id", runId).With("@key", key);
        if (limit is not null) command.With("@limit", (long)limit.Value).With("@offset", (long)offset);
        using var reader = command.ExecuteReader();
        // Typed reads straight into the list (no boxing per column): a long history is most of the cost of the call.
        while (reader.Read())
        {
            var value = reader.GetBoolean(3) ? double.NaN : reader.GetDouble(0);
            var timestamp = reader.IsDBNull(1) ? 0 : reader.GetInt64(1);
            var step = reader.IsDBNull(2) ? 0 : reader.GetInt64(2);
            history.Add(new Metric(key, value, timestamp, step));
        }
    }

    /// <summary>
    /// Rows per INSERT statement for bulk writes (<see cref="RowInserter"/>): what this engine's provider binds fastest.
    /// At most 100 (× 6 parameters stays far below every engine's parameter limit).
    /// </summary>
    public abstract int RowsPerInsert { get; }

    /// <summary>SQL that orders metric rows as they were inserted (the file store's "file order").</summary>
    public abstract string InsertionOrder { get; }

    /// <summary>
    /// Serializes first-time schema creation across processes (inside <paramref name="transaction"/>); SQLite's
    /// immediate transaction already does.
    /// </summary>
    public virtual void LockForSchemaCreation(DbConnection connection, DbTransaction transaction)
    {
    }

    /// <summary>Tunes a database this store writes, once, before its first write transaction (SQLite: WAL). Nothing by default.</summary>
    public virtual void PrepareForWrites()
    {
    }

    /// <summary>
    /// Called before a write takes its connection (SQLite: waits for this store's write in progress, so writes take
    /// turns on one warm connection, and lets the checkpointer hold writes back for a moment). Nothing by default.
    /// </summary>
    public virtual void EnterWrite()
    {
    }

    /// <summary>Called once the transaction <see cref="EnterWrite"/> preceded has ended (SQLite: a commit schedules a checkpoint). Nothing by default.</summary>
    public virtual void ExitWrite(bool committed)
    {
    }

    public abstract void Dispose();

    protected static DbTransaction Begin(DbConnection connection, IsolationLevel level) => connection.BeginTransaction(level);
}
