using Qlib.Tracked.Entities;

namespace Qlib.Tracked.Stores;

/// <summary>Single-item writes, each a one-item <see cref="ITrackingStore.LogBatch"/> (as MLflow's AbstractStore). Stateless; thread-safe as the store is.</summary>
public static class TrackingStoreExtensions
{
    /// <summary>Logs one metric, as a batch of one.</summary>
    public static void LogMetric(this ITrackingStore store, string runId, Metric metric) =>
        store.LogBatch(runId, [metric], [], []);

    /// <summary>Logs one param, as a batch of one.</summary>
    public static void LogParam(this ITrackingStore store, string runId, Param param) =>
        store.LogBatch(runId, [], [param], []);

    /// <summary>Sets one run tag, as a batch of one.</summary>
    public static void SetTag(this ITrackingStore store, string runId, RunTag tag) =>
        store.LogBatch(runId, [], [], [tag]);
}
