using System.Collections.Concurrent;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores.Rest.Protocol;

namespace Qlib.Tracked.Stores;

/// <summary>
/// MLflow's <c>RestStore</c>: every store call is a call to a tracking server's REST API 2.0 (<c>mlflow server</c>, any
/// backend) at an <c>http://</c> or <c>https://</c> URI. GETs carry their arguments in the query string and POSTs JSON
/// bodies with proto field names, exactly as the Python client sends them; listings and histories are paged; the
/// server's error answers become <see cref="TrackingException"/>s with the error code the file store throws for the
/// same problem (<see cref="Rest.RestTrackingException"/>). One connection pool per store, closed with it. This type is
/// split over <c>RestStore.*.cs</c>.
/// Thread-safe: every call is its own HTTP request and its artifact-URI cache is a concurrent dictionary.
/// </summary>
/// <remarks>
/// The server owns validation that needs stored state (param immutability, lifecycle): its messages are passed on.
/// Artifacts go where the run's <c>artifact_uri</c> says (<see cref="GetArtifactRepository"/>).
/// </remarks>
public sealed partial class RestStore : ITrackingStore
{
    private const int ExperimentPageSize = 1000;

    private readonly Rest.MlflowHttpClient _http;
    private readonly TrackingStoreOptions _options;
    // A run's artifact URI never changes: remembered so each artifact call does not fetch the run again.
    private readonly ConcurrentDictionary<string, string> _artifactUris = new(StringComparer.Ordinal);

    /// <summary>Opens a client for the tracking server at <paramref name="uri"/>; nothing is sent until the first call.</summary>
    public RestStore(string uri, TrackingStoreOptions? options = null)
    {
        _options = options ?? new TrackingStoreOptions();
        var endpoint = Rest.RestEndpoint.Parse(uri);
        Settings = _options.Http ?? Rest.RestClientSettings.FromEnvironment();
        _http = new Rest.MlflowHttpClient(endpoint, Settings);
        _http.Retrying += message => RequestRetried?.Invoke(message);
    }

    /// <summary>The server URI without credentials.</summary>
    public string TrackingUri => _http.Endpoint.Display;

    /// <summary>
    /// The server decides where new experiments keep artifacts (<c>--default-artifact-root</c>, or
    /// <c>mlflow-artifacts:/</c> with <c>--serve-artifacts</c>); this is the proxied root a client can name.
    /// </summary>
    public string DefaultArtifactRoot => "mlflow-artifacts:/";

    /// <summary>The credentials, TLS and retry settings in use.</summary>
    public Rest.RestClientSettings Settings { get; }

    /// <summary>Never raised: the server either answers or the call fails.</summary>
    public event Action<StoreWarning>? Warning
    {
        add { }
        remove { }
    }

    /// <summary>Raised before a failed request is retried, with what failed and the wait (no credentials in it).</summary>
    public event Action<string>? RequestRetried;

    /// <inheritdoc/>
    public void Dispose()
    {
        _http.Dispose();
        foreach (var client in _artifactServers.Values) client.Dispose();
        _artifactServers.Clear();
    }

    // ----- experiments -----

    /// <inheritdoc/>
    public string CreateExperiment(string name, string? artifactLocation = null, IReadOnlyList<RunTag>? tags = null)
    {
        var answer = _http.Post(MlflowRoutes.CreateExperiment,
            new CreateExperimentRequest
            {
                Name = name,
                ArtifactLocation = string.IsNullOrEmpty(artifactLocation) ? null : artifactLocation,
                Tags = tags is { Count: > 0 } ? [.. tags.Select(ProtocolMapping.ToMessage)] : null,
            },
            MlflowJsonContext.Default.CreateExperimentRequest, MlflowJsonContext.Default.CreateExperimentResponse, Rest.RetrySafety.NotIdempotent);
        return Read(MlflowRoutes.CreateExperiment, () => answer.ExperimentId ?? throw new MlflowProtocolException("experiment_id", "is missing"));
    }

    /// <inheritdoc/>
    public ExperimentInfo GetExperiment(string experimentId)
    {
        var answer = _http.Get(MlflowRoutes.GetExperiment, [new("experiment_id", experimentId)], MlflowJsonContext.Default.GetExperimentResponse);
        return Read(MlflowRoutes.GetExperiment, () => ProtocolMapping.ToExperiment(answer.Experiment, "experiment"));
    }

    /// <summary>Null when the server knows no experiment by that name (it answers 404 RESOURCE_DOES_NOT_EXIST).</summary>
    public ExperimentInfo? GetExperimentByName(string name)
    {
        GetExperimentResponse answer;
        try
        {
            answer = _http.Get(MlflowRoutes.GetExperimentByName, [new("experiment_name", name)], MlflowJsonContext.Default.GetExperimentResponse);
        }
        catch (Rest.RestTrackingException e) when (e.Code == ErrorCode.ResourceDoesNotExist && e.HttpStatus == 404)
        {
            return null;
        }
        return Read(MlflowRoutes.GetExperimentByName, () => ProtocolMapping.ToExperiment(answer.Experiment, "experiment"));
    }

