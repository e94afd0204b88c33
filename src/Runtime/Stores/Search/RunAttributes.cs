using Qlib.Tracked.Entities;

namespace Qlib.Tracked.Stores.Search;

/// <summary>The run attributes MLflow searches and orders by, read from <see cref="RunInfo"/> the way MLflow compares them.</summary>
internal static class RunAttributes
{
    /// <summary>A reader for a string attribute (status by its MLflow name, e.g. <c>FINISHED</c>).</summary>
    public static Func<RunInfo, string?> StringReader(string key) => key switch
    {
        "run_id" => static info => info.RunId,
        "run_name" => static info => info.RunName,
        "user_id" => static info => info.UserId,
        "status" => static info => info.Status.ToMlflowString(),
        "artifact_uri" => static info => info.ArtifactUri,
        _ => throw new ArgumentOutOfRangeException(nameof(key), key, "Not a string run attribute."),
    };

    /// <summary>A reader for a numeric attribute: <c>start_time</c> or <c>end_time</c> (null while running).</summary>
    public static Func<RunInfo, long?> TimeReader(string key) => key switch
    {
        "start_time" => static info => info.StartTime,
        "end_time" => static info => info.EndTime,
        _ => throw new ArgumentOutOfRangeException(nameof(key), key, "Not a numeric run attribute."),
    };
}
