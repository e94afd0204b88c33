using System.Net;
using Qlib.Tracked.Stores.Rest.Protocol;

namespace Qlib.Tracked.Stores.Rest;

/// <summary>
/// A tracking server refused a call, answered something that is not MLflow's protocol, or could not be reached.
/// <see cref="TrackingException.Code"/> is the error code the file store throws for the same problem; the server's own
/// spelling, the HTTP status and the route are kept too. Messages name the server (without credentials), the route
/// and the server's message, and never a credential.
/// </summary>
public sealed class RestTrackingException : TrackingException
{
    internal RestTrackingException(ErrorCode code, string message, string route, int? httpStatus, string? serverErrorCode, Exception? inner = null)
        : base(code, message, inner)
    {
        Route = route;
        HttpStatus = httpStatus;
        ServerErrorCode = serverErrorCode;
    }

    /// <summary>The method and path called (<c>POST /api/2.0/mlflow/runs/log-batch</c>).</summary>
    public string Route { get; }

    /// <summary>The HTTP status of the answer; null when none came (connection refused, timeout).</summary>
    public int? HttpStatus { get; }

    /// <summary>The server's <c>error_code</c> as sent (<c>BAD_REQUEST</c>, <c>RESOURCE_DOES_NOT_EXIST</c>, …), when it sent one.</summary>
    public string? ServerErrorCode { get; }

    /// <summary>Maps an MLflow error code (or, without one, the HTTP status) to ours.</summary>
    internal static ErrorCode MapCode(string? serverCode, HttpStatusCode status) => serverCode switch
    {
        "BAD_REQUEST" => ErrorCode.BadRequest,
        "INVALID_PARAMETER_VALUE" or "MALFORMED_REQUEST" or "INVALID_REQUEST" or "INVALID_STATE_TRANSITION" => ErrorCode.InvalidParameterValue,
        "RESOURCE_ALREADY_EXISTS" => ErrorCode.ResourceAlreadyExists,
        "RESOURCE_DOES_NOT_EXIST" or "NOT_FOUND" => ErrorCode.ResourceDoesNotExist,
        "INVALID_STATE" => ErrorCode.InvalidState,
        "NOT_IMPLEMENTED" or "ENDPOINT_NOT_FOUND" => ErrorCode.NotImplemented,
        "PERMISSION_DENIED" or "UNAUTHENTICATED" or "CUSTOMER_UNAUTHORIZED" => ErrorCode.PermissionDenied,
        "INTERNAL_ERROR" or "TEMPORARILY_UNAVAILABLE" or "REQUEST_LIMIT_EXCEEDED" => ErrorCode.InternalError,
        _ => (int)status switch
        {
            400 or 422 => ErrorCode.InvalidParameterValue,
            401 or 403 => ErrorCode.PermissionDenied,
            404 => ErrorCode.ResourceDoesNotExist,
            409 => ErrorCode.ResourceAlreadyExists,
            405 or 501 => ErrorCode.NotImplemented,
            _ => ErrorCode.InternalError,
        },
    };

    /// <summary>The exception for an error answer: the server's message first (as the file store words it), then where it came from.</summary>
    internal static RestTrackingException FromAnswer(string server, string route, HttpStatusCode status, ErrorMessage? body, string rawSnippet)
    {
        var serverCode = string.IsNullOrEmpty(body?.ErrorCode) ? null : body!.ErrorCode;
        var code = MapCode(serverCode, status);
        var what = !string.IsNullOrEmpty(body?.Message)
            ? body!.Message!
            : rawSnippet.Length > 0 ? $"The server answered: {rawSnippet}" : $"The server answered HTTP {(int)status} {status} with no body.";
        var hint = (int)status is 401 or 403
            ? $" Set {RestClientSettings.UsernameVariable}/{RestClientSettings.PasswordVariable} or {RestClientSettings.TokenVariable} if the server needs credentials."
            : "";
        return new RestTrackingException(code,
            $"{what} ({route} on MLflow tracking server {server}: HTTP {(int)status}{(serverCode is null ? "" : " " + serverCode)}.{hint})",
            route, (int)status, serverCode);
    }
}
