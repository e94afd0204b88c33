using Qlib.Tracked.Entities;

namespace Qlib.Tracked.Artifacts;

/// <summary>
/// Artifacts in a local folder. SKELETON: the implementation lands with the artifacts step.
/// </summary>
public sealed class LocalArtifactRepository : IArtifactRepository
{
    /// <param name="artifactUri">The URI recorded in the run's meta (reported, never trusted for paths).</param>
    /// <param name="localRoot">The folder that actually holds the artifacts (resolved by the store).</param>
    public LocalArtifactRepository(string artifactUri, string localRoot)
    {
        ArtifactUri = artifactUri;
        LocalRoot = Path.GetFullPath(localRoot);
    }

    public string ArtifactUri { get; }
    public string LocalRoot { get; }

    public IReadOnlyList<ArtifactInfo> List(string? path = null) => throw new NotImplementedException();
    public void LogArtifact(string localPath, string? artifactPath = null) => throw new NotImplementedException();
    public void Write(string path, ReadOnlySpan<byte> content) => throw new NotImplementedException();
    public Stream OpenWrite(string path) => throw new NotImplementedException();
    public Stream OpenRead(string path) => throw new NotImplementedException();
    public bool Exists(string path) => throw new NotImplementedException();
    public string Download(string path, string? destination = null) => throw new NotImplementedException();
    public string? GetLocalPath(string path) => throw new NotImplementedException();
}
