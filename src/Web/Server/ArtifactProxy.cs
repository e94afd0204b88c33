using Microsoft.AspNetCore.StaticFiles;
using Qlib.Tracked.Stores.Rest.Protocol;

namespace Qlib.Tracked.Web.Server;

/// <summary>
/// MLflow's artifact proxy (<c>/api/2.0/mlflow-artifacts/artifacts</c>) over the artifacts destination folder:
/// PUT uploads, GET with <c>?path=</c> lists, GET of a path downloads, DELETE removes. Bodies stream between the
/// socket and the disk in small buffers (a gigabyte artifact never sits in memory); an upload lands in a temporary
/// file beside its target and is renamed over it only when complete, so a cut connection leaves no half artifact.
/// Every path is confined by <see cref="ArtifactProxyPath"/>.
/// </summary>
internal static class ArtifactProxy
{
    private const string UploadPrefix = ".qtrack-upload-";
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    public static void Map(IEndpointRouteBuilder routes, string prefix)
    {
        routes.MapGet(prefix, MlflowErrors.Handle(List));
        routes.MapGet(prefix + "/{**path}", MlflowErrors.Handle(Download));
        routes.MapPut(prefix + "/{**path}", MlflowErrors.Handle(Upload));
        routes.MapDelete(prefix + "/{**path}", MlflowErrors.Handle(Delete));
    }

    private static string Root(HttpContext http) => http.RequestServices.GetRequiredService<ArtifactUris>().Destination
        ?? throw new TrackingException(ErrorCode.NotImplemented, "This server does not serve artifacts (it was started with --no-serve-artifacts).");

    private static string Local(HttpContext http, bool allowRoot) =>
        ArtifactProxyPath.Resolve(Root(http), http.Request.RouteValues["path"] as string, allowRoot);

    private static Task List(HttpContext http)
    {
        var folder = ArtifactProxyPath.Resolve(Root(http), MlflowHttp.Query(http, "path"), allowRoot: true);
        List<FileInfoMessage>? files = null;
        if (Directory.Exists(folder))
        {
            files = [.. new DirectoryInfo(folder).EnumerateFileSystemInfos()
                .Where(e => !e.Name.StartsWith(UploadPrefix, StringComparison.Ordinal) && e.LinkTarget is null)
                .OrderBy(e => e.Name, StringComparer.Ordinal)
                .Select(e => new FileInfoMessage { Path = e.Name, IsDir = e is DirectoryInfo, FileSize = e is FileInfo f ? f.Length : null })];
        }
        // MLflow answers {} for an empty or missing folder (and for a file).
        return MlflowHttp.Answer(http, new ListArtifactsResponse { Files = files is { Count: > 0 } ? files : null }, MlflowJsonContext.Default.ListArtifactsResponse);
    }

    private static async Task Download(HttpContext http)
    {
        var file = Local(http, allowRoot: false);
        if (!File.Exists(file))
            throw TrackingException.DoesNotExist($"No artifact at '{http.Request.RouteValues["path"]}'.");
        http.Response.ContentType = ContentTypes.TryGetContentType(file, out var type) ? type : "application/octet-stream";
        await using var input = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
        http.Response.ContentLength = input.Length;
        await input.CopyToAsync(http.Response.Body, http.RequestAborted);
    }

    private static async Task Upload(HttpContext http)
    {
        var file = Local(http, allowRoot: false);
        if (Directory.Exists(file))
            throw TrackingException.InvalidParameter($"Cannot upload to '{http.Request.RouteValues["path"]}': a folder of that name exists.");
        var folder = Path.GetDirectoryName(file)!;
        Directory.CreateDirectory(folder);
        var temporary = Path.Combine(folder, UploadPrefix + Guid.NewGuid().ToString("N"));
        try
        {
            await using (var output = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
                await http.Request.Body.CopyToAsync(output, http.RequestAborted);
            File.Move(temporary, file, overwrite: true);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw TrackingException.InvalidParameter(
                $"The artifact '{http.Request.RouteValues["path"]}' is larger than this server accepts in one upload ({e.Message}).");
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
        await MlflowHttp.Empty(http);
    }

    private static Task Delete(HttpContext http)
    {
        var target = Local(http, allowRoot: false);
        if (Directory.Exists(target)) Directory.Delete(target, recursive: true);
        else if (File.Exists(target)) File.Delete(target);
        return MlflowHttp.Empty(http);
    }
}
