using Qlib.Tracked.Stores;

namespace Qlib.Tracked.Web;

/// <summary>
/// Keeps the server's file system out of every response. The store root is shown as <c>&lt;store&gt;</c>,
/// artifact locations inside the store as paths relative to it (<c>./1/&lt;run&gt;/artifacts</c>), and file
/// locations outside it are redacted. Error messages from the store name folders (a missing artifact
/// "under file:///…"), so every message passes through <see cref="Redact"/> before it is sent.
/// </summary>
internal sealed class PathRedactor
{
    public const string StoreMarker = "<store>";
    public const string Redacted = "<redacted: outside the store>";

    private readonly string _root;
    private readonly string[] _rootSpellings;

    public PathRedactor(string storeRoot)
    {
        _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(storeRoot));
        var real = RealPath(_root);
        // Longest first, so "file:///tmp/x/mlruns" is replaced whole before its path part is.
        _rootSpellings = new[] { TrackingUri.FromLocalPath(_root), "file:" + _root, _root, TrackingUri.FromLocalPath(real), "file:" + real, real }
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
        foreach (var root in new[] { _root, RealPath(_root) })
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
