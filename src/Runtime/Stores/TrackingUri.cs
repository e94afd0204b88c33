namespace Qlib.Tracked.Stores;

/// <summary>Parses tracking URIs the way MLflow and Qlib spell them.</summary>
public static class TrackingUri
{
    /// <summary>
    /// The scheme of <paramref name="uri"/>, or "file" for a plain path. A one-letter "scheme" is a
    /// Windows drive (<c>C:\mlruns</c>), not a scheme.
    /// </summary>
    public static string GetScheme(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var colon = uri.IndexOf(':');
        if (colon <= 1) return "file";
        for (var i = 0; i < colon; i++)
        {
            var c = uri[i];
            var ok = char.IsAsciiLetter(c) || (i > 0 && (char.IsAsciiDigit(c) || c is '+' or '-' or '.'));
            if (!ok) return "file";
        }
        return uri[..colon].ToLowerInvariant();
    }

    /// <summary>
    /// The absolute local path named by a <c>file:</c> URI or plain path. Accepts <c>file:/abs</c>
    /// (Qlib's default spelling), <c>file:///abs</c>, <c>file://localhost/abs</c>, <c>file:rel</c>,
    /// and percent-escapes in URI forms. Relative paths resolve against the current directory.
    /// </summary>
    public static string ToLocalPath(string uri)
    {
        if (GetScheme(uri) != "file")
            throw new TrackingException(ErrorCode.InvalidParameterValue, $"'{uri}' is not a file: URI or a local path.");
        if (!uri.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
            return FullPath(uri, uri);

        var rest = uri["file:".Length..];
        if (rest.StartsWith("//", StringComparison.Ordinal))
        {
            var afterAuthority = rest.IndexOf('/', 2);
            var authority = afterAuthority < 0 ? rest[2..] : rest[2..afterAuthority];
            if (authority.Length > 0 && !authority.Equals("localhost", StringComparison.OrdinalIgnoreCase))
                throw new TrackingException(ErrorCode.InvalidParameterValue,
                    $"'{uri}' names the remote host '{authority}'; only local file: URIs are supported.");
            // "file://" or "file://localhost" names a host but no path: refused rather than read as the file system root.
            rest = afterAuthority < 0 ? "" : rest[afterAuthority..];
        }
        rest = Uri.UnescapeDataString(rest);
        // file:/C:/x on Windows
        if (rest.Length >= 3 && rest[0] == '/' && char.IsAsciiLetter(rest[1]) && rest[2] == ':') rest = rest[1..];
        return FullPath(rest, uri);
    }

    /// <summary>
    /// <paramref name="path"/> made absolute, or the rule it breaks: <see cref="Path.GetFullPath(string)"/> would throw
    /// an untyped ArgumentException for an empty path (<c>file:</c>) or one holding a NUL (<c>file:/a%00b</c>).
    /// </summary>
    private static string FullPath(string path, string uri)
    {
        if (string.IsNullOrWhiteSpace(path))
            throw new TrackingException(ErrorCode.InvalidParameterValue, $"Tracking URI '{uri}' names no path: write file:/abs/path, file:rel/path or a plain path.");
        if (path.Contains('\0', StringComparison.Ordinal))
            throw new TrackingException(ErrorCode.InvalidParameterValue, $"Tracking URI '{uri}' holds a NUL character, which no file path can contain.");
        return Path.GetFullPath(path);
    }

    /// <summary>The <c>file://</c> URI MLflow writes for an absolute local path (<c>file:///abs/path</c>).</summary>
    public static string FromLocalPath(string path)
    {
        var full = Path.GetFullPath(path).Replace('\\', '/');
        if (!full.StartsWith('/')) full = "/" + full;
        return "file://" + full;
    }
}
