using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Qlib.Tracked.Stores.Rest.Protocol;

namespace Qlib.Tracked.LoadGen;

/// <summary>
/// The few MLflow REST calls the load generator makes, over one shared <see cref="HttpClient"/> (a connection pool, so
/// concurrent clients each get a connection). No retries and no buffering: a request is timed from the first byte sent
/// to the last byte of the answer read, and any non-2xx answer stops the run with the server's body.
/// Thread-safe (HttpClient is).
/// </summary>
internal sealed class ServerApi : IDisposable
{
    private readonly HttpClient _http;

    public ServerApi(Uri baseUri)
    {
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue, AllowAutoRedirect = false, UseProxy = false };
        _http = new HttpClient(handler) { BaseAddress = baseUri, Timeout = TimeSpan.FromMinutes(10) };
    }

    public async Task<string> CreateExperimentAsync(string name) =>
        (await PostAsync(MlflowRoutes.CreateExperiment, new CreateExperimentRequest { Name = name },
            MlflowJsonContext.Default.CreateExperimentRequest, MlflowJsonContext.Default.CreateExperimentResponse)).ExperimentId
        ?? throw new LoadGenException("experiments/create answered without an experiment_id");

    /// <summary>The id of the experiment named <paramref name="name"/>, or null when the server has none (its 404).</summary>
    public async Task<string?> FindExperimentAsync(string name)
    {
        var route = MlflowRoutes.GetExperimentByName + "?experiment_name=" + Uri.EscapeDataString(name);
        var response = await SendAsync(HttpMethod.Get, route, null, MlflowJsonContext.Default.GetExperimentResponse, notFoundIsNull: true);
        return response?.Experiment?.ExperimentId;
    }

    public async Task<string> CreateRunAsync(string experimentId, long startTime)
    {
        var response = await PostAsync(MlflowRoutes.CreateRun, new CreateRunRequest { ExperimentId = experimentId, StartTime = startTime, UserId = "loadgen" },
            MlflowJsonContext.Default.CreateRunRequest, MlflowJsonContext.Default.RunResponse);
        return response.Run?.Info?.RunId ?? throw new LoadGenException("runs/create answered without a run id");
    }

    public Task UpdateRunAsync(string runId, string status, long endTime) =>
        PostAsync(MlflowRoutes.UpdateRun, new UpdateRunRequest { RunId = runId, RunUuid = runId, Status = status, EndTime = endTime },
            MlflowJsonContext.Default.UpdateRunRequest, MlflowJsonContext.Default.UpdateRunResponse);

    /// <summary>One <c>runs/log-batch</c> whose JSON body was serialized beforehand (so the timing is the server's, not the serializer's).</summary>
    public Task LogBatchAsync(byte[] json) => SendAsync(HttpMethod.Post, MlflowRoutes.LogBatch, json, MlflowJsonContext.Default.EmptyMessage);

    public static byte[] LogBatchJson(LogBatchRequest request) =>
        JsonSerializer.SerializeToUtf8Bytes(request, MlflowJsonContext.Default.LogBatchRequest);

    public Task<SearchRunsResponse> SearchRunsAsync(SearchRunsRequest request) =>
        PostAsync(MlflowRoutes.SearchRuns, request, MlflowJsonContext.Default.SearchRunsRequest, MlflowJsonContext.Default.SearchRunsResponse);

    /// <summary>
    /// A metric's whole history: MLflow 2.12's server answers it in one response; a server that pages (MLflow's
    /// <c>max_results</c>/<c>page_token</c>, 25,000 a page as the Python client asks) is followed to the last page.
    /// </summary>
    public async Task<(int Points, int Requests)> GetMetricHistoryAsync(string runId, string key)
    {
        var (count, requests) = (0, 0);
        string? token = null;
        do
        {
            var query = new StringBuilder(MlflowRoutes.GetMetricHistory)
                .Append("?run_id=").Append(Uri.EscapeDataString(runId))
                .Append("&run_uuid=").Append(Uri.EscapeDataString(runId))
                .Append("&metric_key=").Append(Uri.EscapeDataString(key))
                .Append("&max_results=").Append(MlflowRoutes.MetricHistoryPageSize);
            if (token is not null) query.Append("&page_token=").Append(Uri.EscapeDataString(token));
            var (body, length) = await GetPooledAsync(query.ToString());
            var (points, next) = HistoryPageReader.Read(body.AsSpan(0, length), key);
            ArrayPool<byte>.Shared.Return(body);
            count += points;
            requests++;
            token = next;
        } while (token is not null);
        return (count, requests);
    }

    /// <summary>
    /// A GET's 200 answer read whole into a pooled buffer (return it to <see cref="ArrayPool{T}.Shared"/>); any other
    /// status stops the run with the server's body. Pooled because a history page is megabytes: a fresh array per
    /// answer (and its regrowth while the chunks arrive) was most of the load generator's CPU on that workload.
    /// </summary>
    private async Task<(byte[] Buffer, int Length)> GetPooledAsync(string route)
    {
        using var response = await _http.GetAsync(route, HttpCompletionOption.ResponseHeadersRead);
        await using var stream = await response.Content.ReadAsStreamAsync();
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        var length = 0;
        try
        {
            int read;
            do
            {
                if (length == buffer.Length)
                {
                    var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }
                read = await stream.ReadAsync(buffer.AsMemory(length));
                length += read;
            } while (read > 0);
            if (response.StatusCode != HttpStatusCode.OK)
                throw HttpFailure(HttpMethod.Get, route, response.StatusCode, buffer.AsSpan(0, length));
            return (buffer, length);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    private Task<TResponse> PostAsync<TRequest, TResponse>(string route, TRequest request, JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse> responseType)
        where TResponse : class =>
        SendAsync(HttpMethod.Post, route, JsonSerializer.SerializeToUtf8Bytes(request, requestType), responseType);

    private async Task<TResponse> SendAsync<TResponse>(HttpMethod method, string route, byte[]? json, JsonTypeInfo<TResponse> responseType)
        where TResponse : class =>
        await SendAsync(method, route, json, responseType, notFoundIsNull: false)
        ?? throw new LoadGenException($"{method} {route} answered 'null'");

    private async Task<TResponse?> SendAsync<TResponse>(HttpMethod method, string route, byte[]? json, JsonTypeInfo<TResponse> responseType,
        bool notFoundIsNull) where TResponse : class
    {
        using var message = new HttpRequestMessage(method, route);
        if (json is not null)
        {
            message.Content = new ByteArrayContent(json);
            message.Content.Headers.ContentType = new("application/json");
        }
        using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseContentRead);
        var body = await response.Content.ReadAsByteArrayAsync();
        if (notFoundIsNull && response.StatusCode == HttpStatusCode.NotFound) return null;
        if (response.StatusCode != HttpStatusCode.OK)
            throw HttpFailure(method, route, response.StatusCode, body);
        try
        {
            return JsonSerializer.Deserialize(body, responseType) ?? throw new LoadGenException($"{method} {route} answered 'null'");
        }
        catch (JsonException e)
        {
            throw new LoadGenException($"{method} {route} answered JSON that is not a {typeof(TResponse).Name}: {e.Message}");
        }
    }

    /// <summary>A non-200 answer: the run stops with its status and the start of the server's body.</summary>
    private static LoadGenException HttpFailure(HttpMethod method, string route, HttpStatusCode status, ReadOnlySpan<byte> body) =>
        new($"{method} {route} answered HTTP {(int)status}: {Encoding.UTF8.GetString(body[..Math.Min(body.Length, 500)])}");

    public void Dispose() => _http.Dispose();
}

/// <summary>The server answered something the load generator cannot measure (an error, a wrong count): the run stops.</summary>
internal sealed class LoadGenException(string message) : Exception(message);

/// <summary>A monotonic clock in seconds and wall-clock milliseconds.</summary>
internal static class Clock
{
    public static double Seconds(long fromTimestamp) => Stopwatch.GetElapsedTime(fromTimestamp).TotalSeconds;
    public static long NowMs() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}
