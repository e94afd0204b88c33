using System.Data.Common;

namespace Qlib.Tracked.Stores.Sql;

/// <summary>Builds parameterized commands: values always travel as parameters, never inside the SQL text.</summary>
internal static class SqlCommands
{
    public static DbCommand Create(DbConnection connection, DbTransaction transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    public static DbCommand With(this DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return command;
    }

    /// <summary>
    /// <c>@prefix0, @prefix1, …</c> for a list, its values added to <paramref name="command"/>: an IN list of any
    /// length stays parameterized.
    /// </summary>
    public static string InList<T>(this DbCommand command, string prefix, IReadOnlyList<T> values)
    {
        var names = new string[values.Count];
        for (var i = 0; i < values.Count; i++)
        {
            names[i] = "@" + prefix + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            command.With(names[i], values[i]);
        }
        return string.Join(", ", names);
    }

    public static long? NullableInt64(this DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : Convert.ToInt64(reader.GetValue(ordinal), System.Globalization.CultureInfo.InvariantCulture);

    public static string? NullableString(this DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    /// <summary>A boolean column: native on PostgreSQL, 0/1 on SQLite.</summary>
    public static bool Boolean(this DbDataReader reader, int ordinal) =>
        reader.GetValue(ordinal) switch
        {
            bool b => b,
            var other => Convert.ToInt64(other, System.Globalization.CultureInfo.InvariantCulture) != 0,
        };
}
