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
