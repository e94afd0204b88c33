using System.Text.Json;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores.Rest.Protocol;
using Qlib.Tracked.Tracking;

namespace Qlib.Tracked.Stores;

public sealed partial class RestStore
{
    /// <summary>
    /// Writes the batch as <c>runs/log-batch</c> requests within the server's limits (1,000 metrics, 100 params, 100 tags,
    /// 1,000 items, 1 MB of JSON per request), in order; a single item goes as <c>log-metric</c>, <c>log-parameter</c> or
    /// <c>set-tag</c>, as the Python client sends it. Requests are retried as <see cref="Rest.RetrySafety.Idempotent"/>.
    /// When one fails, those before it are stored and the exception says how many items were not.
    /// </summary>
    public void LogBatch(string runId, IReadOnlyList<Metric> metrics, IReadOnlyList<Param> parameters, IReadOnlyList<RunTag> tags)
    {
        var total = metrics.Count + parameters.Count + tags.Count;
        if (total == 0) return;
        if (total == 1)
        {
            LogSingle(runId, metrics, parameters, tags);
            return;
        }
        int m = 0, p = 0, t = 0;
        while (m < metrics.Count || p < parameters.Count || t < tags.Count)
        {
            var np = Math.Min(BatchLimits.MaxParams, parameters.Count - p);
            var nt = Math.Min(BatchLimits.MaxTags, tags.Count - t);
            var nm = Math.Min(Math.Min(BatchLimits.MaxMetrics, BatchLimits.MaxEntries - np - nt), metrics.Count - m);
            try
            {
                SendBatch(runId, Slice(metrics, m, nm), Slice(parameters, p, np), Slice(tags, t, nt));
            }
            catch (Rest.RestTrackingException e) when (m + p + t > 0)
            {
                var written = m + p + t;
                throw new Rest.RestTrackingException(e.Code,
                    $"{e.Message} {written} of the batch's {total} items were stored before this request; the other {total - written} were not.",
                    e.Route, e.HttpStatus, e.ServerErrorCode, e);
            }
            m += nm; p += np; t += nt;
        }
    }

    private void LogSingle(string runId, IReadOnlyList<Metric> metrics, IReadOnlyList<Param> parameters, IReadOnlyList<RunTag> tags)
    {
        if (metrics.Count == 1)
        {
            var metric = metrics[0];
            _http.Post(MlflowRoutes.LogMetric,
                new LogMetricRequest { RunId = runId, RunUuid = runId, Key = metric.Key, Value = metric.Value, Timestamp = metric.Timestamp, Step = metric.Step },
                MlflowJsonContext.Default.LogMetricRequest, MlflowJsonContext.Default.EmptyMessage, Rest.RetrySafety.Idempotent);
        }
        else if (parameters.Count == 1)
        {
            _http.Post(MlflowRoutes.LogParameter,
                new RunKeyValueRequest { RunId = runId, RunUuid = runId, Key = parameters[0].Key, Value = parameters[0].Value },
                MlflowJsonContext.Default.RunKeyValueRequest, MlflowJsonContext.Default.EmptyMessage, Rest.RetrySafety.Idempotent);
        }
        else
        {
            _http.Post(MlflowRoutes.SetTag,
                new RunKeyValueRequest { RunId = runId, RunUuid = runId, Key = tags[0].Key, Value = tags[0].Value },
                MlflowJsonContext.Default.RunKeyValueRequest, MlflowJsonContext.Default.EmptyMessage, Rest.RetrySafety.Idempotent);
        }
    }

    /// <summary>One request, or two halves of it (recursively) when its JSON is over the server's 1 MB limit.</summary>
    private void SendBatch(string runId, ArraySegment<Metric> metrics, ArraySegment<Param> parameters, ArraySegment<RunTag> tags)
    {
        var request = new LogBatchRequest
        {
            RunId = runId,
            Metrics = metrics.Count == 0 ? null : [.. metrics.Select(ProtocolMapping.ToMessage)],
            Params = parameters.Count == 0 ? null : [.. parameters.Select(ProtocolMapping.ToMessage)],
            Tags = tags.Count == 0 ? null : [.. tags.Select(ProtocolMapping.ToMessage)],
        };
        var json = JsonSerializer.SerializeToUtf8Bytes(request, MlflowJsonContext.Default.LogBatchRequest);
        var count = metrics.Count + parameters.Count + tags.Count;
        if (json.Length > MlflowRoutes.MaxBatchRequestBytes && count > 1)
        {
            // Halve by items, params and tags first (they are the long ones), keeping each list's order.
            var (mh, ph, th) = (metrics.Count / 2, parameters.Count / 2, tags.Count / 2);
            if (mh + ph + th == 0) (mh, ph, th) = (metrics.Count, 0, 0); // one metric plus one param or tag
            SendBatch(runId, metrics[..mh], parameters[..ph], tags[..th]);
            SendBatch(runId, metrics[mh..], parameters[ph..], tags[th..]);
            return;
        }
        _http.PostJson(MlflowRoutes.LogBatch, json, MlflowJsonContext.Default.EmptyMessage, Rest.RetrySafety.Idempotent);
    }

    private static ArraySegment<T> Slice<T>(IReadOnlyList<T> list, int start, int count)
    {
        if (list is T[] array) return new ArraySegment<T>(array, start, count);
        if (list is ArraySegment<T> segment) return segment.Slice(start, count);
        var copy = new T[count];
        for (var i = 0; i < count; i++) copy[i] = list[start + i];
        return copy;
    }
}
