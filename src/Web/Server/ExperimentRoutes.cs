using Qlib.Tracked.Stores.Rest.Protocol;
using static Qlib.Tracked.Web.Server.MlflowHttp;

namespace Qlib.Tracked.Web.Server;

/// <summary>The <c>experiments/…</c> routes of MLflow's tracking API.</summary>
internal static class ExperimentRoutes
{
    private static MlflowJsonContext Json => MlflowJsonContext.Default;

    /// <summary>MLflow's cap on one page of experiments or runs (SEARCH_MAX_RESULTS_THRESHOLD).</summary>
    public const int MaxResultsLimit = 50_000;

    public static void Map(TrackingRouteTable table)
    {
        table.Post(MlflowRoutes.CreateExperiment, Create);
        table.Get(MlflowRoutes.GetExperiment, Get);
        table.Get(MlflowRoutes.GetExperimentByName, GetByName);
        table.Post(MlflowRoutes.SearchExperiments, Search);
        table.Get(MlflowRoutes.SearchExperiments, Search);
        table.Post(MlflowRoutes.DeleteExperiment, Delete);
        table.Post(MlflowRoutes.RestoreExperiment, Restore);
        table.Post(MlflowRoutes.UpdateExperiment, Update);
        table.Post(MlflowRoutes.SetExperimentTag, SetTag);
    }

    private static async Task Create(HttpContext http)
    {
        var request = await Body(http, Json.CreateExperimentRequest);
        var state = ServerState.Of(http);
        var name = Required(request.Name, "name");
        var tags = request.Tags?.Select((t, i) => ProtocolMapping.ToTag(t, $"tags[{i}]")).ToList();
        var id = state.Store.CreateExperiment(name, state.Artifacts.FromClient(request.ArtifactLocation), tags);
        await Answer(http, new CreateExperimentResponse { ExperimentId = id }, Json.CreateExperimentResponse);
    }

    private static Task Get(HttpContext http)
    {
        var state = ServerState.Of(http);
        var experiment = state.Store.GetExperiment(Required(Query(http, "experiment_id"), "experiment_id"));
        return Answer(http, new GetExperimentResponse { Experiment = ProtocolMapping.ToMessage(state.Artifacts.ToClient(experiment)) }, Json.GetExperimentResponse);
    }

    private static Task GetByName(HttpContext http)
    {
        var state = ServerState.Of(http);
        var name = Required(Query(http, "experiment_name"), "experiment_name");
        var experiment = state.Store.GetExperimentByName(name)
                         ?? throw TrackingException.DoesNotExist($"Could not find experiment with name '{name}'");
        return Answer(http, new GetExperimentResponse { Experiment = ProtocolMapping.ToMessage(state.Artifacts.ToClient(experiment)) }, Json.GetExperimentResponse);
    }

    private static async Task Search(HttpContext http)
    {
        var request = HttpMethods.IsGet(http.Request.Method)
            ? new SearchExperimentsRequest
            {
                MaxResults = QueryInt64(http, "max_results"),
                PageToken = Query(http, "page_token"),
                Filter = Query(http, "filter"),
                OrderBy = QueryList(http, "order_by"),
                ViewType = Query(http, "view_type"),
            }
            : await Body(http, Json.SearchExperimentsRequest);
        var state = ServerState.Of(http);
        var page = state.Store.SearchExperiments(request.Filter, ProtocolMapping.ParseViewType(request.ViewType, "view_type"),
            MaxResults(request.MaxResults, 1000, MaxResultsLimit), request.OrderBy, string.IsNullOrEmpty(request.PageToken) ? null : request.PageToken);
        await Answer(http, new SearchExperimentsResponse
        {
            Experiments = page.Items.Count == 0 ? null : [.. page.Items.Select(e => ProtocolMapping.ToMessage(state.Artifacts.ToClient(e)))],
            NextPageToken = page.NextPageToken,
        }, Json.SearchExperimentsResponse);
    }

    private static async Task Delete(HttpContext http)
    {
        var request = await Body(http, Json.ExperimentIdRequest);
        ServerState.Of(http).Store.DeleteExperiment(Required(request.ExperimentId, "experiment_id"));
        await Empty(http);
    }

    private static async Task Restore(HttpContext http)
    {
        var request = await Body(http, Json.ExperimentIdRequest);
        ServerState.Of(http).Store.RestoreExperiment(Required(request.ExperimentId, "experiment_id"));
        await Empty(http);
    }

    private static async Task Update(HttpContext http)
    {
        var request = await Body(http, Json.UpdateExperimentRequest);
        ServerState.Of(http).Store.RenameExperiment(Required(request.ExperimentId, "experiment_id"), Required(request.NewName, "new_name"));
        await Empty(http);
    }

    private static async Task SetTag(HttpContext http)
    {
        var request = await Body(http, Json.SetExperimentTagRequest);
        ServerState.Of(http).Store.SetExperimentTag(Required(request.ExperimentId, "experiment_id"), Required(request.Key, "key"), request.Value ?? "");
        await Empty(http);
    }
}
