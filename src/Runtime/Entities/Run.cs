namespace Qlib.Tracked.Entities;

/// <summary>A run's metadata (MLflow's RunInfo).</summary>
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

/// <summary>A run's data: latest metric per key, params and tags.</summary>
public sealed record RunData(
    IReadOnlyDictionary<string, Metric> Metrics,
    IReadOnlyDictionary<string, string> Params,
    IReadOnlyDictionary<string, string> Tags)
{
    public static RunData Empty { get; } = new(
        new Dictionary<string, Metric>(), new Dictionary<string, string>(), new Dictionary<string, string>());
}

/// <summary>A dataset an experiment knows (MLflow 2.4+ <c>datasets/</c> folder).</summary>
public sealed record Dataset(string Name, string Digest, string SourceType, string Source, string? Schema, string? Profile);

/// <summary>A dataset used by a run, with its input tags (e.g. <c>mlflow.data.context</c>).</summary>
public sealed record DatasetInput(Dataset Dataset, IReadOnlyDictionary<string, string> Tags);

/// <summary>A whole run: info, data and inputs.</summary>
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

/// <summary>One artifact listing entry; <see cref="FileSize"/> is null for directories (as MLflow).</summary>
public sealed record ArtifactInfo(string Path, bool IsDir, long? FileSize);

/// <summary>One page of results and the token of the next page (null on the last page).</summary>
public sealed record PagedList<T>(IReadOnlyList<T> Items, string? NextPageToken);

/// <summary>How many runs of an experiment are active and how many soft-deleted.</summary>
public readonly record struct RunCounts(int Active, int Deleted);