    /// <summary>Every experiment in the view, in the server's order (creation_time DESC, experiment_id ASC), fetched page by page.</summary>
    public IReadOnlyList<ExperimentInfo> SearchExperiments(ViewType viewType = ViewType.ActiveOnly)
    {
        var all = new List<ExperimentInfo>();
        string? token = null;
        do
        {
            var page = SearchExperiments(null, viewType, ExperimentPageSize, null, token);
            all.AddRange(page.Items);
            token = page.NextPageToken;
        } while (token is not null);
        return all;
    }

    /// <summary>One page, filtered and ordered by the server.</summary>
    public PagedList<ExperimentInfo> SearchExperiments(string? filter, ViewType viewType, int maxResults, IReadOnlyList<string>? orderBy = null, string? pageToken = null)
    {
        var answer = _http.Post(MlflowRoutes.SearchExperiments,
            new SearchExperimentsRequest
            {
                MaxResults = maxResults,
                PageToken = pageToken,
                Filter = string.IsNullOrEmpty(filter) ? null : filter,
                OrderBy = orderBy is { Count: > 0 } ? [.. orderBy] : null,
                ViewType = ProtocolMapping.ToMessage(viewType),
            },
            MlflowJsonContext.Default.SearchExperimentsRequest, MlflowJsonContext.Default.SearchExperimentsResponse, Rest.RetrySafety.Idempotent);
        return Read(MlflowRoutes.SearchExperiments, () =>
        {
            var items = new List<ExperimentInfo>(answer.Experiments?.Count ?? 0);
            for (var i = 0; i < (answer.Experiments?.Count ?? 0); i++) items.Add(ProtocolMapping.ToExperiment(answer.Experiments![i], $"experiments[{i}]"));
            return new PagedList<ExperimentInfo>(items, string.IsNullOrEmpty(answer.NextPageToken) ? null : answer.NextPageToken);
        });
    }

    /// <inheritdoc/>
    public void DeleteExperiment(string experimentId) =>
        PostEmpty(MlflowRoutes.DeleteExperiment, new ExperimentIdRequest { ExperimentId = experimentId }, MlflowJsonContext.Default.ExperimentIdRequest);

    /// <inheritdoc/>
    public void RestoreExperiment(string experimentId) =>
        PostEmpty(MlflowRoutes.RestoreExperiment, new ExperimentIdRequest { ExperimentId = experimentId }, MlflowJsonContext.Default.ExperimentIdRequest);

    /// <inheritdoc/>
    public void RenameExperiment(string experimentId, string newName) =>
        PostEmpty(MlflowRoutes.UpdateExperiment, new UpdateExperimentRequest { ExperimentId = experimentId, NewName = newName },
            MlflowJsonContext.Default.UpdateExperimentRequest);

    /// <inheritdoc/>
    public void SetExperimentTag(string experimentId, string key, string value) =>
        PostEmpty(MlflowRoutes.SetExperimentTag, new SetExperimentTagRequest { ExperimentId = experimentId, Key = key, Value = value },
            MlflowJsonContext.Default.SetExperimentTagRequest);

    // ----- runs -----

    /// <inheritdoc/>
    public Run CreateRun(string experimentId, string? userId, long startTime, IReadOnlyList<RunTag>? tags, string? runName)
    {
        var answer = _http.Post(MlflowRoutes.CreateRun,
            new CreateRunRequest
            {
                ExperimentId = experimentId,
                // What the file and SQL stores record for no user (the Python client sends its login name, or this).
                UserId = userId ?? "unknown",
                RunName = runName,
                StartTime = startTime,
                Tags = tags is { Count: > 0 } ? [.. tags.Select(ProtocolMapping.ToMessage)] : null,
            },
            MlflowJsonContext.Default.CreateRunRequest, MlflowJsonContext.Default.RunResponse, Rest.RetrySafety.NotIdempotent);
        var run = Read(MlflowRoutes.CreateRun, () => ProtocolMapping.ToRun(answer.Run, "run"));
        _artifactUris[run.Info.RunId] = run.Info.ArtifactUri;
        return run;
    }

    /// <inheritdoc/>
    public Run GetRun(string runId)
    {
        // The Python client sends the deprecated run_uuid too, so servers from before its rename answer as well.
        var answer = _http.Get(MlflowRoutes.GetRun, [new("run_id", runId), new("run_uuid", runId)], MlflowJsonContext.Default.RunResponse);
        var run = Read(MlflowRoutes.GetRun, () => ProtocolMapping.ToRun(answer.Run, "run"));
        _artifactUris[run.Info.RunId] = run.Info.ArtifactUri;
        return run;
    }

    /// <inheritdoc/>
    public RunInfo UpdateRunInfo(string runId, RunStatus status, long? endTime, string? runName)
    {
        var answer = _http.Post(MlflowRoutes.UpdateRun,
            new UpdateRunRequest { RunId = runId, RunUuid = runId, Status = status.ToMlflowString(), EndTime = endTime, RunName = runName },
            MlflowJsonContext.Default.UpdateRunRequest, MlflowJsonContext.Default.UpdateRunResponse, Rest.RetrySafety.Idempotent);
        return Read(MlflowRoutes.UpdateRun, () => ProtocolMapping.ToRunInfo(answer.RunInfo, "run_info"));
    }

