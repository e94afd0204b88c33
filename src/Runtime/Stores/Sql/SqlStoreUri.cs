namespace Qlib.Tracked.Stores.Sql;

/// <summary>Which database engine a SQL tracking URI names.</summary>
public enum SqlEngine
{
    /// <summary>SQLite (<c>sqlite:///</c> URIs).</summary>
    Sqlite,
    /// <summary>PostgreSQL (<c>postgresql://</c> and <c>postgresql+psycopg2://</c> URIs).</summary>
    PostgreSql,
}

/// <summary>
/// A parsed SQL tracking URI in MLflow's (SQLAlchemy's) spellings: <c>sqlite:///relative.db</c>,
/// <c>sqlite:////abs/path.db</c>, <c>postgresql://user:pw@host:port/db</c> (and <c>postgresql+psycopg2://</c>;
/// <c>?host=/socket/dir</c>, <c>?sslmode=…</c> and libpq's <c>?options=-csearch_path%3Dschema</c> are understood).
/// Immutable; thread-safe.
/// </summary>
public sealed record SqlStoreUri(SqlEngine Engine, string Uri, string? DatabasePath, string? Host, int? Port,
    string? User, string? Password, string? Database, string? SslMode, string? Options = null)
{
    /// <summary>The URI with any password replaced by <c>***</c> (what the store reports as its tracking URI).</summary>
    public string Redacted => Redact(Uri);

    /// <summary>Parses <paramref name="uri"/>; INVALID_PARAMETER_VALUE naming the URI and what is wrong with it.</summary>
    public static SqlStoreUri Parse(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var scheme = TrackingUri.GetScheme(uri);
        return scheme switch
        {
            "sqlite" => ParseSqlite(uri),
            "postgresql" or "postgresql+psycopg2" => ParsePostgres(uri, scheme),
            _ => throw Invalid(uri, $"the scheme '{scheme}' is not a SQL store (sqlite:, postgresql:)"),
        };
    }

    private static SqlStoreUri ParseSqlite(string uri)
    {
        // SQLAlchemy: sqlite:/// + path, so a relative path follows three slashes and an absolute one four.
        const string prefix = "sqlite:///";
        if (!uri.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            throw Invalid(uri, "a SQLite URI is sqlite:///relative/path.db or sqlite:////absolute/path.db");
        var path = uri[prefix.Length..];
        if (path.Contains('?', StringComparison.Ordinal))
            throw Invalid(uri, "query options are not supported on sqlite: URIs");
        if (path.Length == 0 || path == ":memory:")
            throw Invalid(uri, "an in-memory SQLite database cannot be shared or kept; name a file");
        return new SqlStoreUri(SqlEngine.Sqlite, uri, Path.GetFullPath(System.Uri.UnescapeDataString(path)), null, null, null, null, null, null);
    }

    private static SqlStoreUri ParsePostgres(string uri, string scheme)
    {
        var rest = uri[(scheme.Length + 1)..];
        if (!rest.StartsWith("//", StringComparison.Ordinal))
            throw Invalid(uri, "a PostgreSQL URI is postgresql://user:password@host:port/database");
        rest = rest[2..];
        string? query = null;
        var q = rest.IndexOf('?', StringComparison.Ordinal);
        if (q >= 0)
        {
            query = rest[(q + 1)..];
            rest = rest[..q];
        }
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var authority = slash < 0 ? rest : rest[..slash];
        var database = slash < 0 ? "" : System.Uri.UnescapeDataString(rest[(slash + 1)..]);
        if (database.Length == 0 || database.Contains('/', StringComparison.Ordinal))
            throw Invalid(uri, "name one database after the host (postgresql://user:password@host:port/database)");

        string? user = null, password = null;
        var at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            var userInfo = authority[..at];
            authority = authority[(at + 1)..];
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            user = System.Uri.UnescapeDataString(colon < 0 ? userInfo : userInfo[..colon]);
            password = colon < 0 ? null : System.Uri.UnescapeDataString(userInfo[(colon + 1)..]);
        }
        string? host = null;
        int? port = null;
        if (authority.Length > 0)
        {
            var colon = authority.LastIndexOf(':');
            if (colon >= 0 && !authority.EndsWith(']'))
            {
                if (!int.TryParse(authority[(colon + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var p) || p is < 1 or > 65535)
                    throw Invalid(uri, $"the port '{authority[(colon + 1)..]}' is not a number from 1 to 65535");
                port = p;
                authority = authority[..colon];
            }
            host = authority.Trim('[', ']');
        }
        string? sslMode = null, options = null;
        if (query is not null)
        {
            foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                var name = eq < 0 ? pair : pair[..eq];
                var value = eq < 0 ? "" : System.Uri.UnescapeDataString(pair[(eq + 1)..]);
                switch (name)
                {
                    case "host": host = value; break;
                    case "sslmode": sslMode = value; break;
                    case "options": options = value; break;
                    default: throw Invalid(uri, $"the option '{name}' is not supported (supported: host, sslmode, options)");
                }
            }
        }
        return new SqlStoreUri(SqlEngine.PostgreSql, uri, null, string.IsNullOrEmpty(host) ? "localhost" : host, port, user, password, database, sslMode, options);
    }

    private static TrackingException Invalid(string uri, string why) =>
        TrackingException.InvalidParameter($"Invalid SQL tracking URI '{Redact(uri)}': {why}.");

    /// <summary>Hides the password of a user:password@ URI (for messages about a URI that did not parse).</summary>
    private static string Redact(string uri)
    {
        var at = uri.LastIndexOf('@');
        var start = uri.IndexOf("//", StringComparison.Ordinal);
        if (at < 0 || start < 0 || at < start) return uri;
        var colon = uri.IndexOf(':', start);
        return colon > start && colon < at ? uri[..(colon + 1)] + "***" + uri[at..] : uri;
    }
}
