using Qlib.Tracked.Entities;

namespace Qlib.Tracked.Web.Api;

/// <summary>
/// <c>GET /api/runs</c> (search: filter, order_by, paging, view, columns), <c>GET /api/runs/{id}</c> and
/// <c>GET /api/runs/{id}/metric-history?key=…</c>. The filter and order-by strings go to the store untouched,
/// so whatever grammar the store speaks is the grammar of the UI; its errors come back as 400 JSON.
/// </summary>
internal static class RunEndpoints
{
    public const int DefaultPageSize = 50;

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/runs", (HttpRequest request, StoreContext context) =>
        {
            var experimentIds = QueryArgs.CommaList(request, "experiment_ids");
            if (experimentIds.Count == 0)
                experimentIds = context.Store.SearchExperiments(ViewType.ActiveOnly).Select(e => e.ExperimentId).ToList();
            var columns = ColumnChoice.Parse(QueryArgs.CommaList(request, "columns"));
            var page = context.Store.SearchRuns(
                experimentIds,
                QueryArgs.Single(request, "filter"),
                QueryArgs.View(request),
                QueryArgs.Int(request, "max_results", DefaultPageSize, 1, 50_000),
                QueryArgs.Repeated(request, "order_by"),
                QueryArgs.Single(request, "page_token"));
            return new JsonResponse(w =>
            {
                w.WriteStartObject();
                w.WriteStartArray("runs");
                foreach (var run in page.Items)
                {
                    w.WriteStartObject();
                    JsonWrite.RunInfo(w, run.Info, context.Redactor);
                    JsonWrite.StringMap(w, "params", columns.Params(run.Data));
                    JsonWrite.MetricValues(w, "metrics", columns.Metrics(run.Data));
                    JsonWrite.StringMap(w, "tags", columns.Tags(run.Data));
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                if (page.NextPageToken is null) w.WriteNull("next_page_token");
                else w.WriteString("next_page_token", page.NextPageToken);
                // Every key on this page, whatever was chosen, so a client can offer the other columns.
                w.WriteStartObject("available_columns");
                WriteKeys(w, "params", page.Items.SelectMany(r => r.Data.Params.Keys));
                WriteKeys(w, "metrics", page.Items.SelectMany(r => r.Data.Metrics.Keys));
                WriteKeys(w, "tags", page.Items.SelectMany(r => r.Data.Tags.Keys));
                w.WriteEndObject();
                w.WriteEndObject();
            });
        });

        api.MapGet("/runs/{runId}", (string runId, StoreContext context) =>
        {
            var run = context.Store.GetRun(runId);
            return new JsonResponse(w =>
            {
                w.WriteStartObject();
                w.WriteStartObject("info");
                JsonWrite.RunInfo(w, run.Info, context.Redactor);
                w.WriteEndObject();
                JsonWrite.StringMap(w, "params", run.Data.Params);
                w.WriteStartArray("metrics");
                foreach (var (_, metric) in run.Data.Metrics.OrderBy(p => p.Key, StringComparer.Ordinal)) JsonWrite.MetricPoint(w, metric);
                w.WriteEndArray();
                JsonWrite.StringMap(w, "tags", run.Data.Tags);
                w.WriteStartArray("inputs");
                foreach (var input in run.Inputs)
                {
                    w.WriteStartObject();
                    w.WriteString("name", input.Dataset.Name);
                    w.WriteString("digest", input.Dataset.Digest);
                    w.WriteString("source_type", input.Dataset.SourceType);
                    JsonWrite.StringMap(w, "tags", input.Tags);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            });
        });

        api.MapGet("/runs/{runId}/metric-history", (string runId, HttpRequest request, StoreContext context) =>
        {
            var key = QueryArgs.Single(request, "key") ?? throw TrackingException.InvalidParameter("Query argument 'key' (the metric key) is required.");
            var run = context.Store.GetRun(runId); // 404 for an unknown run rather than an empty history
            var history = MetricHistories.ForRun(context, run, key);
            return new JsonResponse(w =>
            {
                w.WriteStartObject();
                w.WriteString("run_id", runId);
                w.WriteString("key", key);
                w.WriteStartArray("history");
                foreach (var point in history) JsonWrite.MetricPoint(w, point);
                w.WriteEndArray();
                w.WriteEndObject();
            });
        });
    }

    private static void WriteKeys(System.Text.Json.Utf8JsonWriter w, string name, IEnumerable<string> keys)
    {
        w.WriteStartArray(name);
        foreach (var key in keys.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)) w.WriteStringValue(key);
        w.WriteEndArray();
    }
}
