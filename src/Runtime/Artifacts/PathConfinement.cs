namespace Qlib.Tracked.Artifacts;

/// <summary>
/// Decides whether a file system path stays inside a root once symlinks are followed. A symlink
/// planted in an artifact folder (by a copied run, a shared drive, an attacker) must not let a
/// write or read reach outside the run.
/// </summary>
internal sealed class PathConfinement
{
    private readonly string _root;
    private readonly string _realRoot;

    public PathConfinement(string fullRoot)
    {
        _root = Path.TrimEndingDirectorySeparator(fullRoot);
        _realRoot = RealPath(_root);
    }

    /// <summary>
    /// Walks <paramref name="segments"/> below the root and returns the first existing symlink whose
    /// final target lies outside the root, or null when every existing component stays inside.
    /// </summary>
    public string? FindEscapingLink(IReadOnlyList<string> segments)
    {
        var current = _root;
        foreach (var segment in segments)
        {
            current = Path.Combine(current, segment);
            var info = new FileInfo(current);
            if (info.LinkTarget is null)
            {
                // A missing component means nothing deeper exists: there is no link left to follow.
                if (!info.Exists && !Directory.Exists(current)) return null;
                continue;
            }
            if (!IsInside(info)) return current;
        }
        return null;
    }

    /// <summary>True when <paramref name="entry"/> is not a link, or is a link that resolves inside the root.</summary>
    public bool IsInside(FileSystemInfo entry)
    {
        if (entry.LinkTarget is null) return IsUnder(entry.FullName);
        FileSystemInfo? target;
        try { target = entry.ResolveLinkTarget(returnFinalTarget: true); }
        catch (IOException) { return false; } // a link loop resolves nowhere: treat as escaping
        if (target is null) return false;
        return IsUnder(target.FullName);
    }

    private bool IsUnder(string fullPath)
    {
        var path = Path.TrimEndingDirectorySeparator(Path.GetFullPath(fullPath));
        return Contains(_root, path) || Contains(_realRoot, RealPath(path));
    }

    private static bool Contains(string root, string path) =>
        path.Equals(root, StringComparison.Ordinal)
        || path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    /// <summary>
    /// The path with every symlinked component replaced by its final target (like realpath(3)).
    /// Components that do not exist yet are kept as written. Needed because the root itself may
    /// sit under a symlink (e.g. /tmp on macOS) while link targets come back fully resolved.
    /// </summary>
    internal static string RealPath(string fullPath)
    {
        var path = Path.GetFullPath(fullPath);
        var rootOfPath = Path.GetPathRoot(path) ?? "/";
        var parts = path[rootOfPath.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        var current = rootOfPath;
        for (var i = 0; i < parts.Length; i++)
        {
            current = Path.Combine(current, parts[i]);
            var info = new FileInfo(current);
            if (info.LinkTarget is not null)
            {
                FileSystemInfo? target;
                try { target = info.ResolveLinkTarget(returnFinalTarget: true); }
                catch (IOException) { return path; }
                if (target is not null) current = RealPath(target.FullName);
            }
            else if (!info.Exists && !Directory.Exists(current))
            {
                return Path.Combine([current, .. parts[(i + 1)..]]);
            }
        }
        return Path.TrimEndingDirectorySeparator(current);
    }
}
