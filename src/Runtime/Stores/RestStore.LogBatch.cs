using System.Text.Json;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores.Rest.Protocol;

namespace Qlib.Tracked.Stores;

public sealed partial class RestStore
{
    /// <summary>
    /// Writes the batch as one <c>runs/log-batch</c> request, or a single item as <c>log-metric</c>, <c>log-parameter</c>
    /// or <c>set-tag</c> as the Python client sends it. Over MLflow's item limits the server refuses it whole, as every
    /// store does (callers split: <see cref="Client.RunLogBuffer"/>); a batch whose JSON is over the server's 1 MB
    /// (long params and tags) is sent as several requests in order, and when one of them fails the exception says how
    /// many items were stored before it. Requests are retried as <see cref="Rest.RetrySafety.Idempotent"/>.
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
        var sent = 0;
        try
        {
            SendBatch(runId, Slice(metrics, 0, metrics.Count), Slice(parameters, 0, parameters.Count), Slice(tags, 0, tags.Count), ref sent);
        }
        catch (Rest.RestTrackingException e) when (sent > 0)
        {
            throw new Rest.RestTrackingException(e.Code,
                $"{e.Message} {sent} of the batch's {total} items were stored by earlier requests (the batch was over the server's 1 MB request limit); the other {total - sent} were not.",
                e.Route, e.HttpStatus, e.ServerErrorCode, e);
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
    private void SendBatch(string runId, ArraySegment<Metric> metrics, ArraySegment<Param> parameters, ArraySegment<RunTag> tags, ref int sent)
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
            SendBatch(runId, metrics[..mh], parameters[..ph], tags[..th], ref sent);
            SendBatch(runId, metrics[mh..], parameters[ph..], tags[th..], ref sent);
            return;
        }
        _http.PostJson(MlflowRoutes.LogBatch, json, MlflowJsonContext.Default.EmptyMessage, Rest.RetrySafety.Idempotent);
        sent += count;
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
