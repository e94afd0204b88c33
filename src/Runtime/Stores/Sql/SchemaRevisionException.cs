namespace Qlib.Tracked.Stores.Sql;

/// <summary>
/// The database is not one this store can open as it is: an MLflow database at another schema revision, or a
/// database holding tables that are not MLflow's (INVALID_STATE). Nothing in it was changed.
/// Immutable once thrown; thread-safe to read.
/// </summary>
public sealed class SchemaRevisionException : TrackingException
{
    /// <summary>Refuses <paramref name="database"/>, whose alembic revision <paramref name="foundRevision"/> (null when it has none) is not one this store can use.</summary>
    public SchemaRevisionException(string database, string? foundRevision, string message)
        : base(ErrorCode.InvalidState, message)
    {
        Database = database;
        FoundRevision = foundRevision;
    }

    /// <summary>Which database (engine and path or host), for messages.</summary>
    public string Database { get; }

    /// <summary>The revision recorded in its <c>alembic_version</c> table (null when it has none).</summary>
    public string? FoundRevision { get; }

    /// <summary>The revision this store creates and requires (MLflow 2.12's).</summary>
    public static string RequiredRevision => SqlSchema.Revision;
}
