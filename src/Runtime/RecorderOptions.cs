namespace Qlib.Tracked;

/// <summary>How recorders started by an <see cref="ExperimentManager"/> record their runs.</summary>
public sealed record RecorderOptions
{
    /// <summary>The environment variable that turns source capture off when set to <c>0</c> (or <c>false</c>).</summary>
    public const string CaptureSourceEnvironmentVariable = "QLIB_TRACKED_CAPTURE_SOURCE";

    /// <summary>
    /// Whether a new run records where it came from: the <c>mlflow.source.git.commit</c> tag and Qlib's
    /// <c>code_diff.txt</c>, <c>code_status.txt</c> and <c>code_cached.txt</c> artifacts (each a <c>git</c>
    /// process). On by default; off when <see cref="CaptureSourceEnvironmentVariable"/> is <c>0</c>.
    /// The cheap tags (<c>mlflow.user</c>, <c>mlflow.source.name</c>, <c>mlflow.source.type</c>) and Qlib's
    /// <c>cmd-sys.argv</c> / <c>_QLIB_*</c> params are always recorded.
    /// </summary>
    public bool CaptureSource { get; init; } = DefaultCaptureSource();

    /// <summary>The folder whose git work tree is captured; the current directory when null (Qlib runs git in the cwd).</summary>
    public string? SourceDirectory { get; init; }

    /// <summary>How long one git command may run before it is killed and skipped.</summary>
    public TimeSpan GitTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Queue metrics/params/tags and write them on a background worker (Qlib's async logging). Off: write before returning.</summary>
    public bool AsyncLogging { get; init; } = true;

    /// <summary>Pending entries above which logging calls wait for the writer (bounds memory).</summary>
    public int LogQueueCapacity { get; init; } = 1_000_000;

    /// <summary>
    /// What every store this manager opens is opened with, e.g. <see cref="Stores.TrackingStoreOptions.ArtifactRoots"/> for
    /// experiments that keep artifacts outside the store.
    /// </summary>
    public Stores.TrackingStoreOptions StoreOptions { get; init; } = new();

    private static bool DefaultCaptureSource()
    {
        var value = Environment.GetEnvironmentVariable(CaptureSourceEnvironmentVariable);
        return value is null || !(value.Trim() is "0" || value.Trim().Equals("false", StringComparison.OrdinalIgnoreCase));
    }
}
