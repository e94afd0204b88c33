using System.Data.Common;
using System.Globalization;

namespace Qlib.Tracked.Stores.Sql;

/// <summary>
/// Inserts many rows of one shape with as few statements and as little re-binding as the engine likes: rows are
/// collected into statements of <c>rowsPerStatement</c> rows, and the command for a full statement is built once and
/// re-executed with new parameter values (the provider keeps it prepared). Values always travel as parameters.
/// </summary>
/// <remarks>
/// SQLite wants one row per statement: its providers look each parameter up by name on every execution, a linear
/// search, so a 600-parameter statement costs quadratic time, while re-running a prepared one-row statement costs a
/// few microseconds. PostgreSQL wants many rows per statement (one round trip each). See <see cref="SqlDialect.RowsPerInsert"/>.
/// </remarks>
internal sealed class RowInserter : IDisposable
{
    private readonly SqlDialect _dialect;
    private readonly DbConnection _connection;
    private readonly DbTransaction _transaction;
    private readonly string _head;
    private readonly string _tail;
    private readonly int _columns;
    private readonly int _rowsPerStatement;
    private readonly (string Name, object Value)[] _shared;
    private readonly object?[] _pending;
    private int _rows;
    private IRowStatement? _full;

    /// <param name="dialect">The engine: how many rows per statement (<see cref="SqlDialect.RowsPerInsert"/>), and its statement cache.</param>
    /// <param name="connection">The open connection.</param>
    /// <param name="transaction">The transaction every statement runs in.</param>
    /// <param name="head">The statement up to <c>VALUES</c>, e.g. <c>INSERT INTO t (a, b) VALUES</c>.</param>
    /// <param name="rowTemplate">One row's value list with <c>{0}</c>, <c>{1}</c>, … for the row's parameters and
    /// shared parameter names as they are, e.g. <c>({0}, {1}, @run)</c>.</param>
    /// <param name="columns">How many per-row values <paramref name="rowTemplate"/> takes.</param>
    /// <param name="tail">What follows the rows, e.g. <c>ON CONFLICT DO NOTHING</c>.</param>
    /// <param name="shared">Parameters every row uses (bound once per statement).</param>
    public RowInserter(SqlDialect dialect, DbConnection connection, DbTransaction transaction, string head, string rowTemplate, int columns,
        string tail, params (string Name, object Value)[] shared)
    {
        var rowsPerStatement = dialect.RowsPerInsert;
        ArgumentOutOfRangeException.ThrowIfLessThan(rowsPerStatement, 1);
        _dialect = dialect;
        _connection = connection;
        _transaction = transaction;
        _head = head;
        _tail = tail;
        _columns = columns;
        _rowsPerStatement = rowsPerStatement;
        _shared = shared;
        RowTemplate = rowTemplate;
        _pending = new object?[rowsPerStatement * columns];
    }

    private string RowTemplate { get; }

    /// <summary>Queues one row (its values in template order); a full statement is executed at once.</summary>
    public void Add(object? v0, object? v1 = null, object? v2 = null, object? v3 = null, object? v4 = null)
    {
        var at = _rows * _columns;
        _pending[at] = v0;
        if (_columns > 1) _pending[at + 1] = v1;
        if (_columns > 2) _pending[at + 2] = v2;
        if (_columns > 3) _pending[at + 3] = v3;
        if (_columns > 4) _pending[at + 4] = v4;
        if (++_rows == _rowsPerStatement)
        {
            _full ??= Build(_rowsPerStatement);
            Execute(_full);
        }
    }

    /// <summary>Executes the rows still queued (a shorter statement, built for the occasion).</summary>
    public void Flush()
    {
        if (_rows == 0) return;
        using var partial = Build(_rows);
        Execute(partial);
    }

    public void Dispose() => _full?.Dispose();

    /// <summary>The dialect's statement for <paramref name="rows"/> rows.</summary>
    private IRowStatement Build(int rows)
    {
        var text = new System.Text.StringBuilder(_head.Length + _tail.Length + rows * (RowTemplate.Length + 16));
        text.Append(_head).Append(' ');
        var names = new string[rows * _columns];
        for (var row = 0; row < rows; row++)
        {
            for (var column = 0; column < _columns; column++) names[row * _columns + column] = ParameterName(row * _columns + column);
            if (row > 0) text.Append(", ");
            text.AppendFormat(CultureInfo.InvariantCulture, RowTemplate, names[(row * _columns)..((row + 1) * _columns)]);
        }
        text.Append(' ').Append(_tail);
        return _dialect.RowStatement(_connection, _transaction, text.ToString(), names, _shared);
    }

    private static string ParameterName(int index) => "@p" + index.ToString(CultureInfo.InvariantCulture);

    private void Execute(IRowStatement statement)
    {
        var count = _rows * _columns;
        for (var i = 0; i < count; i++) statement.Set(i, _pending[i]);
        statement.Execute();
        Array.Clear(_pending, 0, count);
        _rows = 0;
    }
}
