namespace Qlib.Tracked.Web.Api;

/// <summary>
/// The web layer's own check of an artifact path taken from a URL, before the repository (which also
/// confines paths and refuses symlinks that leave the run) sees it. A browser never needs '..', so any
/// '..' segment is refused outright rather than normalised, as are absolute paths, backslashes and NUL.
/// ASP.NET has already percent-decoded the query once, so <c>%2e%2e/</c> arrives here as <c>../</c>.
/// </summary>
internal static class ArtifactRequestPath
{
    public static string? Check(string? path, bool allowRoot)
    {
        if (string.IsNullOrEmpty(path))
        {
            if (allowRoot) return null;
            throw TrackingException.InvalidParameter("Query argument 'path' (the artifact path) is required.");
        }
        if (path.Contains('\0')) throw Refused(path, "contains a NUL character");
        if (path.Contains('\\')) throw Refused(path, "contains '\\'; artifact paths use '/'");
        if (path.StartsWith('/') || Path.IsPathRooted(path) || (path.Length >= 2 && path[1] == ':'))
            throw Refused(path, "is absolute; artifact paths are relative to the run's artifact root");
        if (path.Split('/').Any(segment => segment == ".."))
            throw Refused(path, "contains '..'; artifact paths cannot leave the run's artifact root");
        return path;
    }

    private static TrackingException Refused(string path, string rule) =>
        TrackingException.InvalidParameter($"Invalid artifact path '{path}': it {rule}.");
}
