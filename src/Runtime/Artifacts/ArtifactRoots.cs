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

    /// <summary>
    /// The local folder a <c>file:</c> URI or path names, when it lies inside the roots;
    /// <see cref="ArtifactLocationNotAllowedException"/> naming <paramref name="owner"/> otherwise (also for a URI that
    /// names no local folder, such as <c>file://otherhost/…</c>).
    /// </summary>
    /// <param name="owner">"Run '…'" or "Experiment '…'", for the message.</param>
    /// <param name="location">The location as the store file spells it (a path or <c>file:</c> URI).</param>
    public string ResolveAllowed(string owner, string location)
    {
        string local;
        try { local = TrackingUri.ToLocalPath(location); }
        catch (TrackingException e) { throw new ArtifactLocationNotAllowedException(owner, location, null, this, e.Message); }
        RequireInside(owner, location, local);
        return local;
    }

    /// <summary>Throws <see cref="ArtifactLocationNotAllowedException"/> unless <paramref name="localPath"/> (where <paramref name="location"/> is kept) lies inside the roots.</summary>
    public void RequireInside(string owner, string location, string localPath)
    {
        if (!Contain(localPath, out var real)) throw new ArtifactLocationNotAllowedException(owner, location, real, this);
    }

    /// <summary>
    /// An experiment's explicit artifact location, checked when the experiment is made rather than at its first
    /// artifact: a local one must lie inside the roots; other schemes (<c>s3://</c>) are recorded as MLflow does and
    /// refused when used.
    /// </summary>
    public void RequireAllowedExperimentLocation(string experimentName, string artifactLocation)
    {
        if (TrackingUri.GetScheme(artifactLocation) == "file") ResolveAllowed($"Experiment '{experimentName}'", artifactLocation);
    }

    /// <summary>The roots as a quoted list for error messages.</summary>
    public string Describe() => string.Join(", ", Folders.Select(f => "'" + f + "'"));
}
