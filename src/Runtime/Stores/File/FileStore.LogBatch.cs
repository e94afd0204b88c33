using System.Buffers;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores.FileBacked;
using Qlib.Tracked.Validation;

namespace Qlib.Tracked.Stores;

// The one write of run data. Order as MLflow: params, then metrics, then tags.
public sealed partial class FileStore
{
    public void LogBatch(string runId, IReadOnlyList<Metric> metrics, IReadOnlyList<Param> parameters, IReadOnlyList<RunTag> tags)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(tags);
        MlflowValidation.ValidateRunId(runId);
        MlflowValidation.ValidateBatchLimits(metrics.Count, parameters.Count, tags.Count);
        // Keys become paths: the store checks them itself so it can never write outside its root.
        for (var i = 0; i < metrics.Count; i++)
        {
            var metric = metrics[i];
            _keys.ValidateMetricKey(metric.Key);
            MlflowValidation.ValidateMetric(metric);
        }
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
        if (metrics.Count > 0) AppendMetrics(folder, metrics);
        if (tags.Count > 0) SetTags(runId, folder, tags);
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
            var existing = KeyValueFolder.TryRead(path);
            if (existing is null) toWrite.Add((path, param.Value));
            else if (existing != param.Value)
                throw TrackingException.InvalidParameter(
                    $"Changing param values is not allowed. Param with key='{param.Key}' was already logged with value='{existing}' " +
                    $"for run ID='{runId}'. Attempted logging new value '{param.Value}'.");
        }
        foreach (var (path, value) in toWrite) AtomicFile.WriteExact(path, value);
    }

    /// <summary>
    /// Groups the batch by key and appends each key's lines with one write call (built whole into a
    /// pooled buffer first), so readers never see part of a batch's line.
    /// </summary>
    private static void AppendMetrics(string folder, IReadOnlyList<Metric> metrics)
    {
        var metricsFolder = Path.Combine(folder, StoreLayout.MetricsFolder);
        if (AllSameKey(metrics))
        {
            AppendGroup(metricsFolder, metrics, null, 0, metrics.Count);
            return;
        }

        // Several keys: a counting sort of point indices by key (stable, so file order = batch order).
        // Keys repeat as the same string objects in a batch, so a short linear scan with a reference
        // check first beats hashing; a dictionary takes over when a batch has many keys.
        var count = metrics.Count;
        var order = ArrayPool<int>.Shared.Rent(count);
        var groupIds = ArrayPool<int>.Shared.Rent(count);
        var groupKeys = new List<string>();
        Dictionary<string, int>? groupOf = null;
        try
        {
            var lastGroup = 0;
            for (var i = 0; i < count; i++)
            {
                var key = metrics[i].Key;
                if (groupKeys.Count > 0 && ReferenceEquals(groupKeys[lastGroup], key))
                {
                    groupIds[i] = lastGroup;
                    continue;
                }
                lastGroup = FindOrAddGroup(groupKeys, ref groupOf, key);
                groupIds[i] = lastGroup;
            }
            var starts = new int[groupKeys.Count + 1];
            for (var i = 0; i < count; i++) starts[groupIds[i] + 1]++;
            for (var g = 1; g < starts.Length; g++) starts[g] += starts[g - 1];
            var next = (int[])starts.Clone();
            for (var i = 0; i < count; i++) order[next[groupIds[i]]++] = i;
            for (var g = 0; g < groupKeys.Count; g++) AppendGroup(metricsFolder, metrics, order, starts[g], starts[g + 1]);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(order);
            ArrayPool<int>.Shared.Return(groupIds);
        }
    }

    private static int FindOrAddGroup(List<string> groupKeys, ref Dictionary<string, int>? groupOf, string key)
    {
        if (groupOf is null)
        {
            for (var g = 0; g < groupKeys.Count; g++)
            {
                if (string.Equals(groupKeys[g], key, StringComparison.Ordinal)) return g;
            }
            groupKeys.Add(key);
            if (groupKeys.Count > 16)
            {
                groupOf = new Dictionary<string, int>(StringComparer.Ordinal);
                for (var g = 0; g < groupKeys.Count; g++) groupOf[groupKeys[g]] = g;
            }
            return groupKeys.Count - 1;
        }
        if (groupOf.TryGetValue(key, out var found)) return found;
        groupOf[key] = groupKeys.Count;
        groupKeys.Add(key);
        return groupKeys.Count - 1;
    }

    private static bool AllSameKey(IReadOnlyList<Metric> metrics)
    {
        var first = metrics[0].Key;
        for (var i = 1; i < metrics.Count; i++)
        {
            if (!string.Equals(metrics[i].Key, first, StringComparison.Ordinal)) return false;
        }
        return true;
    }

    /// <summary>Appends points <c>order[start..end)</c> (or <c>start..end</c> when <paramref name="order"/> is null), all of one key.</summary>
    private static void AppendGroup(string metricsFolder, IReadOnlyList<Metric> metrics, int[]? order, int start, int end)
    {
        var count = end - start;
        var buffer = ArrayPool<byte>.Shared.Rent(1 + (count * MetricFile.MaxLineLength));
        try
        {
            var length = 0;
            for (var i = start; i < end; i++)
            {
                var metric = metrics[order is null ? i : order[i]];
                length += MetricFile.FormatLine(metric, buffer.AsSpan(1 + length));
            }
            var key = metrics[order is null ? start : order[start]].Key;
            MetricFile.AppendLines(StoreLayout.KeyPath(metricsFolder, key), buffer, length);
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
