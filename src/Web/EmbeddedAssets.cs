using System.Security.Cryptography;

namespace Qlib.Tracked.Web;

/// <summary>
/// The UI's pages, scripts and styles, embedded in this assembly (<c>Assets/</c>) so they are served the same
/// from a build folder, a published app or a packed dotnet tool. Loaded once; each gets a strong ETag.
/// </summary>
internal sealed class EmbeddedAssets
{
    private const string Prefix = "qtrack-assets/";
    private readonly Dictionary<string, Asset> _assets = new(StringComparer.Ordinal);

    public sealed record Asset(string Name, byte[] Content, string ContentType, string ETag);

    public EmbeddedAssets()
    {
        var assembly = typeof(EmbeddedAssets).Assembly;
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(Prefix, StringComparison.Ordinal)) continue;
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var content = copy.ToArray();
            var name = resource[Prefix.Length..];
            _assets[name] = new Asset(name, content, ContentTypeOf(name), "\"" + Convert.ToHexString(SHA256.HashData(content))[..16] + "\"");
        }
    }

    public IReadOnlyCollection<string> Names => _assets.Keys;

    public Asset? Find(string name) => _assets.GetValueOrDefault(name);

    public IResult Serve(HttpContext http, string name)
    {
        if (Find(name) is not { } asset) return Results.NotFound();
        http.Response.Headers.ETag = asset.ETag;
        http.Response.Headers.CacheControl = "no-cache";
        if (http.Request.Headers.IfNoneMatch == asset.ETag) return Results.StatusCode(StatusCodes.Status304NotModified);
        return Results.Bytes(asset.Content, asset.ContentType);
    }

    private static string ContentTypeOf(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };
}
