namespace Qlib.Tracked.Artifacts;

/// <summary>
/// Normalises artifact paths. Artifact paths come from users and from other machines' listings, so
/// they are treated as untrusted: only relative, '/'-separated paths that stay inside the root pass.
/// </summary>
internal static class ArtifactPath
{
    /// <summary>
    /// Returns the path's segments with empty and '.' segments dropped and '..' applied. An empty
    /// array means the root. Throws INVALID_PARAMETER_VALUE naming <paramref name="path"/> when it
    /// is absolute, uses '\' or NUL, or climbs above the root.
    /// </summary>
    public static string[] Normalize(string? path)
    {
        if (string.IsNullOrEmpty(path)) return [];
        // A backslash is a separator on Windows and an ordinary character here: refusing it keeps
        // one artifact name meaning one file on every platform MLflow's UI may be run from.
        if (path.Contains('\\'))
            throw Invalid(path, "must use '/' as its separator and must not contain '\\'");
        if (path.Contains('\0'))
            throw Invalid(path, "must not contain a NUL character");
        if (path.StartsWith('/') || Path.IsPathRooted(path))
            throw Invalid(path, "must be relative to the artifact root, not absolute");

        var segments = new List<string>();
        foreach (var segment in path.Split('/'))
        {
            if (segment.Length == 0 || segment == ".") continue;
            if (segment == "..")
            {
                if (segments.Count == 0) throw Invalid(path, "must not leave the artifact root with '..'");
                segments.RemoveAt(segments.Count - 1);
                continue;
            }
            segments.Add(segment);
        }
        return [.. segments];
    }

    /// <summary>Like <see cref="Normalize"/>, but the root itself is not a valid target.</summary>
    public static string[] NormalizeFile(string? path)
    {
        var segments = Normalize(path);
        if (segments.Length == 0) throw Invalid(path ?? "", "must name an artifact below the root, not the root itself");
        return segments;
    }

    public static string Join(IEnumerable<string> segments) => string.Join('/', segments);

    public static TrackingException Invalid(string path, string rule) =>
        TrackingException.InvalidParameter($"Invalid artifact path '{path}': it {rule}.");
}
