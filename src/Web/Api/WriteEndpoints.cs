using System.Text.Json;

namespace Qlib.Tracked.Web.Api;

/// <summary>
/// The only endpoints that change the store: <c>POST /api/runs/{id}/delete</c>, <c>POST /api/runs/{id}/restore</c>
/// (soft delete, as MLflow) and <c>POST /api/experiments/{id}/rename</c> with <c>{"name": "…"}</c>. They answer
/// 403 unless the app was started with <see cref="WebOptions.AllowWrites"/>. Each needs a JSON body
/// (<c>Content-Type: application/json</c>): a cross-site HTML form cannot send one, so another page the
/// user has open cannot make the browser delete runs; and <see cref="OriginCheck"/> refuses any write whose
/// <c>Origin</c> is not the UI's own.
/// </summary>
internal static class WriteEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("/runs/{runId}/delete", async (string runId, HttpRequest request, StoreContext context) =>
            await Guarded(request, context, _ =>
            {
                context.Store.DeleteRun(runId);
                return Done("run_id", runId);
            }));

        api.MapPost("/runs/{runId}/restore", async (string runId, HttpRequest request, StoreContext context) =>
            await Guarded(request, context, _ =>
            {
                context.Store.RestoreRun(runId);
                return Done("run_id", runId);
            }));

        api.MapPost("/experiments/{experimentId}/rename", async (string experimentId, HttpRequest request, StoreContext context) =>
            await Guarded(request, context, body =>
            {
                if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String)
                    throw TrackingException.InvalidParameter("The request body must be a JSON object with a string 'name'.");
                context.Store.RenameExperiment(experimentId, name.GetString()!);
                return Done("experiment_id", experimentId);
            }));
    }

    private static async Task<IResult> Guarded(HttpRequest request, StoreContext context, Func<JsonElement, IResult> write)
    {
        if (!context.Options.AllowWrites)
            return JsonResponse.Error(StatusCodes.Status403Forbidden, "PERMISSION_DENIED",
                "This UI is read-only. Start it with --allow-writes to delete, restore or rename.");
        if (!request.HasJsonContentType())
            return JsonResponse.Error(StatusCodes.Status415UnsupportedMediaType, "INVALID_PARAMETER_VALUE",
                "Write requests must send a JSON body with Content-Type: application/json.");
        JsonElement body;
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
            body = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            return JsonResponse.BadRequest("The request body is not valid JSON: " + e.Message);
        }
        return write(body);
    }

    private static JsonResponse Done(string idName, string id) => new(w =>
    {
        w.WriteStartObject();
        w.WriteString(idName, id);
        w.WriteBoolean("ok", true);
        w.WriteEndObject();
    });
}
