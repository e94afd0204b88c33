using System.Data;
using System.Data.Common;

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

    public abstract void Dispose();

    protected static DbTransaction Begin(DbConnection connection, IsolationLevel level) => connection.BeginTransaction(level);
}
