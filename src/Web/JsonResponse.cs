using System.Buffers;
using System.Text.Json;

namespace Qlib.Tracked.Web;

/// <summary>
/// A JSON response written with <see cref="Utf8JsonWriter"/> (no reflection-based serialization). The
/// writer's default encoder escapes <c>&lt;</c>, <c>&gt;</c>, <c>&amp;</c> and quotes, so a value such as
/// <c>&lt;script&gt;</c> can never close a script or an attribute even if a client misuses it.
/// </summary>
internal sealed class JsonResponse(Action<Utf8JsonWriter> write, int statusCode = StatusCodes.Status200OK) : IResult
{
    public int StatusCode => statusCode;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer)) write(writer);
        httpContext.Response.StatusCode = statusCode;
        httpContext.Response.ContentType = "application/json; charset=utf-8";
        httpContext.Response.Headers.CacheControl = "no-store";
        await httpContext.Response.Body.WriteAsync(buffer.WrittenMemory, httpContext.RequestAborted).ConfigureAwait(false);
    }

    /// <summary><c>{"error_code": …, "message": …}</c> with the given status (MLflow's REST error shape).</summary>
    public static JsonResponse Error(int status, string errorCode, string message) => new(w =>
    {
        w.WriteStartObject();
        w.WriteString("error_code", errorCode);
        w.WriteString("message", message);
        w.WriteEndObject();
    }, status);

    public static JsonResponse BadRequest(string message) => Error(StatusCodes.Status400BadRequest, "INVALID_PARAMETER_VALUE", message);

    /// <summary>
    /// The status a tracking error maps to: bad input 400, missing 404, conflicts 409. BAD_REQUEST is a conflict here:
    /// a SQL store raises it only when the database's constraints refuse a write (an experiment renamed to a taken name,
    /// which the file store calls RESOURCE_ALREADY_EXISTS), and the UI answers a clash the same on every backend.
    /// </summary>
    public static int StatusOf(TrackingException e) => e.Code switch
    {
        ErrorCode.InvalidParameterValue => StatusCodes.Status400BadRequest,
        ErrorCode.ResourceDoesNotExist => StatusCodes.Status404NotFound,
        ErrorCode.ResourceAlreadyExists or ErrorCode.InvalidState or ErrorCode.BadRequest => StatusCodes.Status409Conflict,
        ErrorCode.NotImplemented => StatusCodes.Status501NotImplemented,
        ErrorCode.PermissionDenied => StatusCodes.Status403Forbidden,
        _ => StatusCodes.Status500InternalServerError,
    };
}
