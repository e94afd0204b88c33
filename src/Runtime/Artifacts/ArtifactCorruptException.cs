namespace Qlib.Tracked.Artifacts;

/// <summary>
/// The artifact is in our format but damaged (truncated, bad header, undecodable payload). Its code
/// is INVALID_STATE: the request was fine, the stored data is not.
/// Immutable once thrown; thread-safe to read.
/// </summary>
public sealed class ArtifactCorruptException : TrackingException
{
    /// <summary>An INVALID_STATE error saying <paramref name="artifactName"/> cannot be read as <paramref name="format"/>.</summary>
    /// <param name="artifactName">The artifact's path in the run.</param>
    /// <param name="format">The format it claims to be (<c>Parquet</c>, <c>MemoryPack</c>, …).</param>
    /// <param name="problem">What is wrong with it.</param>
    /// <param name="inner">The decoder's own error, if any.</param>
    public ArtifactCorruptException(string artifactName, string format, string problem, Exception? inner = null)
        : base(ErrorCode.InvalidState, $"Artifact '{artifactName}' is not a readable {format} artifact: {problem}.", inner)
    {
        ArtifactName = artifactName;
    }

    /// <summary>The artifact's path in the run.</summary>
    public string ArtifactName { get; }
}
