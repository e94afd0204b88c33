using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores.FileBacked;

namespace Qlib.Tracked.Artifacts;

/// <summary>
/// Artifacts in a local folder, laid out as MLflow's file store lays out <c>artifacts/</c>. Every
/// path is confined to <see cref="LocalRoot"/> (see <see cref="ArtifactPath"/> and
/// <see cref="PathConfinement"/>); writes are atomic renames of temp files in the same folder.
/// The root folder is created lazily by the first write, so reading a run that never logged an
/// artifact leaves no trace on disk.
/// Thread-safe: it holds only its root; an overwrite is an atomic rename, so readers never see half a file.
/// </summary>
public sealed class LocalArtifactRepository : IArtifactRepository
{
    private readonly PathConfinement _confinement;

    /// <param name="artifactUri">The URI recorded in the run's meta (reported, never trusted for paths).</param>
    /// <param name="localRoot">The folder that actually holds the artifacts (resolved by the store).</param>
    public LocalArtifactRepository(string artifactUri, string localRoot)
    {
        ArtifactUri = artifactUri;
        LocalRoot = Path.GetFullPath(localRoot);
        _confinement = new PathConfinement(LocalRoot);
    }

    /// <inheritdoc/>
    public string ArtifactUri { get; }
    /// <summary>The absolute local folder that <see cref="ArtifactUri"/> points to.</summary>
    public string LocalRoot { get; }

    /// <inheritdoc/>
    public IReadOnlyList<ArtifactInfo> List(string? path = null)
    {
        var (segments, full) = Resolve(path, allowRoot: true);
        var folder = new DirectoryInfo(full);
        // MLflow returns [] both for a missing folder and for a path naming a file.
        if (!folder.Exists) return [];
        var prefix = segments.Length == 0 ? "" : ArtifactPath.Join(segments) + "/";
        var entries = new List<ArtifactInfo>();
        foreach (var entry in folder.EnumerateFileSystemInfos())
        {
            if (TempFileNames.IsArtifactTemp(entry.Name)) continue; // a write in progress, or a killed one's leftover
            if (!_confinement.IsInside(entry)) continue; // never advertise what cannot be read
            var isDir = Directory.Exists(entry.FullName);
            entries.Add(new ArtifactInfo(prefix + entry.Name, isDir, isDir ? null : new FileInfo(entry.FullName).Length));
        }
        entries.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return entries;
    }

    /// <inheritdoc/>
    public void LogArtifact(string localPath, string? artifactPath = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(localPath);
        var (targetSegments, _) = Resolve(artifactPath, allowRoot: true);
        var source = Path.GetFullPath(localPath);
        if (File.Exists(source))
        {
            CopyFileIn(source, [.. targetSegments, Path.GetFileName(source)]);
        }
        else if (Directory.Exists(source))
        {
            // Snapshot the tree before copying: logging a folder that contains the artifact root
            // would otherwise keep discovering the copies it just made.
            var files = new List<(string Source, string[] Relative)>();
            var folders = new List<string[]>();
            CollectTree(source, [], files, folders, new HashSet<string>(StringComparer.Ordinal));
            foreach (var folder in folders) EnsureFolder([.. targetSegments, .. folder]);
            foreach (var (file, relative) in files) CopyFileIn(file, [.. targetSegments, .. relative]);
        }
        else
        {
            throw TrackingException.DoesNotExist($"Cannot log artifact: local path '{localPath}' is neither a file nor a directory.");
        }
    }

    /// <inheritdoc/>
    public void Write(string path, ReadOnlySpan<byte> content)
    {
        using var stream = OpenWrite(path);
        try { stream.Write(content); }
        catch { ((IAbortableWriteStream)stream).Abort(); throw; }
    }

    /// <inheritdoc/>
    public Stream OpenWrite(string path)
    {
        var (segments, full) = Resolve(path, allowRoot: false);
        if (Directory.Exists(full))
            throw ArtifactPath.Invalid(path, "names an existing artifact directory, which cannot be overwritten by a file");
        EnsureFolder(segments[..^1]);
        return new AtomicWriteStream(full);
    }

