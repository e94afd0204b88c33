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
    /// Counts through the store's <see cref="Qlib.Tracked.Stores.ITrackingStore.CountRunsByStage"/>: with the run index that is one
    /// stamp check per run for both counts, never a read of every run's files (a 10,000-run experiment took ~28 s
    /// through paged searches).
    /// </summary>
    private static (int Active, int Deleted) CountRuns(StoreContext context, string experimentId)
    {
        var counts = context.Store.CountRunsByStage(experimentId);
        return (counts.Active, counts.Deleted);
    }
}
