using Qlib.Tracked.Stores.Rest.Protocol;
using static Qlib.Tracked.Web.Server.MlflowHttp;

namespace Qlib.Tracked.Web.Server;

/// <summary>The <c>runs/…</c> routes of MLflow's tracking API that create, read, update and search runs.</summary>
internal static class RunRoutes
{
    private static MlflowJsonContext Json => MlflowJsonContext.Default;

    public static void Map(TrackingRouteTable table)
    {
        table.Post(MlflowRoutes.CreateRun, Create);
        table.Get(MlflowRoutes.GetRun, Get);
        table.Post(MlflowRoutes.UpdateRun, Update);
        table.Post(MlflowRoutes.DeleteRun, Delete);
        table.Post(MlflowRoutes.RestoreRun, Restore);
        table.Post(MlflowRoutes.SearchRuns, Search);
        table.Get(MlflowRoutes.ListArtifacts, ListArtifacts);
    }

    private static async Task Create(HttpContext http)
    {
        var request = await Body(http, Json.CreateRunRequest);
        var state = ServerState.Of(http);
        var tags = request.Tags?.Select((t, i) => LongValues.Truncated(ProtocolMapping.ToTag(t, $"tags[{i}]"))).ToList();
        var run = state.Store.CreateRun(string.IsNullOrEmpty(request.ExperimentId) ? "0" : request.ExperimentId, request.UserId,
            request.StartTime ?? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), tags, request.RunName);
        var message = ProtocolMapping.ToMessage(state.Artifacts.ToClient(run));
        message.Inputs = null; // a new run has none, and MLflow's answer leaves the field out
        await Answer(http, new RunResponse { Run = message }, Json.RunResponse);
    }

    private static Task Get(HttpContext http)
    {
        var state = ServerState.Of(http);
        var run = state.Store.GetRun(RunId(Query(http, "run_id"), Query(http, "run_uuid")));
        return Answer(http, new RunResponse { Run = ProtocolMapping.ToMessage(state.Artifacts.ToClient(run)) }, Json.RunResponse);
    }

    private static async Task Update(HttpContext http)
    {
        var request = await Body(http, Json.UpdateRunRequest);
        var state = ServerState.Of(http);
        var runId = RunId(request.RunId, request.RunUuid);
        // MLflow keeps the status when the request has none (a rename only).
        var status = request.Status is null ? state.Store.GetRun(runId).Info.Status : ProtocolMapping.ParseRunStatus(request.Status, "status");
        var info = state.Store.UpdateRunInfo(runId, status, request.EndTime, request.RunName);
        await Answer(http, new UpdateRunResponse { RunInfo = ProtocolMapping.ToMessage(state.Artifacts.ToClient(info)) }, Json.UpdateRunResponse);
    }

    private static async Task Delete(HttpContext http)
    {
        var request = await Body(http, Json.RunIdRequest);
        ServerState.Of(http).Store.DeleteRun(Required(request.RunId, "run_id"));
        await Empty(http);
    }

    private static async Task Restore(HttpContext http)
    {
        var request = await Body(http, Json.RunIdRequest);
        ServerState.Of(http).Store.RestoreRun(Required(request.RunId, "run_id"));
        await Empty(http);
    }

    private static async Task Search(HttpContext http)
    {
        var request = await Body(http, Json.SearchRunsRequest);
        var state = ServerState.Of(http);
        var page = state.Store.SearchRuns(request.ExperimentIds ?? [], request.Filter,
            ProtocolMapping.ParseViewType(request.RunViewType, "run_view_type"),
            MaxResults(request.MaxResults, 1000, ExperimentRoutes.MaxResultsLimit), request.OrderBy,
            string.IsNullOrEmpty(request.PageToken) ? null : request.PageToken);
        await Answer(http, new SearchRunsResponse
        {
            Runs = page.Items.Count == 0 ? null : [.. page.Items.Select(run => ProtocolMapping.ToMessage(state.Artifacts.ToClient(run)))],
            NextPageToken = page.NextPageToken,
        }, Json.SearchRunsResponse);
    }

    /// <summary>The tracking service's listing: paths relative to the run's artifact root, with that root's URI.</summary>
    private static Task ListArtifacts(HttpContext http)
    {
        var state = ServerState.Of(http);
        var runId = RunId(Query(http, "run_id"), Query(http, "run_uuid"));
        var path = Query(http, "path");
        var run = state.Store.GetRun(runId);
        var files = state.Store.GetArtifactRepository(runId).List(string.IsNullOrEmpty(path) ? null : Api.ArtifactRequestPath.Check(path, allowRoot: true));
        return Answer(http, new ListArtifactsResponse
        {
            RootUri = state.Artifacts.ToClient(run.Info.ArtifactUri),
            Files = files.Count == 0 ? null : [.. files.Select(ProtocolMapping.ToMessage)],
        }, Json.ListArtifactsResponse);
    }
}
