using System.Globalization;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores;
using Qlib.Tracked.Stores.Rest.Protocol;
using static Qlib.Tracked.Web.Server.MlflowHttp;

namespace Qlib.Tracked.Web.Server;

/// <summary>The routes that log a run's metrics, params and tags, and read a metric's history.</summary>
internal static class RunDataRoutes
{
    private static MlflowJsonContext Json => MlflowJsonContext.Default;

    public static void Map(TrackingRouteTable table)
    {
        table.Post(MlflowRoutes.LogBatch, LogBatch);
        table.Post(MlflowRoutes.LogMetric, LogMetric);
        table.Post(MlflowRoutes.LogParameter, LogParameter);
        table.Post(MlflowRoutes.SetTag, SetTag);
        table.Post(MlflowRoutes.DeleteTag, DeleteTag);
        table.Post(MlflowRoutes.LogInputs, LogInputs);
        table.Get(MlflowRoutes.GetMetricHistory, GetMetricHistory);
    }

    private static async Task LogBatch(HttpContext http)
    {
        var request = await Body(http, Json.LogBatchRequest);
        ServerState.Of(http).Store.LogBatch(Required(request.RunId, "run_id"),
            request.Metrics?.Select((m, i) => ProtocolMapping.ToMetric(m, $"metrics[{i}]")).ToList() ?? [],
            request.Params?.Select((p, i) => LongValues.Truncated(ProtocolMapping.ToParam(p, $"params[{i}]"))).ToList() ?? [],
            request.Tags?.Select((t, i) => LongValues.Truncated(ProtocolMapping.ToTag(t, $"tags[{i}]"))).ToList() ?? []);
        await Empty(http);
    }

    private static async Task LogMetric(HttpContext http)
    {
        // MLflow 3.x clients add model_id, dataset_name and dataset_digest: read past them (the store has no place for them).
        var request = await Body(http, Json.LogMetricRequest);
        var metric = new Metric(Required(request.Key, "key"),
            request.Value ?? throw MissingRequired("value"),
            request.Timestamp ?? throw MissingRequired("timestamp"),
            request.Step ?? 0);
        ServerState.Of(http).Store.LogMetric(RunId(request.RunId, request.RunUuid), metric);
        await Empty(http);
    }

    private static async Task LogParameter(HttpContext http)
    {
        var request = await Body(http, Json.RunKeyValueRequest);
        ServerState.Of(http).Store.LogParam(RunId(request.RunId, request.RunUuid), LongValues.Truncated(new Param(Required(request.Key, "key"), request.Value ?? "")));
        await Empty(http);
    }

    private static async Task SetTag(HttpContext http)
    {
        var request = await Body(http, Json.RunKeyValueRequest);
        ServerState.Of(http).Store.SetTag(RunId(request.RunId, request.RunUuid), LongValues.Truncated(new RunTag(Required(request.Key, "key"), request.Value ?? "")));
        await Empty(http);
    }

    private static async Task DeleteTag(HttpContext http)
    {
        var request = await Body(http, Json.DeleteTagRequest);
        ServerState.Of(http).Store.DeleteTag(Required(request.RunId, "run_id"), Required(request.Key, "key"));
        await Empty(http);
    }

    /// <summary>
    /// MLflow's <c>runs/log-inputs</c>: <c>datasets</c> is required (an empty list is accepted); the store keeps each
    /// dataset once per experiment and each run's input of it once. A body may be larger than log-batch's 1 MB: MLflow
    /// checks that limit on log-batch only, and a dataset's profile alone may hold 16 MB.
    /// </summary>
    private static async Task LogInputs(HttpContext http)
    {
        var request = await Body(http, Json.LogInputsRequest, DrainLimitBytes);
        var runId = Required(request.RunId, "run_id");
        var datasets = request.Datasets ?? throw MissingRequired("datasets");
        ServerState.Of(http).Store.LogInputs(runId, [.. datasets.Select((d, i) => ProtocolMapping.ToDatasetInput(d, $"datasets[{i}]"))]);
        await Empty(http);
    }

    /// <summary>
    /// One page of a metric's points in logged order; the page token is the offset of the next page. The store reads
    /// only the page and one point past it (which tells whether another page follows), not the whole history per page.
    /// </summary>
    private static Task GetMetricHistory(HttpContext http)
    {
        var runId = RunId(Query(http, "run_id"), Query(http, "run_uuid"));
        var key = Required(Query(http, "metric_key"), "metric_key");
        var size = MaxResults(QueryInt64(http, "max_results"), MlflowRoutes.MetricHistoryPageSize, int.MaxValue);
        var token = Query(http, "page_token");
        var offset = 0;
        if (!string.IsNullOrEmpty(token) && (!int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out offset)))
            throw TrackingException.InvalidParameter($"Invalid page token '{token}' for metrics/get-history: it is not one this server gave.");
        var points = ServerState.Of(http).Store.GetMetricHistory(runId, key, offset, (int)Math.Min(size + 1L, int.MaxValue));
        var count = Math.Min(points.Count, size);
        var next = points.Count > size ? ((long)offset + size).ToString(CultureInfo.InvariantCulture) : null;
        return MetricHistoryPageWriter.WriteAsync(http, key, points, count, next);
    }

    private static TrackingException MissingRequired(string name) =>
        TrackingException.InvalidParameter($"Missing value for required parameter '{name}'. See the API docs for more information about request parameters.");
}
