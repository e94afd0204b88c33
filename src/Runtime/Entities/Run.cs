namespace Qlib.Tracked.Entities;

/// <summary>A run's metadata (MLflow's RunInfo). Immutable; thread-safe.</summary>
/// <param name="RunId">The run's id (32 hex digits for runs MLflow or this library create).</param>
/// <param name="ExperimentId">The id of the experiment holding the run.</param>
/// <param name="RunName">The run's display name (the <c>mlflow.runName</c> tag).</param>
/// <param name="UserId">Who created the run.</param>
/// <param name="Status">The run's status.</param>
/// <param name="StartTime">When the run started, in epoch milliseconds.</param>
/// <param name="EndTime">When the run ended, in epoch milliseconds; null while it runs.</param>
/// <param name="ArtifactUri">Where the run's artifacts are stored (a URI or path).</param>
/// <param name="LifecycleStage">Whether the run is active or soft-deleted.</param>
/// <param name="DeletedTime">When the run was soft-deleted, in epoch milliseconds; null when it is not (or the store does not record it).</param>
public sealed record RunInfo(
    string RunId,
    string ExperimentId,
    string RunName,
    string UserId,
    RunStatus Status,
    long StartTime,
    long? EndTime,
    string ArtifactUri,
    LifecycleStage LifecycleStage,
    long? DeletedTime = null);

/// <summary>A run's data: latest metric per key, params and tags. Immutable once built; thread-safe to read.</summary>
/// <param name="Metrics">The latest point of each metric (MLflow's "latest" order, see <see cref="Metric.IsLaterThan"/>), by key.</param>
/// <param name="Params">Param values as stored text, by key.</param>
/// <param name="Tags">Tag values, by key.</param>
public sealed record RunData(
    IReadOnlyDictionary<string, Metric> Metrics,
    IReadOnlyDictionary<string, string> Params,
    IReadOnlyDictionary<string, string> Tags)
{
    /// <summary>No metrics, params or tags.</summary>
    public static RunData Empty { get; } = new(
        new Dictionary<string, Metric>(), new Dictionary<string, string>(), new Dictionary<string, string>());
}

/// <summary>A dataset an experiment knows (MLflow 2.4+ <c>datasets/</c> folder). Immutable; thread-safe.</summary>
public sealed record Dataset(string Name, string Digest, string SourceType, string Source, string? Schema, string? Profile);

/// <summary>A dataset used by a run, with its input tags (e.g. <c>mlflow.data.context</c>). Immutable; thread-safe.</summary>
public sealed record DatasetInput(Dataset Dataset, IReadOnlyDictionary<string, string> Tags);

/// <summary>A whole run: info, data and inputs. Immutable; thread-safe.</summary>
public sealed record Run(RunInfo Info, RunData Data, IReadOnlyList<DatasetInput> Inputs) : Stores.Search.IRunFacts
{
    // Search filters read runs through IRunFacts (the run index answers it without building a Run per run).
    bool Stores.Search.IRunFacts.TryGetMetric(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out Metric metric) =>
        Data.Metrics.TryGetValue(key, out metric);

    bool Stores.Search.IRunFacts.TryGetParam(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out string value) =>
        Data.Params.TryGetValue(key, out value);

    bool Stores.Search.IRunFacts.TryGetTag(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out string value) =>
        Data.Tags.TryGetValue(key, out value);
}

/// <summary>One artifact listing entry; <see cref="FileSize"/> is null for directories (as MLflow). Immutable; thread-safe.</summary>
public sealed record ArtifactInfo(string Path, bool IsDir, long? FileSize);

/// <summary>One page of results and the token of the next page (null on the last page). Immutable; thread-safe.</summary>
/// <typeparam name="T">The item type.</typeparam>
public sealed record PagedList<T>(IReadOnlyList<T> Items, string? NextPageToken);

/// <summary>How many runs of an experiment are active and how many soft-deleted. Immutable; thread-safe.</summary>
public readonly record struct RunCounts(int Active, int Deleted);
