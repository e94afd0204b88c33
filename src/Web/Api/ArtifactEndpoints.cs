using Qlib.Tracked.Artifacts;
using Qlib.Tracked.Web.Previews;

namespace Qlib.Tracked.Web.Api;

/// <summary>
/// <c>GET /api/runs/{id}/artifacts?path=</c> (one level, as MLflow lists), <c>…/artifacts/download?path=</c>
/// (always an attachment of type application/octet-stream, so an HTML artifact is never rendered in the
/// UI's origin) and <c>…/artifacts/preview?path=</c>. Paths pass <see cref="ArtifactRequestPath"/> and then
/// the repository's own confinement (symlinks leaving the run are refused there).
/// </summary>
internal static class ArtifactEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/runs/{runId}/artifacts", (string runId, HttpRequest request, StoreContext context) =>
        {
            var path = ArtifactRequestPath.Check(QueryArgs.Single(request, "path"), allowRoot: true);
            var repository = context.Store.GetArtifactRepository(runId);
            var entries = Confined(context, runId, repository, () => repository.List(path));
            return new JsonResponse(w =>
            {
                w.WriteStartObject();
                w.WriteString("root_uri", PresentRoot(context, runId, repository));
                if (path is null) w.WriteNull("path");
                else w.WriteString("path", path);
                w.WriteStartArray("files");
                foreach (var entry in entries)
                {
                    w.WriteStartObject();
                    w.WriteString("path", entry.Path);
                    w.WriteBoolean("is_dir", entry.IsDir);
                    JsonWrite.NullableNumber(w, "file_size", entry.FileSize);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            });
        });

        api.MapGet("/runs/{runId}/artifacts/download", (string runId, HttpRequest request, StoreContext context) =>
        {
            var path = ArtifactRequestPath.Check(QueryArgs.Single(request, "path"), allowRoot: false)!;
            var repository = context.Store.GetArtifactRepository(runId);
            var stream = Confined(context, runId, repository, () => repository.OpenRead(path));
            var name = path[(path.LastIndexOf('/') + 1)..];
            return Results.Stream(stream, "application/octet-stream", fileDownloadName: name, enableRangeProcessing: true);
        });

        api.MapGet("/runs/{runId}/artifacts/preview", async (string runId, HttpRequest request, StoreContext context) =>
        {
            var path = ArtifactRequestPath.Check(QueryArgs.Single(request, "path"), allowRoot: false)!;
            var rows = QueryArgs.Int(request, "rows", context.Options.PreviewRows, 1, 10_000);
            var repository = context.Store.GetArtifactRepository(runId);
            await using var stream = Confined(context, runId, repository, () => repository.OpenRead(path));
            // Previews are built in memory first: a Parquet reader needs to seek, and a failure must
            // still produce one well-formed JSON document.
            var buffer = new MemoryStream();
            await using (var writer = new System.Text.Json.Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                await ArtifactPreview.WriteAsync(writer, stream, path, stream.Length, context.Options with { PreviewRows = rows }, request.HttpContext.RequestAborted);
                writer.WriteEndObject();
            }
            return Results.Bytes(buffer.ToArray(), "application/json; charset=utf-8");
        });
    }

    /// <summary>
    /// Runs a repository call, rewriting its error messages so they name the artifact root as the UI
    /// shows it, never as a server path (the store root is handled by the global error handler).
    /// </summary>
    private static T Confined<T>(StoreContext context, string runId, IArtifactRepository repository, Func<T> call)
    {
        try
        {
            return call();
        }
        catch (TrackingException e)
        {
            var shown = PresentRoot(context, runId, repository);
            var message = e.Message.Replace(repository.ArtifactUri, shown, StringComparison.Ordinal);
            if (repository is LocalArtifactRepository local) message = message.Replace(local.LocalRoot, shown, StringComparison.Ordinal);
            throw new TrackingException(e.Code, context.Redactor.Redact(message), e);
        }
    }

    private static string PresentRoot(StoreContext context, string runId, IArtifactRepository repository)
    {
        var info = context.Store.GetRun(runId).Info;
        return context.Redactor.PresentLocation(repository.ArtifactUri, info.ExperimentId, info.RunId);
    }
}
