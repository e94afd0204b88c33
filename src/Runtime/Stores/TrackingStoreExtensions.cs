using Qlib.Tracked.Entities;

namespace Qlib.Tracked.Stores;

/// <summary>Single-item writes, each a one-item <see cref="ITrackingStore.LogBatch"/> (as MLflow's AbstractStore).</summary>
public static class TrackingStoreExtensions
{
    public static void LogMetric(this ITrackingStore store, string runId, Metric metric) =>
        store.LogBatch(runId, [metric], [], []);

    public static void LogParam(this ITrackingStore store, string runId, Param param) =>
        store.LogBatch(runId, [], [param], []);

    public static void SetTag(this ITrackingStore store, string runId, RunTag tag) =>
        store.LogBatch(runId, [], [], [tag]);
}
