using Qlib.Tracked.Stores.Rest.Protocol;

namespace Qlib.Tracked.Web.Server;

/// <summary>
/// Every failure of an MLflow route as MLflow answers it: <c>{"error_code", "message"}</c> with the HTTP status of
/// MLflow's table (<c>mlflow/exceptions.py</c>: bad input and existing names 400, missing 404, INVALID_STATE 500,
/// NOT_IMPLEMENTED 501). Anything that is not a tracking error is INTERNAL_ERROR with the exception type only; its
/// details go to the server's log, not to the client (they may name server paths).
/// </summary>
internal static class MlflowErrors
{
    public static int StatusOf(ErrorCode code) => code switch
    {
        ErrorCode.InvalidParameterValue or ErrorCode.ResourceAlreadyExists or ErrorCode.BadRequest => StatusCodes.Status400BadRequest,
        ErrorCode.ResourceDoesNotExist => StatusCodes.Status404NotFound,
        ErrorCode.PermissionDenied => StatusCodes.Status403Forbidden,
        ErrorCode.NotImplemented => StatusCodes.Status501NotImplemented,
        _ => StatusCodes.Status500InternalServerError,
    };

    /// <summary>Wraps a route's handler so whatever it throws is answered as MLflow would.</summary>
    public static RequestDelegate Handle(Func<HttpContext, Task> handler) => async http =>
    {
        try
        {
            await handler(http);
        }
        catch (Exception e) when (!http.Response.HasStarted && e is not OperationCanceledException)
        {
            http.Response.Clear();
            switch (e)
            {
                case TrackingException tracking:
                    await MlflowHttp.Error(http, StatusOf(tracking.Code), tracking.MlflowErrorCode, Redact(http, tracking.Message));
                    break;
                case MlflowProtocolException protocol:
                    await MlflowHttp.Error(http, StatusCodes.Status400BadRequest, "INVALID_PARAMETER_VALUE", protocol.Message);
                    break;
                case BadHttpRequestException bad:
                    await MlflowHttp.Error(http, bad.StatusCode, "INVALID_PARAMETER_VALUE", bad.Message);
                    break;
                default:
                    http.RequestServices.GetRequiredService<RequestLog>().Failure(http, e);
                    await MlflowHttp.Error(http, StatusCodes.Status500InternalServerError, "INTERNAL_ERROR",
                        $"The server failed on this request ({e.GetType().Name}); its log has the details.");
                    break;
            }
        }
    };

    /// <summary>The store's own folders never reach a client: named as the UI names them.</summary>
    private static string Redact(HttpContext http, string message) =>
        http.RequestServices.GetRequiredService<StoreContext>().Redactor.Redact(message);
}
