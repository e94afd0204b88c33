namespace Qlib.Tracked.Entities;

/// <summary>
/// Something in a store that was skipped rather than trusted: a torn metric line, a corrupt
/// <c>meta.yaml</c>, a foreign folder. <see cref="Path"/> is relative to the store root.
/// </summary>
public sealed record StoreWarning(string Path, string Message, string? RunId = null)
{
    public override string ToString() => RunId is null ? $"{Path}: {Message}" : $"{Path} (run {RunId}): {Message}";
}
