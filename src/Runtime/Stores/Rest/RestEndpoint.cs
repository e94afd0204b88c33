namespace Qlib.Tracked.Stores.Rest;

/// <summary>
/// A tracking server named by an <c>http://</c> or <c>https://</c> URI: where requests go, and how the URI is shown.
/// A <c>user:password@</c> in the URI is taken as basic-auth credentials and never shown (<see cref="Display"/>).
/// A path after the host is kept as a prefix (a server behind a reverse proxy at <c>/mlflow</c>).
/// Immutable; thread-safe.
/// </summary>
public sealed class RestEndpoint
{
    private RestEndpoint(Uri baseUri, string display, string? user, string? password)
    {
        BaseUri = baseUri;
        Display = display;
        UserName = user;
        Password = password;
    }

    /// <summary>Scheme, host, port and path prefix, without credentials, query or trailing '/'.</summary>
    public Uri BaseUri { get; }

    /// <summary>The URI as errors show it: no credentials.</summary>
    public string Display { get; }

    /// <summary>The user of a <c>user:password@host</c> URI.</summary>
    public string? UserName { get; }

    /// <summary>The password of a <c>user:password@host</c> URI.</summary>
    public string? Password { get; }

    /// <summary>Parses <paramref name="uri"/>; INVALID_PARAMETER_VALUE naming it (credentials hidden) and the rule when it is not a usable server URI.</summary>
    public static RestEndpoint Parse(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var shown = Redact(uri);
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https"))
            throw Invalid(shown, "write http://host:port or https://host:port");
        if (string.IsNullOrEmpty(parsed.Host))
            throw Invalid(shown, "it names no host");
        if (!string.IsNullOrEmpty(parsed.Query) || !string.IsNullOrEmpty(parsed.Fragment))
            throw Invalid(shown, "a tracking server URI takes no query string or fragment");
        string? user = null, password = null;
        if (!string.IsNullOrEmpty(parsed.UserInfo))
        {
            var colon = parsed.UserInfo.IndexOf(':');
            user = Uri.UnescapeDataString(colon < 0 ? parsed.UserInfo : parsed.UserInfo[..colon]);
            password = colon < 0 ? null : Uri.UnescapeDataString(parsed.UserInfo[(colon + 1)..]);
        }
        var path = parsed.AbsolutePath.TrimEnd('/');
        var baseUri = new UriBuilder(parsed.Scheme, parsed.Host, parsed.Port, path).Uri;
        var display = baseUri.GetLeftPart(UriPartial.Authority) + path;
        return new RestEndpoint(baseUri, display, user, password);
    }

    /// <summary>The absolute URL of <paramref name="pathAndQuery"/> (which starts with '/') under <see cref="BaseUri"/>.</summary>
    public Uri Resolve(string pathAndQuery) => new(BaseUri.GetLeftPart(UriPartial.Authority) + BaseUri.AbsolutePath.TrimEnd('/') + pathAndQuery);

    /// <summary><paramref name="uri"/> with the password of a <c>user:password@</c> part replaced by <c>***</c>.</summary>
    public static string Redact(string uri)
    {
        var start = uri.IndexOf("//", StringComparison.Ordinal);
        if (start < 0) return uri;
        var end = uri.IndexOfAny(['/', '?', '#'], start + 2);
        var authority = end < 0 ? uri[(start + 2)..] : uri[(start + 2)..end];
        var at = authority.LastIndexOf('@');
        if (at < 0) return uri;
        var colon = authority.IndexOf(':');
        var userInfo = colon >= 0 && colon < at ? authority[..colon] + ":***" : authority[..at];
        return uri[..(start + 2)] + userInfo + authority[at..] + (end < 0 ? "" : uri[end..]);
    }

    private static TrackingException Invalid(string shown, string why) =>
        TrackingException.InvalidParameter($"Invalid tracking server URI '{shown}': {why}.");
}
