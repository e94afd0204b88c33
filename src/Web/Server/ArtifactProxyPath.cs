using Qlib.Tracked.Web.Api;

namespace Qlib.Tracked.Web.Server;

/// <summary>
/// A path a client sent to the artifact proxy, as a full local path that is certainly inside the artifacts destination:
/// first the UI's own check of request paths (no '..', absolute path, backslash or NUL: <see cref="ArtifactRequestPath"/>),
/// then the full path must lie under the root, and no folder or file on the way may be a symbolic link (one could
/// point anywhere, and a client that can upload can ask for any name).
/// </summary>
internal static class ArtifactProxyPath
{
    public static string Resolve(string root, string? relative, bool allowRoot)
    {
        var path = ArtifactRequestPath.Check(relative?.TrimEnd('/'), allowRoot);
        if (path is null) return root;
        var full = Path.GetFullPath(Path.Combine(root, path));
        if (!full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw TrackingException.InvalidParameter($"Invalid artifact path '{relative}': it leaves the artifact root.");
        var current = root;
        foreach (var segment in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Combine(current, segment);
            var info = new FileInfo(current);
            if (!info.Exists && !Directory.Exists(current)) break;
            if (info.LinkTarget is not null)
                throw TrackingException.InvalidParameter($"Invalid artifact path '{relative}': '{segment}' is a symbolic link, which the artifact proxy never follows.");
        }
        return full;
    }
}
