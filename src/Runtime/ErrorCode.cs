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

    /// <summary>
    /// The backend refused the request as it stands (MLflow's BAD_REQUEST, HTTP 400): what MLflow's SQL store answers when
    /// the database's constraints refuse a write, e.g. renaming an experiment to a name another experiment has.
    /// </summary>
    BadRequest,
}
