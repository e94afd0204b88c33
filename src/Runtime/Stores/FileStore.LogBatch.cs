using System.Buffers;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores.FileBacked;
using Qlib.Tracked.Validation;

namespace Qlib.Tracked.Stores;

// The one write of run data. Order as MLflow: params, then metrics, then tags.
public sealed partial class FileStore
{
    /// <inheritdoc/>
    public void LogBatch(string runId, IReadOnlyList<Metric> metrics, IReadOnlyList<Param> parameters, IReadOnlyList<RunTag> tags)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(tags);
        MlflowValidation.ValidateRunId(runId);
        MlflowValidation.ValidateBatchLimits(metrics.Count, parameters.Count, tags.Count);
        // Keys become paths: the store checks them itself (once per DISTINCT key, while grouping) so it can
        // never write outside its root, whoever calls it. Timestamps are checked per point (a compare).
        var points = MetricGroups.AsSpan(metrics);
        var groups = points.Length > 0 ? MetricGroups.Build(points, _keys) : null;
        try
        {
            foreach (var param in parameters)
            {
                _keys.ValidateParamKey(param.Key);
                MlflowValidation.ValidateParamValue(param.Key, param.Value);
            }
            MlflowValidation.ValidateParamKeysUnique(parameters);
            foreach (var tag in tags)
            {
                _keys.ValidateTagKey(tag.Key);
                MlflowValidation.ValidateTagValue(tag.Key, tag.Value);
            }

            var (folder, _) = LoadActiveRun(runId, useCache: true);
            if (parameters.Count > 0) LogParams(runId, folder, parameters);
            if (groups is not null) AppendMetrics(folder, metrics, points, groups);
            if (tags.Count > 0) SetTags(runId, folder, tags);
        }
        finally
        {
            groups?.Dispose();
        }
    }

    /// <summary>
    /// Params are immutable: every key is checked before any is written, so a batch that tries to
    /// change a value writes nothing of that batch. Re-logging the same value is a no-op.
    /// </summary>
    private static void LogParams(string runId, string folder, IReadOnlyList<Param> parameters)
    {
        var paramsFolder = Path.Combine(folder, StoreLayout.ParamsFolder);
        var toWrite = new List<(string Path, string Value)>(parameters.Count);
        foreach (var param in parameters)
        {
            var path = StoreLayout.KeyPath(paramsFolder, param.Key);
            var existing = KeyValueFolder.TryRead(path, out var refused);
            if (refused is not null)
                throw new TrackingException(ErrorCode.InvalidState,
                    $"Cannot check param '{param.Key}' of run '{runId}' against the value already logged: its file {path}: {refused}.");
            if (existing is null) toWrite.Add((path, param.Value));
            else if (existing != param.Value)
                throw TrackingException.InvalidParameter(
                    $"Changing param values is not allowed. Param with key='{param.Key}' was already logged with value='{existing}' " +
                    $"for run ID='{runId}'. Attempted logging new value '{param.Value}'.");
        }
        foreach (var (path, value) in toWrite) AtomicFile.WriteExact(path, value);
    }

    /// <summary>Batches of at least this many points in two or more keys are written on two threads.</summary>
    private const int ParallelPoints = 512;

    /// <summary>
    /// Appends each key's lines of the batch with one write call (built whole into a pooled buffer first), so
    /// readers never see part of a batch's line. A large batch splits its keys into two halves written on two
    /// threads: each key is one file and one write, so the halves never touch the same file, and formatting plus
    /// the system calls are most of a batch's cost.
    /// </summary>
    private static void AppendMetrics(string folder, IReadOnlyList<Metric> batch, ReadOnlySpan<Metric> metrics, MetricGroups groups)
    {
        var metricsFolder = Path.Combine(folder, StoreLayout.MetricsFolder);
        if (metrics.Length < ParallelPoints || groups.Count < 2 || Environment.ProcessorCount < 2)
        {
            AppendGroups(metricsFolder, metrics, groups, 0, groups.Count);
            return;
        }
        var half = groups.Count / 2;
        // A span cannot cross to another thread: the other half takes the batch's own array or list again (no copy).
        var second = Task.Run(() => AppendGroups(metricsFolder, MetricGroups.AsSpan(batch), groups, half, groups.Count));
        try
        {
            AppendGroups(metricsFolder, metrics, groups, 0, half);
        }
        finally
        {
            // Waited for even when this half failed (WaitAny does not throw): the other half must not outlive the call.
            Task.WaitAny(second);
        }
        second.GetAwaiter().GetResult(); // this half succeeded: the other half's failure, if any, is the one reported
    }

    private static void AppendGroups(string metricsFolder, ReadOnlySpan<Metric> metrics, MetricGroups groups, int from, int to)
    {
        var points = groups.Start(to) - groups.Start(from);
        // One buffer for these keys: each group's lines follow a reserved byte (see MetricFile.AppendLines).
        var buffer = ArrayPool<byte>.Shared.Rent((to - from) + (points * MetricFile.MaxLineLength));
        try
        {
            var order = groups.Order;
            var offset = 0;
            for (var g = from; g < to; g++)
            {
                int start = groups.Start(g), end = groups.Start(g + 1);
                var span = buffer.AsSpan(offset);
                var length = 1; // byte 0 reserved
                for (var i = start; i < end; i++)
                {
                    var index = order is null ? i : order[i];
                    length += MetricFile.FormatLine(metrics[index], span[length..]);
                }
                MetricFile.AppendLines(StoreLayout.KeyPath(metricsFolder, groups.Key(g)), span[..length]);
                offset += length;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Tags overwrite; setting <c>mlflow.runName</c> also rewrites the run's meta (kept in sync both ways).</summary>
    private void SetTags(string runId, string folder, IReadOnlyList<RunTag> tags)
    {
        var tagsFolder = Path.Combine(folder, StoreLayout.TagsFolder);
        string? newName = null;
        foreach (var tag in tags)
        {
            AtomicFile.WriteExact(StoreLayout.KeyPath(tagsFolder, tag.Key), tag.Value);
            if (tag.Key == RunNameTag) newName = tag.Value;
        }
        if (newName is null) return;
        lock (_metaWriteLock)
        {
            var (_, info) = LoadRun(runId, useCache: false);
            if (info.RunName != newName) WriteRunMeta(folder, info with { RunName = newName });
        }
    }
}
