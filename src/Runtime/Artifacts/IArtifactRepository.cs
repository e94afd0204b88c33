using Qlib.Tracked.Entities;

namespace Qlib.Tracked.Artifacts;

/// <summary>
/// Where one run's artifacts live. Paths are relative, '/'-separated and confined to the
/// repository root: '..', absolute paths and symlinks that leave the root are rejected with
/// INVALID_PARAMETER_VALUE.
/// The repositories in this library are thread-safe: each call works on its own files or requests.
/// </summary>
public interface IArtifactRepository
{
    /// <summary>The artifact root URI as recorded in the run's meta (may point at another machine).</summary>
    string ArtifactUri { get; }

    /// <summary>One level below <paramref name="path"/> (root when null), as MLflow lists artifacts.</summary>
    IReadOnlyList<ArtifactInfo> List(string? path = null);

    /// <summary>Copies a local file (or a directory's contents) into <paramref name="artifactPath"/>.</summary>
    void LogArtifact(string localPath, string? artifactPath = null);

    /// <summary>Writes <paramref name="content"/> to the artifact at <paramref name="path"/> atomically.</summary>
    void Write(string path, ReadOnlySpan<byte> content);

    /// <summary>Opens an artifact for writing; the file appears at <paramref name="path"/> only when the stream is disposed.</summary>
    Stream OpenWrite(string path);

    /// <summary>Opens an artifact for reading; RESOURCE_DOES_NOT_EXIST when missing.</summary>
    Stream OpenRead(string path);

    /// <summary>Whether a file or folder exists at <paramref name="path"/> (relative to the artifact root).</summary>
    bool Exists(string path);

    /// <summary>Copies an artifact (file or folder) to <paramref name="destination"/> (a temp folder when null) and returns the local path.</summary>
    string Download(string path, string? destination = null);

    /// <summary>The local file system path of an artifact when the repository is local, else null.</summary>
    string? GetLocalPath(string path);
}