    /// <inheritdoc/>
    public void DeleteRun(string runId) =>
        PostEmpty(MlflowRoutes.DeleteRun, new RunIdRequest { RunId = runId }, MlflowJsonContext.Default.RunIdRequest);

    /// <inheritdoc/>
    public void RestoreRun(string runId) =>
        PostEmpty(MlflowRoutes.RestoreRun, new RunIdRequest { RunId = runId }, MlflowJsonContext.Default.RunIdRequest);

    /// <inheritdoc/>
    public PagedList<Run> SearchRuns(IReadOnlyList<string> experimentIds, string? filter, ViewType viewType, int maxResults,
        IReadOnlyList<string>? orderBy, string? pageToken)
    {
        var answer = _http.Post(MlflowRoutes.SearchRuns,
            new SearchRunsRequest
            {
                ExperimentIds = [.. experimentIds],
                Filter = filter ?? "",
                RunViewType = ProtocolMapping.ToMessage(viewType),
                MaxResults = maxResults,
                OrderBy = orderBy is { Count: > 0 } ? [.. orderBy] : null,
                PageToken = pageToken,
            },
            MlflowJsonContext.Default.SearchRunsRequest, MlflowJsonContext.Default.SearchRunsResponse, Rest.RetrySafety.Idempotent);
        return Read(MlflowRoutes.SearchRuns, () =>
        {
            var runs = new List<Run>(answer.Runs?.Count ?? 0);
            for (var i = 0; i < (answer.Runs?.Count ?? 0); i++) runs.Add(ProtocolMapping.ToRun(answer.Runs![i], $"runs[{i}]"));
            return new PagedList<Run>(runs, string.IsNullOrEmpty(answer.NextPageToken) ? null : answer.NextPageToken);
        });
    }

    /// <inheritdoc/>
    public void DeleteTag(string runId, string key) =>
        PostEmpty(MlflowRoutes.DeleteTag, new DeleteTagRequest { RunId = runId, Key = key }, MlflowJsonContext.Default.DeleteTagRequest);

    /// <summary>Every point, page after page of <see cref="MlflowRoutes.MetricHistoryPageSize"/> (the Python client's page).</summary>
    public IReadOnlyList<Metric> GetMetricHistory(string runId, string metricKey) => ReadMetricHistory(runId, metricKey, 0, int.MaxValue);

    /// <summary>
    /// One range of the history: the server's pages are followed from the first (a page token is the server's own, and
    /// MLflow 2.12's server answers the whole history at once), the points before <paramref name="offset"/> dropped, and
    /// no page is asked for once the range is complete.
    /// </summary>
    public IReadOnlyList<Metric> GetMetricHistory(string runId, string metricKey, int offset, int maxPoints)
    {
        MetricHistoryRange.Validate(offset, maxPoints);
        return ReadMetricHistory(runId, metricKey, offset, maxPoints);
    }

    private List<Metric> ReadMetricHistory(string runId, string metricKey, int offset, int maxPoints)
    {
        var points = new List<Metric>();
        var seen = 0;
        string? token = null;
        do
        {
            List<KeyValuePair<string, string>> query =
            [
                new("run_id", runId), new("run_uuid", runId), new("metric_key", metricKey),
                new("max_results", MlflowRoutes.MetricHistoryPageSize.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ];
            if (token is not null) query.Add(new("page_token", token));
            var answer = _http.Get(MlflowRoutes.GetMetricHistory, query, MlflowJsonContext.Default.GetMetricHistoryResponse);
            Read(MlflowRoutes.GetMetricHistory, () =>
            {
                for (var i = 0; i < (answer.Metrics?.Count ?? 0) && points.Count < maxPoints; i++, seen++)
                {
                    if (seen >= offset) points.Add(ProtocolMapping.ToMetric(answer.Metrics![i], $"metrics[{i}]"));
                }
                return 0;
            });
            token = string.IsNullOrEmpty(answer.NextPageToken) ? null : answer.NextPageToken;
        } while (token is not null && points.Count < maxPoints);
        return points;
    }

    // ----- helpers -----

    private void PostEmpty<TRequest>(string route, TRequest request, System.Text.Json.Serialization.Metadata.JsonTypeInfo<TRequest> type) =>
        _http.Post(route, request, type, MlflowJsonContext.Default.EmptyMessage, Rest.RetrySafety.Idempotent);

    /// <summary>Maps an answer, reporting a message that lacks what the entity needs with the server and route.</summary>
    private T Read<T>(string route, Func<T> map)
    {
        try
        {
            return map();
        }
        catch (MlflowProtocolException e)
        {
            throw new Rest.RestTrackingException(ErrorCode.InternalError,
                $"MLflow tracking server {TrackingUri} answered {route} with an incomplete message: {e.Message}", route, 200, null, e);
        }
    }
}
