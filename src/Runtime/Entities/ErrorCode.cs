namespace Qlib.Tracked;

/// <summary>MLflow's error codes, as its REST API names them (see <see cref="TrackingException.MlflowErrorCode"/>).</summary>
public enum ErrorCode
{
    /// <summary>An unexpected failure (MLflow's INTERNAL_ERROR, HTTP 500).</summary>
    InternalError,
    /// <summary>A bad argument: a malformed key, value, id, filter or file (MLflow's INVALID_PARAMETER_VALUE, HTTP 400).</summary>
    InvalidParameterValue,
    /// <summary>Something with that name or id already exists (MLflow's RESOURCE_ALREADY_EXISTS, HTTP 400).</summary>
    ResourceAlreadyExists,
    /// <summary>The experiment, run, metric or artifact asked for does not exist (MLflow's RESOURCE_DOES_NOT_EXIST, HTTP 404).</summary>
    ResourceDoesNotExist,
    /// <summary>The operation does not fit the target's state, e.g. logging to a deleted run (MLflow's INVALID_STATE, HTTP 500).</summary>
    InvalidState,
    /// <summary>The store does not support the operation (MLflow's NOT_IMPLEMENTED, HTTP 501).</summary>
    NotImplemented,

    /// <summary>The request is well formed but reaches something this store may not touch (MLflow's PERMISSION_DENIED).</summary>
    PermissionDenied,
}

/// <summary>
/// A tracking error carrying an MLflow error code. Messages name the offending value and the rule it
/// broke, in MLflow's wording where MLflow has one. Immutable once thrown; thread-safe to read.
/// </summary>
public class TrackingException : Exception
{
    /// <summary>An error with <paramref name="code"/> and <paramref name="message"/>.</summary>
    /// <param name="code">The MLflow error code.</param>
    /// <param name="message">What was wrong: the offending value and the rule it broke.</param>
    /// <param name="inner">The underlying failure, if any.</param>
    public TrackingException(ErrorCode code, string message, Exception? inner = null)
        : base(message, inner) => Code = code;

    /// <summary>The MLflow error code.</summary>
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

    /// <summary>An INVALID_PARAMETER_VALUE error.</summary>
    public static TrackingException InvalidParameter(string message) => new(ErrorCode.InvalidParameterValue, message);
    /// <summary>A RESOURCE_ALREADY_EXISTS error.</summary>
    public static TrackingException AlreadyExists(string message) => new(ErrorCode.ResourceAlreadyExists, message);
    /// <summary>A RESOURCE_DOES_NOT_EXIST error.</summary>
    public static TrackingException DoesNotExist(string message) => new(ErrorCode.ResourceDoesNotExist, message);
    /// <summary>An INVALID_STATE error.</summary>
    public static TrackingException InvalidState(string message) => new(ErrorCode.InvalidState, message);
}
