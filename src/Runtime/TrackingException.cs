namespace Qlib.Tracked;

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
        ErrorCode.BadRequest => "BAD_REQUEST",
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
