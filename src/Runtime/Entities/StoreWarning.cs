namespace Qlib.Tracked.Entities;

/// <summary>
/// Something in a store that was skipped rather than trusted: a torn metric line, a corrupt
/// <c>meta.yaml</c>, a foreign folder. <see cref="Path"/> is relative to the store root. Immutable; thread-safe.
/// </summary>
public sealed record StoreWarning(string Path, string Message, string? RunId = null)
{
    /// <summary>The path (and run, when known) and the message, for logs and the CLI.</summary>
    public override string ToString() => RunId is null ? $"{Path}: {Message}" : $"{Path} (run {RunId}): {Message}";
}
