using Qlib.Tracked.Stores;

namespace Qlib.Tracked.Artifacts;

/// <summary>
/// The folders a store may read and write artifacts in: its own folder, the default artifact root it was opened
/// with, and the roots the user named explicitly. A run's artifact location comes from a store file
/// (<c>meta.yaml</c>'s <c>artifact_uri</c>, or the run's <c>artifacts/</c> folder, which may itself be a symlink), and a
/// store file is data, not configuration: a copied, shared or crafted store must not be able to point the CLI, the
/// web UI or <c>LoadObject</c> at <c>/etc</c>. So every local artifact location is resolved with all symlinks followed
/// and must lie inside one of these roots, also resolved.
/// </summary>
/// <remarks>The check is made when a run's repository is opened; links inside the repository are confined to its
/// own root by <see cref="PathConfinement"/> on every call.</remarks>
public sealed class ArtifactRoots
{
    private readonly string[] _realRoots;

    /// <param name="roots">Local paths or <c>file:</c> URIs; other schemes name no local folder and are ignored.</param>
    public ArtifactRoots(IEnumerable<string> roots)
    {
        ArgumentNullException.ThrowIfNull(roots);
        var folders = new List<string>();
        foreach (var root in roots)
        {
            if (string.IsNullOrWhiteSpace(root) || TrackingUri.GetScheme(root) != "file") continue;
            var folder = Path.TrimEndingDirectorySeparator(TrackingUri.ToLocalPath(root));
            if (!folders.Contains(folder, StringComparer.Ordinal)) folders.Add(folder);
        }
        Folders = folders;
        _realRoots = [.. folders.Select(PathConfinement.RealPath)];
    }

    /// <summary>The roots as given (absolute paths), for messages.</summary>
    public IReadOnlyList<string> Folders { get; }

    /// <summary>
    /// True when <paramref name="localPath"/>, with every symlink along it followed (<paramref name="realPath"/>), lies
    /// inside (or is) one of the roots.
    /// </summary>
    public bool Contain(string localPath, out string realPath)
    {
        realPath = PathConfinement.RealPath(Path.GetFullPath(localPath));
        foreach (var root in _realRoots)
        {
            if (realPath.Equals(root, StringComparison.Ordinal)
                || realPath.StartsWith(root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                return true;
        }
        return false;
    }

    /// <summary>The roots as a quoted list for error messages.</summary>
    public string Describe() => string.Join(", ", Folders.Select(f => "'" + f + "'"));
}
