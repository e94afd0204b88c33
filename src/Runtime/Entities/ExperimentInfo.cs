namespace Qlib.Tracked.Entities;

/// <summary>An MLflow experiment as stored (the Qlib-facing object is <c>Qlib.Tracked.Experiment</c>). Immutable; thread-safe.</summary>
public sealed record ExperimentInfo(
    string ExperimentId,
    string Name,
    string ArtifactLocation,
    LifecycleStage LifecycleStage,
    long? CreationTime,
    long? LastUpdateTime,
    IReadOnlyDictionary<string, string> Tags);
