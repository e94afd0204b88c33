using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores;
using Qlib.Tracked.Stores.Rest.Protocol;

namespace Qlib.Tracked.Tests.Stores.Rest;

/// <summary>
/// A small MLflow tracking server for tests: the REST API 2.0 routes the REST store calls, answered from a real
/// <see cref="ITrackingStore"/> (file or SQLite) with MLflow's JSON and error bodies, and an artifact proxy over a
/// local folder that streams both ways. It reuses the protocol types the client uses, as <c>qtrack server</c> will.
/// Every request is counted per route; <see cref="FailNext"/> makes the next requests fail as a sick server would.
/// </summary>
public sealed class TestMlflowServer : IDisposable
{
    private readonly ITrackingStore _store;
    private readonly string _artifactRoot;
    private LocalHttpServer? _http;
    private int _failuresLeft;
    private int _failureStatus;

    private readonly bool _proxyArtifacts;

    /// <param name="proxyArtifacts">
    /// True: runs' artifact URIs are rewritten to <c>mlflow-artifacts:/…</c> and served from <paramref name="artifactRoot"/>
    /// (<c>--serve-artifacts</c>); false: the store's own local locations are passed on (a server without it).
    /// </param>
    public TestMlflowServer(ITrackingStore store, string artifactRoot, int port = 0, bool proxyArtifacts = true)
    {
        _store = store;
        _proxyArtifacts = proxyArtifacts;
        _artifactRoot = artifactRoot;
        Directory.CreateDirectory(artifactRoot);
        _http = LocalHttpServer.Start(Handle, port);
        Port = _http.Port;
    }

    public int Port { get; }

    public string Uri => $"http://127.0.0.1:{Port}";

    /// <summary>Requests answered, by "METHOD /path".</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, int> Requests { get; } = new();

    /// <summary>Authorization headers seen (to check what credentials the client sent).</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> AuthorizationHeaders { get; } = new();

    /// <summary>The next <paramref name="count"/> requests are answered with <paramref name="status"/> and an MLflow error body.</summary>
    public void FailNext(int count, int status)
    {
        _failureStatus = status;
        Interlocked.Exchange(ref _failuresLeft, count);
    }

    /// <summary>Stops listening (connections are refused) until <see cref="Restart"/>.</summary>
    public void Stop()
    {
        _http?.Dispose();
        _http = null;
    }

