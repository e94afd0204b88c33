namespace Qlib.Tracked;

/// <summary>MLflow's error codes, as its REST API names them.</summary>
public enum ErrorCode
{
    InternalError,
    InvalidParameterValue,
    ResourceAlreadyExists,
    ResourceDoesNotExist,
    InvalidState,
    NotImplemented,

    /// <summary>The request is well formed but reaches something this store may not touch (MLflow's PERMISSION_DENIED).</summary>
    PermissionDenied,
}

/// <summary>
/// A tracking error carrying an MLflow error code. Messages name the offending value and the rule it
/// broke, in MLflow's wording where MLflow has one.
/// </summary>
public class TrackingException : Exception
{
    public TrackingException(ErrorCode code, string message, Exception? inner = null)
        : base(message, inner) => Code = code;

    public ErrorCode Code { get; }

    /// <summary>The code as MLflow spells it (<c>INVALID_PARAMETER_VALUE</c>, …).</summary>
    public string MlflowErrorCode => Code switch
    {
        ErrorCode.InvalidParameterValue => "INVALID_PARAMETER_VALUE",
        ErrorCode.ResourceAlreadyExists => "RESOURCE_ALREADY_EXISTS",
        ErrorCode.ResourceDoesNotExist => "RESOURCE_DOES_NOT_EXIST",
        ErrorCode.InvalidState => "INVALID_STATE",
        ErrorCode.NotImplemented => "NOT_IMPLEMENTED",
        ErrorCode.PermissionDenied => "PERMISSION_DENIED",
        _ => "INTERNAL_ERROR",
    };

    public static TrackingException InvalidParameter(string message) => new(ErrorCode.InvalidParameterValue, message);
    public static TrackingException AlreadyExists(string message) => new(ErrorCode.ResourceAlreadyExists, message);
    public static TrackingException DoesNotExist(string message) => new(ErrorCode.ResourceDoesNotExist, message);
    public static TrackingException InvalidState(string message) => new(ErrorCode.InvalidState, message);
}
