using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores;

namespace Qlib.Tracked.Web.Server;

/// <summary>
/// Artifact locations as clients see them. Serving artifacts, a location under the artifacts destination is given
/// as <c>mlflow-artifacts:/&lt;path under it&gt;</c> (what MLflow 2.x's server gives, so clients upload through the
/// proxy) and such a URI sent by a client is read back into the local location; without serving, the store's own
/// locations pass unchanged both ways. Immutable; thread-safe.
/// </summary>
internal sealed class ArtifactUris
{
    public const string Scheme = "mlflow-artifacts:";

    /// <param name="destination">The artifacts destination's full local path; null when artifacts are not served.</param>
    public ArtifactUris(string? destination) =>
        Destination = destination is null ? null : Path.TrimEndingDirectorySeparator(Path.GetFullPath(destination));

    /// <summary>The served folder (full path), or null when artifacts are not served.</summary>
    public string? Destination { get; }

    public string ToClient(string location)
    {
        if (Destination is null || TrackingUri.GetScheme(location) != "file") return location;
        string local;
        try
        {
            local = Path.TrimEndingDirectorySeparator(TrackingUri.ToLocalPath(location));
        }
        catch (ArgumentException)
        {
            return location;
        }
        if (local == Destination) return Scheme + "/";
        return local.StartsWith(Destination + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? Scheme + "/" + local[(Destination.Length + 1)..].Replace(Path.DirectorySeparatorChar, '/')
            : location;
    }

    /// <summary>A location a client sent (<c>experiments/create</c>'s <c>artifact_location</c>) as the store keeps it.</summary>
    public string? FromClient(string? location)
    {
        if (location is null || !location.StartsWith(Scheme, StringComparison.Ordinal)) return location;
        if (Destination is null)
            throw TrackingException.InvalidParameter(
                $"Artifact location '{location}' uses the artifact proxy, which this server does not serve (started with --no-serve-artifacts).");
        var relative = location[Scheme.Length..].TrimStart('/');
        return TrackingUri.FromLocalPath(ArtifactProxyPath.Resolve(Destination, relative, allowRoot: true));
    }

    public ExperimentInfo ToClient(ExperimentInfo experiment) => experiment with { ArtifactLocation = ToClient(experiment.ArtifactLocation) };

    public RunInfo ToClient(RunInfo info) => info with { ArtifactUri = ToClient(info.ArtifactUri) };

    public Run ToClient(Run run) => run with { Info = ToClient(run.Info) };
}
