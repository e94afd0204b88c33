using Qlib.Tracked.Entities;

namespace Qlib.Tracked.Web.Api;

/// <summary>
/// <c>GET /api/compare?run_ids=A,B[,…][&amp;metrics=k1,k2]</c>: params side by side with a flag for keys whose
/// values differ (a key missing from a run differs from any value), latest metrics side by side, and the
/// histories of the chosen metrics — by default every metric some run logged at two or more distinct steps — as
/// (step, value) series per run, for charts overlaid by step. A run whose files cannot be read, or a history that
/// cannot be (see <see cref="MetricHistories"/>), is left out with a message in <c>warnings</c> rather than failing
/// the whole comparison.
/// </summary>
internal static class CompareEndpoints
{
    public const int MaxRuns = 20;

    /// <summary>A history worth a chart: points at two or more steps (a value re-logged at one step is still one point on the x axis).</summary>
    private static bool HasSeveralSteps(IReadOnlyList<Metric> history) => history.Select(m => m.Step).Distinct().Skip(1).Any();

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/compare", (HttpRequest request, StoreContext context) =>
        {
            var runIds = QueryArgs.CommaList(request, "run_ids").Distinct(StringComparer.Ordinal).ToList();
            if (runIds.Count is < 2 or > MaxRuns)
                throw TrackingException.InvalidParameter($"Query argument 'run_ids' must name 2 to {MaxRuns} distinct runs, got {runIds.Count}.");
            var warnings = new List<string>();
            var runs = runIds.Select(id => Load(context, id, warnings)).OfType<Run>().ToList();
            var histories = new SortedDictionary<string, List<IReadOnlyList<Metric>>>(StringComparer.Ordinal);
            var requested = QueryArgs.CommaList(request, "metrics");
            var metricKeys = requested.Count > 0
                ? requested
                : runs.SelectMany(r => r.Data.Metrics.Keys).Distinct(StringComparer.Ordinal).ToList();
            foreach (var key in metricKeys)
            {
                var perRun = runs.Select(r => r.Data.Metrics.ContainsKey(key) ? MetricHistories.ForComparison(context, r, key, warnings) : []).ToList();
                if (requested.Count > 0 || perRun.Any(HasSeveralSteps)) histories[key] = perRun;
            }

            return new JsonResponse(w =>
            {
                w.WriteStartObject();
                w.WriteStartArray("runs");
                foreach (var run in runs)
                {
                    w.WriteStartObject();
                    JsonWrite.RunInfo(w, run.Info, context.Redactor);
                    w.WriteEndObject();
                }
                w.WriteEndArray();

                w.WriteStartArray("params");
                foreach (var key in runs.SelectMany(r => r.Data.Params.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
                {
                    var values = runs.Select(r => r.Data.Params.GetValueOrDefault(key)).ToList();
                    w.WriteStartObject();
                    w.WriteString("key", key);
                    w.WriteStartArray("values");
                    foreach (var value in values) w.WriteStringValue(value);
                    w.WriteEndArray();
                    w.WriteBoolean("differs", values.Distinct(StringComparer.Ordinal).Count() > 1);
                    w.WriteEndObject();
                }
                w.WriteEndArray();

                w.WriteStartArray("metrics");
                foreach (var key in runs.SelectMany(r => r.Data.Metrics.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
                {
                    var values = runs.Select(r => r.Data.Metrics.TryGetValue(key, out var m) ? m.Value : (double?)null).ToList();
                    w.WriteStartObject();
                    w.WriteString("key", key);
                    w.WriteStartArray("values");
                    foreach (var value in values)
                    {
                        if (value is { } v) JsonWrite.Number(w, v);
                        else w.WriteNullValue();
                    }
                    w.WriteEndArray();
                    w.WriteBoolean("differs", values.Distinct().Count() > 1);
                    w.WriteEndObject();
                }
                w.WriteEndArray();

                w.WriteStartArray("histories");
                foreach (var (key, perRun) in histories)
                {
                    w.WriteStartObject();
                    w.WriteString("key", key);
                    w.WriteStartArray("series");
                    foreach (var history in perRun)
                    {
                        w.WriteStartArray();
                        foreach (var point in history)
                        {
                            w.WriteStartObject();
                            w.WriteNumber("step", point.Step);
                            JsonWrite.Number(w, "value", point.Value);
                            w.WriteEndObject();
                        }
                        w.WriteEndArray();
                    }
                    w.WriteEndArray();
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteStartArray("warnings");
                foreach (var warning in warnings) w.WriteStringValue(warning);
                w.WriteEndArray();
                w.WriteEndObject();
            });
        });
    }

    /// <summary>
    /// The run, or null with a warning when its files cannot be read (a corrupt meta.yaml, an unreadable folder),
    /// as listings skip such runs. An id that names no run is still the request's error (404).
    /// </summary>
    private static Run? Load(StoreContext context, string runId, List<string> warnings)
    {
        try
        {
            return context.Store.GetRun(runId);
        }
        catch (Exception e) when (e is TrackingException { Code: ErrorCode.InvalidState or ErrorCode.InternalError } or IOException or UnauthorizedAccessException)
        {
            // The run's folder is unknown when its meta.yaml cannot be read; the store's message names the file.
            warnings.Add(context.Warn(new StoreWarning(runId, "Left out of the comparison: " + e.Message)));
            return null;
        }
    }
}
