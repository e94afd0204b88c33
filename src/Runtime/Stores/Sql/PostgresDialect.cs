using System.Data;
using System.Data.Common;
using Npgsql;

namespace Qlib.Tracked.Stores.Sql;

/// <summary>
/// PostgreSQL through Npgsql's slim data source (no reflection-based type mapping: NativeAOT-clean). Connections come
/// from the data source's pool, which <see cref="Dispose"/> closes.
/// </summary>
internal sealed class PostgresDialect : SqlDialect
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _describe;

    public PostgresDialect(SqlStoreUri uri)
    {
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Database = uri.Database,
            Username = uri.User,
            Password = uri.Password,
            // Statement timeouts belong to the server's configuration; a lost server is noticed within a few seconds.
            Timeout = 15,
        };
        if (uri.Port is { } port) builder.Port = port;
        if (uri.Options is { } options) builder.Options = options; // e.g. -csearch_path=schema: MLflow's tables in another schema
        if (uri.SslMode is { } sslMode)
        {
            if (!Enum.TryParse<SslMode>(sslMode.Replace("-", "", StringComparison.Ordinal), ignoreCase: true, out var mode))
                throw TrackingException.InvalidParameter(
                    $"Invalid SQL tracking URI '{uri.Redacted}': sslmode '{sslMode}' is not one of disable, allow, prefer, require, verify-ca, verify-full.");
            builder.SslMode = mode;
        }
        _describe = $"PostgreSQL database '{uri.Database}' on {uri.Host}:{uri.Port ?? 5432}";
        _dataSource = new NpgsqlSlimDataSourceBuilder(builder.ConnectionString).Build();
    }

    public override SqlEngine Engine => SqlEngine.PostgreSql;

    public override string Describe => _describe;

    public override DbConnection Open()
    {
        try
        {
            return _dataSource.OpenConnection();
        }
        catch (NpgsqlException e) when (e is not PostgresException)
        {
            throw new TrackingException(ErrorCode.InternalError, $"Cannot connect to the {_describe}: {e.Message}", e);
        }
        catch (PostgresException e)
        {
            throw new TrackingException(ErrorCode.InternalError, $"The {_describe} refused the connection: {e.MessageText} ({e.SqlState}).", e);
        }
    }

    public override DbTransaction BeginWrite(DbConnection connection) => Begin(connection, IsolationLevel.ReadCommitted);

    public override DbTransaction BeginRead(DbConnection connection) => Begin(connection, IsolationLevel.RepeatableRead);

    // 40001 serialization_failure, 40P01 deadlock_detected.
    public override bool IsTransient(Exception exception) =>
        exception is PostgresException { SqlState: "40001" or "40P01" };

    public override bool IsUniqueViolation(Exception exception) => exception is PostgresException { SqlState: "23505" };

    public override string ListTablesSql => "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()";

    // Metric rows are only ever inserted (and deleted with their run), so their physical order is insertion order.
    public override string ListColumnsSql =>
        "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = @table";

    public override string InsertionOrder => "ctid";

    // One round trip per 100 rows.
    public override int RowsPerInsert => 100;

    /// <summary>A transaction-scoped advisory lock: two processes creating the schema of one empty database take turns.</summary>
    public override void LockForSchemaCreation(DbConnection connection, DbTransaction transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT pg_advisory_xact_lock(7177526871)"; // any fixed number: Qlib.Tracked's schema lock
        command.ExecuteNonQuery();
    }

    public override void Dispose() => _dataSource.Dispose();
}
