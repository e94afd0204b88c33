namespace Qlib.Tracked.Artifacts;

/// <summary>
/// The artifact exists but holds another type than the one requested (Qlib's pickle would have
/// returned whatever was stored and failed later, far from the cause).
/// </summary>
public sealed class ArtifactTypeMismatchException : TrackingException
{
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

    public string ArtifactName { get; }

    /// <summary>What the artifact holds, as far as its header tells (a type name or a format description).</summary>
    public string StoredType { get; }

    public string RequestedType { get; }
}

/// <summary>
/// The artifact is in our format but damaged (truncated, bad header, undecodable payload). Its code
/// is INVALID_STATE: the request was fine, the stored data is not.
/// </summary>
public sealed class ArtifactCorruptException : TrackingException
{
    public ArtifactCorruptException(string artifactName, string format, string problem, Exception? inner = null)
        : base(ErrorCode.InvalidState, $"Artifact '{artifactName}' is not a readable {format} artifact: {problem}.", inner)
    {
        ArtifactName = artifactName;
    }

    public string ArtifactName { get; }
}
