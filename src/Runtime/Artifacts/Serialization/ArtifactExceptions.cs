namespace Qlib.Tracked.Artifacts;

/// <summary>
/// The artifact exists but holds another type than the one requested (Qlib's pickle would have
/// returned whatever was stored and failed later, far from the cause).
/// Immutable once thrown; thread-safe to read.
/// </summary>
public sealed class ArtifactTypeMismatchException : TrackingException
{
    /// <summary>An INVALID_PARAMETER_VALUE error saying what <paramref name="artifactName"/> holds and what was asked for.</summary>
    /// <param name="artifactName">The artifact's path in the run.</param>
    /// <param name="storedType">What the artifact holds (a type name or a format description).</param>
    /// <param name="requestedType">What the caller tried to load it as.</param>
    /// <param name="detail">More about the mismatch (e.g. the missing columns), appended to the message.</param>
    /// <param name="inner">The decoder's own error, if any.</param>
    public ArtifactTypeMismatchException(string artifactName, string storedType, string requestedType, string? detail = null, Exception? inner = null)
        : base(ErrorCode.InvalidParameterValue,
            $"Artifact '{artifactName}' holds {storedType}, but it was loaded as {requestedType}."
            + (detail is null ? "" : " " + detail),
            inner)
    {
        ArtifactName = artifactName;
        StoredType = storedType;
        RequestedType = requestedType;
    }

    /// <summary>The artifact's path in the run.</summary>
    public string ArtifactName { get; }

    /// <summary>What the artifact holds, as far as its header tells (a type name or a format description).</summary>
    public string StoredType { get; }

    /// <summary>What the caller tried to load the artifact as.</summary>
    public string RequestedType { get; }
}

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
