using Qlib.Tracked.Artifacts;

namespace Qlib.Tracked.Stores;

/// <summary>
/// An imported run that keeps its artifact location (<c>qtrack migrate --keep-artifact-locations</c>) must keep it
/// where the destination may read: refused at import, as an experiment's explicit location is at creation, rather
/// than on the first read. Non-<c>file:</c> locations are recorded as MLflow records them.
/// </summary>
internal static class ImportedArtifactLocation
{
    public static void Require(ArtifactRoots roots, string runId, string artifactUri)
    {
        if (TrackingUri.GetScheme(artifactUri) != "file") return;
        var owner = $"Run '{runId}'";
        string local;
        try { local = TrackingUri.ToLocalPath(artifactUri); }
        catch (TrackingException e) { throw new ArtifactLocationNotAllowedException(owner, artifactUri, null, roots, e.Message); }
        if (!roots.Contain(local, out var real)) throw new ArtifactLocationNotAllowedException(owner, artifactUri, real, roots);
    }
}
