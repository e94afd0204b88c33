using Qlib.Tracked.Stores;

namespace Qlib.Tracked.Web;

/// <summary>
/// Keeps the server's file system out of every response. The store root is shown as <c>&lt;store&gt;</c>,
/// artifact locations inside the store as paths relative to it (<c>./1/&lt;run&gt;/artifacts</c>), and file
/// locations outside it are redacted. Error messages from the store name folders (a missing artifact
/// "under file:///…"), so every message passes through <see cref="Redact"/> before it is sent. For a database store
/// the database file and URI are shown as <c>&lt;store&gt;</c> and locations are shown relative to its artifact root.
/// </summary>
internal sealed class PathRedactor
{
    public const string StoreMarker = "<store>";
    public const string Redacted = "<redacted: outside the store>";

    private readonly string? _root;
    private readonly string[] _rootSpellings;

    /// <summary>For a file store: its folder is the store root.</summary>
    public PathRedactor(string storeRoot) : this(storeRoot, []) { }

    /// <param name="artifactRoot">The folder artifact locations are shown relative to (a file store's folder, a database
    /// store's local artifact root); null when it is not local, and every file location is then redacted.</param>
    /// <param name="storeSpellings">Further strings that name the store and are shown as <c>&lt;store&gt;</c> (a SQLite
    /// store's database path and URI).</param>
    public PathRedactor(string? artifactRoot, IEnumerable<string> storeSpellings)
    {
        var spellings = new List<string>();
        if (artifactRoot is not null)
        {
            _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(artifactRoot));
            var real = RealPath(_root);
            spellings.AddRange([TrackingUri.FromLocalPath(_root), "file:" + _root, _root, TrackingUri.FromLocalPath(real), "file:" + real, real]);
        }
        foreach (var spelling in storeSpellings)
        {
            if (string.IsNullOrEmpty(spelling)) continue;
            spellings.Add(spelling);
            if (Path.IsPathFullyQualified(spelling)) spellings.Add(RealPath(spelling));
        }
        // Longest first, so "file:///tmp/x/mlruns" is replaced whole before its path part is.
        _rootSpellings = spellings
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(s => s.Length)
            .ToArray();
    }

    /// <summary>A message with every spelling of the store root replaced by <c>&lt;store&gt;</c>.</summary>
    public string Redact(string message)
    {
        foreach (var spelling in _rootSpellings)
            message = message.Replace(spelling, StoreMarker, StringComparison.Ordinal);
        return message;
    }

    /// <summary>
    /// How an artifact location is shown. A file location inside the store becomes <c>./relative/path</c>;
    /// one that follows MLflow's default layout (<c>…/&lt;experiment&gt;/&lt;run&gt;/artifacts</c>, as in a store
    /// copied from another machine) is shown at the place it is served from; any other file location is
    /// redacted. Non-file URIs (<c>s3://…</c>) name no server path and are kept.
    /// </summary>
    public string PresentLocation(string location, string? experimentId = null, string? runId = null)
    {
        if (string.IsNullOrEmpty(location)) return location;
        if (TrackingUri.GetScheme(location) != "file") return location;
        string local;
        try { local = TrackingUri.ToLocalPath(location); }
        catch (TrackingException) { return Redacted; }
        local = Path.TrimEndingDirectorySeparator(local);
        foreach (var root in _root is null ? [] : new[] { _root, RealPath(_root) })
        {
            if (local.Equals(root, StringComparison.Ordinal)) return ".";
            if (local.StartsWith(root + "/", StringComparison.Ordinal))
                return "./" + local[(root.Length + 1)..].Replace('\\', '/');
        }
        if (experimentId is not null && runId is not null
            && location.TrimEnd('/').EndsWith("/" + experimentId + "/" + runId + "/artifacts", StringComparison.Ordinal))
            return "./" + experimentId + "/" + runId + "/artifacts";
        if (experimentId is not null && runId is null
            && location.TrimEnd('/').EndsWith("/" + experimentId, StringComparison.Ordinal))
            return "./" + experimentId;
        return Redacted;
    }

    private static string RealPath(string path)
    {
        try
        {
            var info = new DirectoryInfo(path);
            var target = info.LinkTarget is null ? null : info.ResolveLinkTarget(returnFinalTarget: true);
            var resolved = target?.FullName ?? info.FullName;
            // Resolve links in the parents too (/tmp may itself be a link).
            var parent = Path.GetDirectoryName(resolved);
            return parent is null ? resolved : Path.Combine(RealParent(parent), Path.GetFileName(resolved));
        }
        catch (IOException) { return path; }
    }

    private static string RealParent(string parent)
    {
        var info = new DirectoryInfo(parent);
        if (info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is { } target) return target.FullName;
        var up = Path.GetDirectoryName(parent);
        return up is null ? parent : Path.Combine(RealParent(up), info.Name);
    }
}
