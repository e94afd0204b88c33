namespace Qlib.Tracked.Artifacts;

/// <summary>
/// A store file names an artifact location outside the store's artifact roots (see <see cref="ArtifactRoots"/>):
/// nothing is read from or written to it. PERMISSION_DENIED; the message names the run (or experiment), the
/// location and how to allow it.
/// Immutable once thrown; thread-safe to read.
/// </summary>
public sealed class ArtifactLocationNotAllowedException : TrackingException
{
    /// <summary>Refuses <paramref name="location"/> (resolved to <paramref name="resolvedPath"/> when it is local) for <paramref name="owner"/> because it lies outside every allowed root in <paramref name="roots"/>; <paramref name="reason"/> adds why.</summary>
    public ArtifactLocationNotAllowedException(string owner, string location, string? resolvedPath, ArtifactRoots roots, string? reason = null)
        : base(ErrorCode.PermissionDenied,
            $"{owner} keeps its artifacts at '{location}'" + (reason is null ? "" : $" ({reason})") +
            (resolvedPath is null ? ", " : $", which resolves to '{resolvedPath}', ") +
            $"outside this store's artifact roots ({roots.Describe()}). " +
            "Nothing is read from or written there. If that location is yours, name it as an artifact root " +
            "(FileStoreOptions.ArtifactRoots; qtrack --artifact-root).")
    {
        Owner = owner;
        Location = location;
        ResolvedPath = resolvedPath;
    }

    /// <summary>"Run '…'" or "Experiment '…'".</summary>
    public string Owner { get; }

    /// <summary>The location as the store file spells it.</summary>
    public string Location { get; }

    /// <summary>The local folder it resolved to, symlinks followed (null when it names no local folder).</summary>
    public string? ResolvedPath { get; }
}