    /// <summary>Listens again on the same port.</summary>
    public void Restart()
    {
        if (_http is not null) return;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                _http = LocalHttpServer.Start(Handle, Port);
                return;
            }
            catch (IOException) when (attempt < 20)
            {
                Thread.Sleep(100); // the port may linger a moment after the stop
            }
        }
    }

    public void Dispose() => Stop();

    private async Task Handle(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        Requests.AddOrUpdate($"{context.Request.Method} {(path.StartsWith(MlflowRoutes.ArtifactProxy, StringComparison.Ordinal) ? MlflowRoutes.ArtifactProxy : path)}", 1, (_, n) => n + 1);
        if (context.Request.Headers.Authorization.Count > 0) AuthorizationHeaders.Enqueue(context.Request.Headers.Authorization.ToString());
        if (Interlocked.Decrement(ref _failuresLeft) >= 0)
        {
            await Error(context, _failureStatus, "TEMPORARILY_UNAVAILABLE", "The test server is failing on purpose.");
            return;
        }
        try
        {
            if (path.StartsWith(MlflowRoutes.ArtifactProxy, StringComparison.Ordinal)) await Artifacts(context, path);
            else await Tracking(context, path);
        }
        catch (TrackingException e)
        {
            var status = e.Code switch
            {
                ErrorCode.ResourceDoesNotExist => 404,
                ErrorCode.InternalError => 500,
                _ => 400,
            };
            await Error(context, status, e.MlflowErrorCode, e.Message);
        }
    }

    private async Task Tracking(HttpContext context, string path)
    {
        var query = context.Request.Query;
        var ctx = MlflowJsonContext.Default;
        switch (path)
        {
            case MlflowRoutes.CreateExperiment:
            {
                var r = await Body(context, ctx.CreateExperimentRequest);
                var id = _store.CreateExperiment(r.Name ?? "", r.ArtifactLocation, r.Tags?.Select((t, i) => ProtocolMapping.ToTag(t, $"tags[{i}]")).ToList());
                await Answer(context, new CreateExperimentResponse { ExperimentId = id }, ctx.CreateExperimentResponse);
                break;
            }
            case MlflowRoutes.GetExperiment:
                await Answer(context, new GetExperimentResponse { Experiment = ProtocolMapping.ToMessage(_store.GetExperiment(query["experiment_id"]!)) }, ctx.GetExperimentResponse);
                break;
            case MlflowRoutes.GetExperimentByName:
            {
                var experiment = _store.GetExperimentByName(query["experiment_name"]!)
                                 ?? throw TrackingException.DoesNotExist($"Could not find experiment with name '{query["experiment_name"]}'");
                await Answer(context, new GetExperimentResponse { Experiment = ProtocolMapping.ToMessage(experiment) }, ctx.GetExperimentResponse);
                break;
            }
            case MlflowRoutes.SearchExperiments:
            {
                var r = await Body(context, ctx.SearchExperimentsRequest);
                var page = _store.SearchExperiments(r.Filter, ProtocolMapping.ParseViewType(r.ViewType, "view_type"), (int)(r.MaxResults ?? 1000), r.OrderBy, r.PageToken);
                await Answer(context, new SearchExperimentsResponse { Experiments = [.. page.Items.Select(ProtocolMapping.ToMessage)], NextPageToken = page.NextPageToken }, ctx.SearchExperimentsResponse);
                break;
            }
            case MlflowRoutes.DeleteExperiment:
                _store.DeleteExperiment((await Body(context, ctx.ExperimentIdRequest)).ExperimentId!);
                await Empty(context);
                break;
            case MlflowRoutes.RestoreExperiment:
                _store.RestoreExperiment((await Body(context, ctx.ExperimentIdRequest)).ExperimentId!);
                await Empty(context);
                break;
            case MlflowRoutes.UpdateExperiment:
            {
                var r = await Body(context, ctx.UpdateExperimentRequest);
                _store.RenameExperiment(r.ExperimentId!, r.NewName!);
                await Empty(context);
                break;
            }
            case MlflowRoutes.SetExperimentTag:
            {
                var r = await Body(context, ctx.SetExperimentTagRequest);
                _store.SetExperimentTag(r.ExperimentId!, r.Key!, r.Value ?? "");
                await Empty(context);
                break;
            }
            case MlflowRoutes.CreateRun:
            {
                var r = await Body(context, ctx.CreateRunRequest);
                var run = _store.CreateRun(r.ExperimentId ?? "0", r.UserId, r.StartTime ?? 0,
                    r.Tags?.Select((t, i) => ProtocolMapping.ToTag(t, $"tags[{i}]")).ToList(), r.RunName);
                await Answer(context, new RunResponse { Run = ProtocolMapping.ToMessage(Proxied(run)) }, ctx.RunResponse);
                break;
            }
            case MlflowRoutes.GetRun:
                await Answer(context, new RunResponse { Run = ProtocolMapping.ToMessage(Proxied(_store.GetRun(query["run_id"]!))) }, ctx.RunResponse);
                break;
            case MlflowRoutes.UpdateRun:
            {
                var r = await Body(context, ctx.UpdateRunRequest);
                var info = _store.UpdateRunInfo(r.RunId!, ProtocolMapping.ParseRunStatus(r.Status, "status"), r.EndTime, r.RunName);
                await Answer(context, new UpdateRunResponse { RunInfo = ProtocolMapping.ToMessage(info with { ArtifactUri = ProxiedUri(info) }) }, ctx.UpdateRunResponse);
                break;
            }
            case MlflowRoutes.DeleteRun:
                _store.DeleteRun((await Body(context, ctx.RunIdRequest)).RunId!);
                await Empty(context);
                break;
            case MlflowRoutes.RestoreRun:
                _store.RestoreRun((await Body(context, ctx.RunIdRequest)).RunId!);
                await Empty(context);
                break;
            case MlflowRoutes.SearchRuns:
            {
                var r = await Body(context, ctx.SearchRunsRequest);
                var page = _store.SearchRuns(r.ExperimentIds ?? [], r.Filter, ProtocolMapping.ParseViewType(r.RunViewType, "run_view_type"),
                    (int)(r.MaxResults ?? 1000), r.OrderBy, r.PageToken);
                await Answer(context, new SearchRunsResponse { Runs = [.. page.Items.Select(run => ProtocolMapping.ToMessage(Proxied(run)))], NextPageToken = page.NextPageToken }, ctx.SearchRunsResponse);
                break;
            }
            case MlflowRoutes.LogBatch:
            {
                var r = await Body(context, ctx.LogBatchRequest);
                _store.LogBatch(r.RunId!,
                    r.Metrics?.Select((m, i) => ProtocolMapping.ToMetric(m, $"metrics[{i}]")).ToList() ?? [],
                    r.Params?.Select((p, i) => ProtocolMapping.ToParam(p, $"params[{i}]")).ToList() ?? [],
                    r.Tags?.Select((t, i) => ProtocolMapping.ToTag(t, $"tags[{i}]")).ToList() ?? []);
                await Empty(context);
                break;
            }
            case MlflowRoutes.LogMetric:
            {
                var r = await Body(context, ctx.LogMetricRequest);
                _store.LogMetric(r.RunId!, new Metric(r.Key!, r.Value ?? 0, r.Timestamp ?? 0, r.Step ?? 0));
                await Empty(context);
                break;
            }
            case MlflowRoutes.LogParameter:
            {
                var r = await Body(context, ctx.RunKeyValueRequest);
                _store.LogParam(r.RunId!, new Param(r.Key!, r.Value ?? ""));
                await Empty(context);
                break;
            }
            case MlflowRoutes.SetTag:
            {
                var r = await Body(context, ctx.RunKeyValueRequest);
                _store.SetTag(r.RunId!, new RunTag(r.Key!, r.Value ?? ""));
                await Empty(context);
                break;
            }
            case MlflowRoutes.DeleteTag:
            {
                var r = await Body(context, ctx.DeleteTagRequest);
                _store.DeleteTag(r.RunId!, r.Key!);
                await Empty(context);
                break;
            }
            case MlflowRoutes.GetMetricHistory:
            {
                // Paged as MLflow pages it: an offset token, here in pages of max_results.
                var all = _store.GetMetricHistory(query["run_id"]!, query["metric_key"]!);
                var size = int.Parse(query["max_results"].FirstOrDefault() ?? "25000", System.Globalization.CultureInfo.InvariantCulture);
                var offset = int.Parse(query["page_token"].FirstOrDefault() ?? "0", System.Globalization.CultureInfo.InvariantCulture);
                var page = all.Skip(offset).Take(size).Select(ProtocolMapping.ToMessage).ToList();
                var next = offset + size < all.Count ? (offset + size).ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
                await Answer(context, new GetMetricHistoryResponse { Metrics = page, NextPageToken = next }, ctx.GetMetricHistoryResponse);
                break;
            }
            default:
                await Error(context, 404, "ENDPOINT_NOT_FOUND", $"No route {context.Request.Method} {path} on the test server.");
                break;
        }
    }

    // ----- the artifact proxy: <root>/<experiment id>/<run id>/artifacts/... on disk -----

    private string ProxiedUri(RunInfo info) => _proxyArtifacts ? $"mlflow-artifacts:/{info.ExperimentId}/{info.RunId}/artifacts" : info.ArtifactUri;

    private Run Proxied(Run run) => run with { Info = run.Info with { ArtifactUri = ProxiedUri(run.Info) } };

    private async Task Artifacts(HttpContext context, string path)
    {
        var relative = path[MlflowRoutes.ArtifactProxy.Length..].TrimStart('/');
        if (context.Request.Method == "GET" && relative.Length == 0)
        {
            var listed = context.Request.Query["path"].FirstOrDefault() ?? "";
            var folder = Local(listed);
            var files = Directory.Exists(folder)
                ? new DirectoryInfo(folder).EnumerateFileSystemInfos().Select(e => new FileInfoMessage
                {
                    Path = e.Name, IsDir = e is DirectoryInfo, FileSize = e is FileInfo f ? f.Length : null,
                }).ToList()
                : null;
            await Answer(context, new ListArtifactsResponse { Files = files is { Count: > 0 } ? files : null }, MlflowJsonContext.Default.ListArtifactsResponse);
            return;
        }
        var file = Local(relative);
        if (context.Request.Method == "PUT")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            await using (var output = File.Create(file)) await context.Request.Body.CopyToAsync(output);
            await Empty(context);
        }
        else if (context.Request.Method == "GET")
        {
            if (!File.Exists(file))
            {
                // What MLflow 2.12's proxy answers over a local artifact store (its copy fails).
                await Error(context, 500, "INTERNAL_ERROR", $"The following failures occurred while downloading one or more artifacts from {_artifactRoot}: [Errno 2] No such file or directory: '{file}'");
                return;
            }
            context.Response.ContentType = "application/octet-stream";
            context.Response.ContentLength = new FileInfo(file).Length;
            await using var input = File.OpenRead(file);
            await input.CopyToAsync(context.Response.Body);
        }
        else
        {
            await Error(context, 405, "BAD_REQUEST", "Method not allowed.");
        }
    }

    private string Local(string relative)
    {
        var full = Path.GetFullPath(Path.Combine(_artifactRoot, System.Uri.UnescapeDataString(relative)));
        if (!full.StartsWith(Path.GetFullPath(_artifactRoot), StringComparison.Ordinal)) throw TrackingException.InvalidParameter($"Invalid path '{relative}'");
        return full;
    }

    // ----- JSON -----

    private static async Task<T> Body<T>(HttpContext context, JsonTypeInfo<T> type)
    {
        try
        {
            return await JsonSerializer.DeserializeAsync(context.Request.Body, type) ?? throw TrackingException.InvalidParameter("The body is null.");
        }
        catch (JsonException e)
        {
            throw TrackingException.InvalidParameter($"Malformed request body: {e.Message}");
        }
    }

    private static async Task Answer<T>(HttpContext context, T body, JsonTypeInfo<T> type)
    {
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, body, type);
    }

    private static Task Empty(HttpContext context) => Answer(context, new EmptyMessage(), MlflowJsonContext.Default.EmptyMessage);

    private static Task Error(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        return Answer(context, new ErrorMessage { ErrorCode = code, Message = message }, MlflowJsonContext.Default.ErrorMessage);
    }
}
