using System.Data.Common;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Qlib.Tracked.Stores.Sql;

/// <summary>One prepared INSERT that <see cref="RowInserter"/> re-executes with new values for its per-row parameters.</summary>
/// Disposing it ends its use by one inserter (the dialect may keep it prepared for the connection).
internal interface IRowStatement : IDisposable
{
    /// <summary>Sets per-row parameter <paramref name="index"/> (in the order they were named) for the next execution.</summary>
    void Set(int index, object? value);

    void Execute();
}

/// <summary>The provider's command (from <see cref="SqlDialect.Statement"/>, so not disposed here).</summary>
internal sealed class CommandRowStatement(DbCommand command) : IRowStatement
{
    public void Set(int index, object? value) => command.Parameters[index].Value = value ?? DBNull.Value;

    public void Execute() => command.ExecuteNonQuery();

    public void Dispose()
    {
    }
}

/// <summary>
/// SQLite's own statement on the connection's handle (inside the connection's transaction): bound by position and
/// stepped without the provider's per-execution work (a data reader and a parameter lookup by name per value), which
/// is most of the cost of appending a small row. Failures surface as the provider's <see cref="SqliteException"/>,
/// so busy and constraint errors are handled as everywhere else. The dialect keeps it with its connection and
/// finalizes it when the connection closes (<see cref="FinalizeStatement"/>); <see cref="Dispose"/> does nothing.
/// </summary>
internal sealed class SqliteRowStatement : IRowStatement
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private readonly int[] _positions;

    // The text bound at each position, by position: SQLite keeps a statement's bindings across executions, so a row
    // that repeats the previous row's key (a metric's points in one batch) skips converting and binding it again.
    private readonly string?[] _boundText;

    public SqliteRowStatement(SqliteConnection connection, string sql, IReadOnlyList<string> rowParameters)
    {
        _db = connection.Handle!;
        Check(raw.sqlite3_prepare_v2(_db, sql, out _statement));
        _boundText = new string?[raw.sqlite3_bind_parameter_count(_statement) + 1];
        _positions = new int[rowParameters.Count];
        for (var i = 0; i < rowParameters.Count; i++) _positions[i] = Position(rowParameters[i]);
    }

    /// <summary>Binds the parameters every row shares (bindings survive <c>sqlite3_reset</c>, so once per use).</summary>
    public void BindShared(IReadOnlyList<(string Name, object Value)> shared)
    {
        foreach (var (name, value) in shared) Bind(Position(name), value);
    }

    public void Set(int index, object? value) => Bind(_positions[index], value);

    public void Execute()
    {
        var rc = raw.sqlite3_step(_statement);
        raw.sqlite3_reset(_statement);
        if (rc != raw.SQLITE_DONE) SqliteException.ThrowExceptionForRC(rc, _db);
    }

    public void Dispose()
    {
    }

    /// <summary>Releases SQLite's statement (before its connection closes).</summary>
    public void FinalizeStatement() => _statement.Dispose();

    private int Position(string name)
    {
        var position = raw.sqlite3_bind_parameter_index(_statement, name);
        return position > 0 ? position : throw new InvalidOperationException($"The statement has no parameter {name}.");
    }

    private void Bind(int position, object? value)
    {
        if (value is string text && string.Equals(_boundText[position], text, StringComparison.Ordinal)) return;
        _boundText[position] = null; // unknown until the bind succeeds
        Check(value switch
        {
            null => raw.sqlite3_bind_null(_statement, position),
            string s => raw.sqlite3_bind_text(_statement, position, s),
            double d => raw.sqlite3_bind_double(_statement, position, d),
            long l => raw.sqlite3_bind_int64(_statement, position, l),
            int i => raw.sqlite3_bind_int64(_statement, position, i),
            bool b => raw.sqlite3_bind_int64(_statement, position, b ? 1 : 0),
            _ => throw new ArgumentException($"No SQLite binding for a {value.GetType().Name}.", nameof(value)),
        });
        _boundText[position] = value as string;
    }

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, _db);
    }
}
