using System.Net;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Qlib.Tracked.Stores.Rest.Protocol;
using Qlib.Tracked.Web.Server;

namespace Qlib.Tracked.Tests.Server;

/// <summary>
/// What <c>qtrack server</c> accepts beyond the fixture's exchanges, over real HTTP on a SQLite store: int64 fields as
/// strings, MLflow 3.x's extra metric fields and unknown fields, repeated query keys, the <c>/ajax-api</c> prefix,
/// long values cut as MLflow's server cuts them, 3.x-only routes answered NOT_IMPLEMENTED in MLflow's error body,
/// <c>runs/log-inputs</c>' own checks and size limit, <c>/version</c>, and many clients logging to the same run at once.
/// </summary>
public sealed class ServerProtocolTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly ServerHost _server;
    private readonly HttpClient _http = new();

    public ServerProtocolTests()
    {
        _server = ServerHost.Start(new TrackingServerOptions { BackendStoreUri = "sqlite:///" + _temp.Combine("mlflow.db"), ArtifactsDestination = _temp.Combine("artifacts") });
        _http.BaseAddress = new Uri(_server.Uri);
    }

    public void Dispose()
    {
        _http.Dispose();
        _server.Dispose();
        _temp.Dispose();
    }

    private async Task<JsonNode> Post(string route, string json, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await _http.PostAsync(route, new StringContent(json, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{route}: HTTP {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    private async Task<string> NewRun(string prefix = "/api/2.0/mlflow/") =>
        (await Post(prefix + "runs/create", "{\"experiment_id\": \"0\", \"start_time\": \"1700000000000\"}"))["run"]!["info"]!["run_id"]!.GetValue<string>();

    [Fact]
    public async Task Int64AsStrings_MlflowThreeMetricFields_AndUnknownFields_AreAccepted()
    {
        var runId = await NewRun();
        await Post("/api/2.0/mlflow/runs/log-metric",
            $"{{\"run_id\": \"{runId}\", \"key\": \"loss\", \"value\": 0.5, \"timestamp\": \"1700000000001\", \"step\": \"3\", "
            + "\"model_id\": \"m-1\", \"dataset_name\": \"train\", \"dataset_digest\": \"abc\", \"some_future_field\": {\"x\": 1}}");
        var history = JsonNode.Parse(await _http.GetStringAsync($"/api/2.0/mlflow/metrics/get-history?run_id={runId}&metric_key=loss"))!;
        var point = history["metrics"]![0]!;
        Assert.Equal(1700000000001, point["timestamp"]!.GetValue<long>());
        Assert.Equal(3, point["step"]!.GetValue<long>());
        Assert.Equal(0.5, point["value"]!.GetValue<double>());
    }

    [Fact]
    public async Task MetricHistory_PagesWithMaxResultsAndTokens_NoEmptyLastPage_BadTokenIsInvalidParameter()
    {
        var runId = await NewRun();
        var points = string.Join(", ", Enumerable.Range(0, 9).Select(i => $"{{\"key\": \"m\", \"value\": {i}, \"timestamp\": 1700000000000, \"step\": {i / 2}}}"));
        await Post("/api/2.0/mlflow/runs/log-batch", $"{{\"run_id\": \"{runId}\", \"metrics\": [{points}]}}");
        var values = new List<double>();
        var tokens = new List<string?>();
        string? token = null;
        do
        {
            var page = JsonNode.Parse(await _http.GetStringAsync(
                $"/api/2.0/mlflow/metrics/get-history?run_id={runId}&metric_key=m&max_results=3" + (token is null ? "" : $"&page_token={token}")))!;
            values.AddRange(page["metrics"]!.AsArray().Select(p => p!["value"]!.GetValue<double>()));
            token = page["next_page_token"]?.GetValue<string>();
            tokens.Add(token);
        } while (token is not null);
        Assert.Equal(Enumerable.Range(0, 9).Select(i => (double)i), values);
        // 9 points in pages of 3: the third page is the last and says so (no empty fourth page).
        Assert.Equal(["3", "6", null], tokens);
        using var bad = await _http.GetAsync($"/api/2.0/mlflow/metrics/get-history?run_id={runId}&metric_key=m&page_token=-3");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var error = JsonNode.Parse(await bad.Content.ReadAsStringAsync())!;
        Assert.Equal("INVALID_PARAMETER_VALUE", error["error_code"]!.GetValue<string>());
        Assert.Contains("'-3'", error["message"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("file")]
    public async Task MetricHistory_IsByteForByteWhatTheProtocolSerializerWrites_SpecialValues_EscapedKeys_Pages_NoPoints(string backend)
    {
        // The server writes history pages by hand (no message object per point): its bytes must stay the serializer's.
        using var temp = new TempDirectory();
        using var server = ServerHost.Start(new TrackingServerOptions
        {
            BackendStoreUri = backend == "sqlite" ? "sqlite:///" + temp.Combine("mlflow.db") : temp.Combine("mlruns"),
            ArtifactsDestination = temp.Combine("artifacts"),
        });
        using var http = new HttpClient { BaseAddress = new Uri(server.Uri) };
        using var created = await http.PostAsync("/api/2.0/mlflow/runs/create", new StringContent("{\"experiment_id\": \"0\"}", Encoding.UTF8, "application/json"));
        var runId = JsonNode.Parse(await created.Content.ReadAsStringAsync())!["run"]!["info"]!["run_id"]!.GetValue<string>();
        const string key = "é/ü x.y-z_1";
        double[] values = [0.1, 1.0 / 3, 1e-300, double.MaxValue, double.Epsilon, 123456789012345678, -2.5, double.NaN, double.PositiveInfinity, double.NegativeInfinity];
        var logged = values.Select((v, i) => new MetricMessage { Key = key, Value = v, Timestamp = 1700000000000 + i, Step = i - 3 }).ToList();
        using var batch = await http.PostAsync("/api/2.0/mlflow/runs/log-batch", new StringContent(
            JsonSerializer.Serialize(new LogBatchRequest { RunId = runId, Metrics = logged }, MlflowJsonContext.Default.LogBatchRequest), Encoding.UTF8, "application/json"));
        Assert.True(batch.IsSuccessStatusCode, await batch.Content.ReadAsStringAsync());
        // MLflow's SQL store keeps ±Infinity as ±1.7976931348623157e308; its file store keeps them.
        var stored = logged.Select(m => backend == "sqlite" && double.IsInfinity(m.Value!.Value)
            ? new MetricMessage { Key = m.Key, Value = m.Value > 0 ? double.MaxValue : double.MinValue, Timestamp = m.Timestamp, Step = m.Step } : m).ToList();
        var route = $"/api/2.0/mlflow/metrics/get-history?run_id={runId}&metric_key=";
        (string Query, GetMetricHistoryResponse Expected)[] cases =
        [
            (Uri.EscapeDataString(key), new() { Metrics = stored }),
            (Uri.EscapeDataString(key) + "&max_results=4", new() { Metrics = stored[..4], NextPageToken = "4" }),
            (Uri.EscapeDataString(key) + "&max_results=4&page_token=8", new() { Metrics = stored[8..] }),
            ("never-logged", new()),
        ];
        foreach (var (query, expected) in cases)
            Assert.Equal(JsonSerializer.Serialize(expected, MlflowJsonContext.Default.GetMetricHistoryResponse), await http.GetStringAsync(route + query));
    }

    [Fact]
    public async Task ABodyArrivingInPieces_IsReadWhole_MalformedOrTrailingJson_IsInvalidParameter()
    {
        var runId = await NewRun();
        var points = string.Join(", ", Enumerable.Range(0, 1000).Select(i => $"{{\"key\": \"m\", \"value\": {i}, \"timestamp\": 1700000000000, \"step\": {i}}}"));
        var json = Encoding.UTF8.GetBytes($"{{\"run_id\": \"{runId}\", \"metrics\": [{points}]}}");
        // Streamed (chunked) in 1 KB pieces with pauses, so the server sees the body arrive over many reads.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/2.0/mlflow/runs/log-batch") { Content = new SlowContent(json, 1024) };
        request.Headers.TransferEncodingChunked = true;
        using var response = await _http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var history = JsonNode.Parse(await _http.GetStringAsync($"/api/2.0/mlflow/metrics/get-history?run_id={runId}&metric_key=m"))!["metrics"]!.AsArray();
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => (double)i), history.Select(p => p!["value"]!.GetValue<double>()));

        foreach (var bad in new[] { "{\"experiment_id\": ", "{\"experiment_id\": \"0\"} {\"experiment_id\": \"0\"}", "{\"experiment_id\": \"0\"} x" })
        {
            var error = await Post("/api/2.0/mlflow/runs/create", bad, HttpStatusCode.BadRequest);
            Assert.Equal("INVALID_PARAMETER_VALUE", error["error_code"]!.GetValue<string>());
            Assert.StartsWith("The request body is not valid JSON", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        // The refused bodies created nothing: the default experiment holds only the run made above.
        var runs = await Post("/api/2.0/mlflow/runs/search", "{\"experiment_ids\": [\"0\"]}");
        Assert.Single(runs["runs"]!.AsArray());
    }

    /// <summary>A request body written in pieces with a pause after each.</summary>
    private sealed class SlowContent(byte[] bytes, int piece) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            for (var offset = 0; offset < bytes.Length; offset += piece)
            {
                await stream.WriteAsync(bytes.AsMemory(offset, Math.Min(piece, bytes.Length - offset)));
                await stream.FlushAsync();
                await Task.Delay(1);
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    [Fact]
    public async Task GetArguments_ComeFromTheQueryString_WithRepeatedKeysForLists_UnderBothPrefixes()
    {
        await Post("/api/2.0/mlflow/experiments/create", "{\"name\": \"b-exp\"}");
        await Post("/ajax-api/2.0/mlflow/experiments/create", "{\"name\": \"a-exp\"}");
        var found = JsonNode.Parse(await _http.GetStringAsync("/ajax-api/2.0/mlflow/experiments/search?max_results=10&order_by=name%20ASC&order_by=experiment_id%20DESC&view_type=ALL"))!;
        // Ordered by the first order_by (names, ordinal): the repeated key reached the search as a list.
        Assert.Equal(["Default", "a-exp", "b-exp"], found["experiments"]!.AsArray().Select(e => e!["name"]!.GetValue<string>()));
        var runId = await NewRun("/ajax-api/2.0/mlflow/");
        var run = JsonNode.Parse(await _http.GetStringAsync($"/api/2.0/mlflow/runs/get?run_uuid={runId}"))!;
        Assert.Equal(runId, run["run"]!["info"]!["run_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task ALongParamValue_IsCutTo6000Characters_AsMlflowsServerCutsIt()
    {
        var runId = await NewRun();
        var value = new string('é', 5999) + "😀" + "tail";
        await Post("/api/2.0/mlflow/runs/log-parameter", $"{{\"run_id\": \"{runId}\", \"key\": \"big\", \"value\": \"{value}\"}}");
        var run = JsonNode.Parse(await _http.GetStringAsync($"/api/2.0/mlflow/runs/get?run_id={runId}"))!;
        Assert.Equal(new string('é', 5999) + "😀", run["run"]!["data"]!["params"]![0]!["value"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("GET", "/api/2.0/mlflow/logged-models/search")]
    [InlineData("POST", "/api/3.0/mlflow/traces")]
    [InlineData("GET", "/ajax-api/3.0/mlflow/scorers/list")]
    [InlineData("POST", "/api/2.0/mlflow/registered-models/create")]
    [InlineData("GET", "/api/2.0/mlflow/runs/create")]
    public async Task RoutesThisServerDoesNotHave_AnswerNotImplemented_InMlflowsErrorBody(string method, string path)
    {
        using var response = await _http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        Assert.Equal(HttpStatusCode.NotImplemented, response.StatusCode);
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("NOT_IMPLEMENTED", body["error_code"]!.GetValue<string>());
        Assert.Contains(path, body["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ManyClientsLoggingToOneRunAtOnce_LoseNothing_AndKeepParamsImmutable()
    {
        var runId = await NewRun();
        const int clients = 8, batches = 10, points = 100;
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            for (var b = 0; b < batches; b++)
            {
                var metrics = string.Join(",", Enumerable.Range(0, points).Select(i =>
                    $"{{\"key\": \"m\", \"value\": {c * 10_000 + b * points + i}, \"timestamp\": 1, \"step\": {b * points + i}}}"));
                await Post("/api/2.0/mlflow/runs/log-batch",
                    $"{{\"run_id\": \"{runId}\", \"metrics\": [{metrics}], \"params\": [{{\"key\": \"p{c}\", \"value\": \"{c}\"}}]}}");
            }
        })));
        var history = JsonNode.Parse(await _http.GetStringAsync($"/api/2.0/mlflow/metrics/get-history?run_id={runId}&metric_key=m"))!["metrics"]!.AsArray();
        Assert.Equal(clients * batches * points, history.Count);
        Assert.Equal(clients * batches * points, history.Select(p => p!["value"]!.GetValue<double>()).Distinct().Count());
        // The latest value is the one with the largest step, then the largest value (MLflow's rule).
        var run = JsonNode.Parse(await _http.GetStringAsync($"/api/2.0/mlflow/runs/get?run_id={runId}"))!["run"]!;
        Assert.Equal(7 * 10_000 + batches * points - 1, run["data"]!["metrics"]![0]!["value"]!.GetValue<double>());
        Assert.Equal(clients, run["data"]!["params"]!.AsArray().Count);
        var changed = await Post("/api/2.0/mlflow/runs/log-parameter", $"{{\"run_id\": \"{runId}\", \"key\": \"p0\", \"value\": \"other\"}}", HttpStatusCode.BadRequest);
        Assert.Equal("INVALID_PARAMETER_VALUE", changed["error_code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Version_AnswersThePackageVersion_AsABareTextBody()
    {
        using var response = await _http.GetAsync("/version");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        // The tests are built from the same Directory.Build.props <Version> as the server.
        var expected = typeof(ServerProtocolTests).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
        Assert.Equal(expected, await response.Content.ReadAsStringAsync());
        Assert.Matches(@"^\d+\.\d+\.\d+", expected);
    }

    private static string DatasetInput(string name, string digest = "3efaaf32", string profile = "{}") =>
        $"{{\"dataset\": {{\"name\": \"{name}\", \"digest\": \"{digest}\", \"source_type\": \"local\", \"source\": \"{{}}\", \"profile\": \"{profile}\"}}, "
        + "\"tags\": [{\"key\": \"mlflow.data.context\", \"value\": \"training\"}]}";

    [Fact]
    public async Task LogInputs_RefusesWhatMlflowRefuses_InItsWords_AndStoresNothingThen()
    {
        var runId = await NewRun();
        var missing = await Post("/api/2.0/mlflow/runs/log-inputs", $"{{\"run_id\": \"{runId}\"}}", HttpStatusCode.BadRequest);
        Assert.Equal("INVALID_PARAMETER_VALUE", missing["error_code"]!.GetValue<string>());
        Assert.Contains("Missing value for required parameter 'datasets'", missing["message"]!.GetValue<string>());
        var unknown = await Post("/api/2.0/mlflow/runs/log-inputs",
            $"{{\"run_id\": \"0123456789abcdef0123456789abcdef\", \"datasets\": [{DatasetInput("train")}]}}", HttpStatusCode.NotFound);
        Assert.Equal("RESOURCE_DOES_NOT_EXIST", unknown["error_code"]!.GetValue<string>());
        // Checked by the server's store, not only by a client: a raw request with a 37-character digest.
        var digest = await Post("/api/2.0/mlflow/runs/log-inputs",
            $"{{\"run_id\": \"{runId}\", \"datasets\": [{DatasetInput("train")}, {DatasetInput("test", new string('d', 37))}]}}", HttpStatusCode.BadRequest);
        Assert.Equal("INVALID_PARAMETER_VALUE", digest["error_code"]!.GetValue<string>());
        Assert.Contains("Dataset digest exceeds the maximum length of 36", digest["message"]!.GetValue<string>());
        var run = JsonNode.Parse(await _http.GetStringAsync($"/api/2.0/mlflow/runs/get?run_id={runId}"))!["run"]!;
        Assert.Null(run["inputs"]?["dataset_inputs"]);
        Assert.Empty(Assert.IsType<JsonObject>(await Post("/api/2.0/mlflow/runs/log-inputs", $"{{\"run_id\": \"{runId}\", \"datasets\": []}}")));
    }

    /// <summary>MLflow checks its 1 MB request limit on log-batch only; a dataset's profile alone may be 16 MB.</summary>
    [Fact]
    public async Task LogInputs_ABodyOverLogBatchsOneMegabyte_IsStored()
    {
        var runId = await NewRun();
        var profile = new string('p', 1_500_000);
        Assert.Empty(Assert.IsType<JsonObject>(await Post("/ajax-api/2.0/mlflow/runs/log-inputs",
            $"{{\"run_id\": \"{runId}\", \"datasets\": [{DatasetInput("wide", profile: profile)}]}}")));
        var run = JsonNode.Parse(await _http.GetStringAsync($"/api/2.0/mlflow/runs/get?run_id={runId}"))!["run"]!;
        var input = run["inputs"]!["dataset_inputs"]![0]!;
        Assert.Equal("wide", input["dataset"]!["name"]!.GetValue<string>());
        Assert.Equal(profile.Length, input["dataset"]!["profile"]!.GetValue<string>().Length);
        Assert.Equal("training", input["tags"]![0]!["value"]!.GetValue<string>());
    }
}
