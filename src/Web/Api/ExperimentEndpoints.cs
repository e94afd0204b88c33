using Qlib.Tracked.Entities;

namespace Qlib.Tracked.Web.Api;

/// <summary><c>GET /api/experiments</c>: experiments in MLflow's order, with run counts.</summary>
internal static class ExperimentEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/experiments", (HttpRequest request, StoreContext context) =>
        {
            var view = QueryArgs.View(request);
            var withCounts = QueryArgs.Bool(request, "counts", true);
            var experiments = context.Store.SearchExperiments(view);
            var counts = withCounts ? experiments.ToDictionary(e => e.ExperimentId, e => CountRuns(context, e.ExperimentId)) : null;
            return new JsonResponse(w =>
            {
                w.WriteStartObject();
                w.WriteStartArray("experiments");
                foreach (var experiment in experiments)
                {
                    w.WriteStartObject();
                    JsonWrite.Experiment(w, experiment, context.Redactor);
                    if (counts is not null)
                    {
                        w.WriteNumber("active_runs", counts[experiment.ExperimentId].Active);
                        w.WriteNumber("deleted_runs", counts[experiment.ExperimentId].Deleted);
                    }
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            });
        });

        api.MapGet("/experiments/{experimentId}", (string experimentId, StoreContext context) =>
        {
            var experiment = context.Store.GetExperiment(experimentId);
            var (active, deleted) = CountRuns(context, experimentId);
            return new JsonResponse(w =>
            {
                w.WriteStartObject();
                JsonWrite.Experiment(w, experiment, context.Redactor);
                w.WriteNumber("active_runs", active);
                w.WriteNumber("deleted_runs", deleted);
                w.WriteEndObject();
            });
        });
    }

    /// <summary>
    /// Counts through the store's search, page by page, so a run index (when the store has one) answers it.
    /// </summary>
    private static (int Active, int Deleted) CountRuns(StoreContext context, string experimentId)
    {
        int active = 0, deleted = 0;
        string? token = null;
        do
        {
            var page = context.Store.SearchRuns([experimentId], null, ViewType.All, 50_000, null, token);
            foreach (var run in page.Items)
            {
                if (run.Info.LifecycleStage == LifecycleStage.Deleted) deleted++;
                else active++;
            }
            token = page.NextPageToken;
        } while (token is not null);
        return (active, deleted);
    }
}
