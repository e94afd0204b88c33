using Qlib.Tracked.Stores.Sql;

namespace Qlib.Tracked.Stores;

/// <summary>
/// Where a store URI keeps its data on this machine, for readers that must not create a store from a typo (opening a
/// file store on a missing folder, or a SQLite store on a missing file, creates an empty one).
/// </summary>
public static class ExistingStore
{
    /// <summary>
    /// The local folder (<c>file:</c>) or database file (<c>sqlite:</c>) <paramref name="uri"/> names, with what it is
    /// ("folder" or "SQLite database file"); null for a server URI (<c>postgresql:</c>), whose database is not a local path.
    /// Throws what parsing the URI throws (INVALID_PARAMETER_VALUE naming the URI).
    /// </summary>
    public static (string Path, string Kind)? LocalData(string uri)
    {
        switch (TrackingUri.GetScheme(uri))
        {
            case "file": return (TrackingUri.ToLocalPath(uri), "folder");
            case "sqlite": return (SqlStoreUri.Parse(uri).DatabasePath!, "SQLite database file");
            default: return null;
        }
    }

    /// <summary>
    /// Why <paramref name="uri"/> names no existing store (a missing folder or database file, or a file where a folder
    /// belongs and the reverse), or null when its data exists or lives on a server.
    /// </summary>
    public static string? Problem(string uri)
    {
        if (LocalData(uri) is not { } data) return null;
        var (path, kind) = data;
        if (kind == "folder")
        {
            if (File.Exists(path)) return $"'{path}' is a file, and a file store is a folder (an mlruns directory)";
            if (!Directory.Exists(path)) return $"the folder '{path}' does not exist";
            return null;
        }
        if (Directory.Exists(path)) return $"'{path}' is a folder, and a SQLite store is a database file";
        if (!File.Exists(path)) return $"the SQLite database file '{path}' does not exist";
        return null;
    }
}