    /// <inheritdoc/>
    public Stream OpenRead(string path)
    {
        var (_, full) = Resolve(path, allowRoot: false);
        if (Directory.Exists(full))
            throw ArtifactPath.Invalid(path, "names an artifact directory; only files can be opened");
        if (!File.Exists(full)) throw Missing(path);
        // FileShare.Delete lets a concurrent atomic overwrite rename over the file we are reading.
        return new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920);
    }

    /// <inheritdoc/>
    public bool Exists(string path)
    {
        var (_, full) = Resolve(path, allowRoot: true);
        return File.Exists(full) || Directory.Exists(full);
    }

    /// <inheritdoc/>
    public string Download(string path, string? destination = null)
    {
        var (segments, full) = Resolve(path, allowRoot: true);
        var isFile = File.Exists(full);
        if (!isFile && !Directory.Exists(full)) throw Missing(path);
        var destRoot = destination is null
            ? Directory.CreateTempSubdirectory("qlib-artifacts-").FullName
            : Path.GetFullPath(destination);
        // MLflow keeps the artifact's relative path under the destination folder.
        var target = segments.Length == 0 ? destRoot : Path.Combine([destRoot, .. segments]);
        if (isFile)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(full, target, overwrite: true);
        }
        else
        {
            CopyFolderOut(new DirectoryInfo(full), target, depth: 0);
        }
        return target;
    }

    /// <inheritdoc/>
    public string? GetLocalPath(string path) => Resolve(path, allowRoot: true).Full;

    /// <summary>Validates <paramref name="path"/> and maps it below <see cref="LocalRoot"/>.</summary>
    private (string[] Segments, string Full) Resolve(string? path, bool allowRoot)
    {
        var segments = allowRoot ? ArtifactPath.Normalize(path) : ArtifactPath.NormalizeFile(path);
        var full = segments.Length == 0 ? LocalRoot : Path.GetFullPath(Path.Combine([LocalRoot, .. segments]));
        var escaping = _confinement.FindEscapingLink(segments);
        if (escaping is not null)
            throw ArtifactPath.Invalid(path ?? "", $"passes through symlink '{escaping}', whose target lies outside the artifact root '{LocalRoot}'");
        return (segments, full);
    }

    /// <summary>Creates the folders along <paramref name="segments"/>, refusing to treat a file as a folder.</summary>
    private void EnsureFolder(string[] segments)
    {
        var current = LocalRoot;
        for (var i = 0; i < segments.Length; i++)
        {
            current = Path.Combine(current, segments[i]);
            if (File.Exists(current))
                throw ArtifactPath.Invalid(ArtifactPath.Join(segments), $"needs '{ArtifactPath.Join(segments[..(i + 1)])}' to be a folder, but it is an artifact file");
        }
        Directory.CreateDirectory(current);
    }

    private void CopyFileIn(string source, string[] targetSegments)
    {
        var relative = ArtifactPath.Join(targetSegments);
        using var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 81920);
        var output = OpenWrite(relative);
        using (output)
        {
            try { input.CopyTo(output); }
            catch { ((IAbortableWriteStream)output).Abort(); throw; }
        }
    }

    /// <summary>
    /// Lists a local tree the way MLflow's log_artifacts copies it (links followed), remembering
    /// real paths so a symlink cycle is copied once instead of forever.
    /// </summary>
    private static void CollectTree(string folder, string[] relative, List<(string, string[])> files, List<string[]> folders, HashSet<string> seen)
    {
        if (!seen.Add(PathConfinement.RealPath(folder))) return;
        folders.Add(relative);
        foreach (var entry in new DirectoryInfo(folder).EnumerateFileSystemInfos())
        {
            string[] child = [.. relative, entry.Name];
            if (Directory.Exists(entry.FullName)) CollectTree(entry.FullName, child, files, folders, seen);
            else if (File.Exists(entry.FullName)) files.Add((entry.FullName, child));
        }
    }

    private void CopyFolderOut(DirectoryInfo folder, string target, int depth)
    {
        // Confinement already rules out links that leave the root; the depth cap stops links that
        // point back up the tree from recursing forever.
        if (depth > 64)
            throw TrackingException.InvalidState($"Artifact folder '{folder.FullName}' nests more than 64 levels deep; a symlink loop is likely.");
        Directory.CreateDirectory(target);
        foreach (var entry in folder.EnumerateFileSystemInfos())
        {
            if (TempFileNames.IsArtifactTemp(entry.Name)) continue; // a write in progress, or a killed one's leftover
            if (!_confinement.IsInside(entry))
                throw TrackingException.InvalidParameter($"Cannot download '{entry.FullName}': it is a symlink whose target lies outside the artifact root '{LocalRoot}'.");
            var destination = Path.Combine(target, entry.Name);
            if (Directory.Exists(entry.FullName)) CopyFolderOut(new DirectoryInfo(entry.FullName), destination, depth + 1);
            else File.Copy(entry.FullName, destination, overwrite: true);
        }
    }

    private TrackingException Missing(string path) =>
        TrackingException.DoesNotExist($"Artifact '{path}' does not exist under '{ArtifactUri}'.");
}
