using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Qlib.Tracked.Stores;
using Qlib.Tracked.Stores.Rest;
using Qlib.Tracked.Web.Server;

namespace Qlib.Tracked.Tests.Server;

/// <summary>
/// <c>qtrack server</c>'s defaults that keep a store safe, over real HTTP: authentication (API, artifact proxy and UI
/// pages alike), Host and Origin checks on loopback, body limits answered in MLflow's error body, artifact paths that
/// cannot leave the artifact root, refusal to serve beyond loopback without authentication, and TLS.
/// </summary>
public sealed class ServerSafetyTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Artifacts => _temp.Combine("artifacts");

    private ServerHost Start(ServerCredentials? credentials = null, long? maxArtifactBytes = 5L << 30) => ServerHost.Start(new TrackingServerOptions
    {
        BackendStoreUri = "sqlite:///" + _temp.Combine("mlflow.db"),
        ArtifactsDestination = Artifacts,
        Credentials = credentials,
        MaxArtifactUploadBytes = maxArtifactBytes,
    });

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<(HttpStatusCode Status, JsonNode? Body)> Send(HttpClient http, HttpRequestMessage request)
    {
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.StartsWith('{') ? JsonNode.Parse(text) : null);
    }

    private static async Task<string> NewRun(HttpClient http)
    {
        using var response = await http.PostAsync("/api/2.0/mlflow/runs/create", Json("{\"experiment_id\": \"0\", \"start_time\": 1}"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["run"]!["info"]!["run_id"]!.GetValue<string>();
    }

    [Fact]
    public async Task WithCredentials_EveryRouteButHealth_NeedsThem_AndMlflowsClientCredentialsPass()
    {
        var credentials = new ServerCredentials(new Dictionary<string, string> { ["alice"] = "s3cret" }, ["tok-123"]);
        using var server = Start(credentials);
        using var http = new HttpClient { BaseAddress = new Uri(server.Uri) };

        foreach (var path in new[] { "/api/2.0/mlflow/experiments/get?experiment_id=0", "/", "/api/experiments", "/api/2.0/mlflow-artifacts/artifacts?path=0" })
        {
            var (status, body) = await Send(http, new HttpRequestMessage(HttpMethod.Get, path));
            Assert.Equal(HttpStatusCode.Unauthorized, status);
            Assert.Equal("UNAUTHENTICATED", body!["error_code"]!.GetValue<string>());
        }
        var wrong = new HttpRequestMessage(HttpMethod.Get, "/api/2.0/mlflow/experiments/get?experiment_id=0");
        wrong.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:wrong")));
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(http, wrong)).Status);
        Assert.Equal("OK", await http.GetStringAsync("/health"));

        var basic = new HttpRequestMessage(HttpMethod.Get, "/");
        basic.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:s3cret")));
        Assert.Equal(HttpStatusCode.OK, (await Send(http, basic)).Status);

        // Our REST client with what MLFLOW_TRACKING_USERNAME/PASSWORD or MLFLOW_TRACKING_TOKEN give it.
        foreach (var settings in new[] { new RestClientSettings { Username = "alice", Password = "s3cret", MaxRetries = 0 }, new RestClientSettings { Token = "tok-123", MaxRetries = 0 } })
        {
            using var store = TrackingStoreRegistry.Open(server.Uri, new TrackingStoreOptions { Http = settings });
            Assert.Equal("Default", store.GetExperiment("0").Name);
        }
        using var anonymous = TrackingStoreRegistry.Open(server.Uri, new TrackingStoreOptions { Http = new RestClientSettings { MaxRetries = 0 } });
        Assert.Equal(ErrorCode.PermissionDenied, Assert.ThrowsAny<TrackingException>(() => anonymous.GetExperiment("0")).Code);
    }

    [Fact]
    public void BeyondLoopback_WithoutAuthentication_IsRefused_UnlessInsecureNoAuthIsGiven()
    {
        var options = new TrackingServerOptions { BackendStoreUri = _temp.Combine("mlruns"), ArtifactsDestination = Artifacts, Host = "0.0.0.0", Port = 0 };
        var e = Assert.Throws<TrackingException>(() => TrackingServer.CreateApp(options));
        Assert.Contains("--insecure-no-auth", e.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_temp.Combine("mlruns")), "nothing is created when the server refuses to start");
        using var allowed = TrackingServer.CreateApp(options with { InsecureNoAuth = true });
        using var authenticated = TrackingServer.CreateApp(options with { Credentials = new ServerCredentials(new Dictionary<string, string>(), ["t"]) });
    }

    [Fact]
    public async Task OnLoopback_AForeignHostOrACrossOriginWrite_IsRefused()
    {
        using var server = Start();
        using var http = new HttpClient { BaseAddress = new Uri(server.Uri) };
        var rebound = new HttpRequestMessage(HttpMethod.Get, "/api/2.0/mlflow/experiments/get?experiment_id=0");
        rebound.Headers.Host = "attacker.example";
        Assert.Equal(HttpStatusCode.BadRequest, (await Send(http, rebound)).Status);

        var crossOrigin = new HttpRequestMessage(HttpMethod.Post, "/api/2.0/mlflow/experiments/create") { Content = Json("{\"name\": \"x\"}") };
        crossOrigin.Headers.Add("Origin", "http://attacker.example");
        var (status, body) = await Send(http, crossOrigin);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("PERMISSION_DENIED", body!["error_code"]!.GetValue<string>());
        using var store = TrackingStoreRegistry.Open(server.Uri, new TrackingStoreOptions { Http = new RestClientSettings { MaxRetries = 0 } });
        Assert.Null(store.GetExperimentByName("x"));
    }

    [Fact]
    public async Task ALogBatchOverOneMegabyte_GetsMlflowsError_AndLogsNothing()
    {
        using var server = Start();
        using var http = new HttpClient { BaseAddress = new Uri(server.Uri) };
        var runId = await NewRun(http);
        var metrics = string.Join(",", Enumerable.Range(0, 20_000).Select(i => $"{{\"key\": \"m\", \"value\": {i}, \"timestamp\": 1, \"step\": {i}}}"));
        var json = $"{{\"run_id\": \"{runId}\", \"metrics\": [{metrics}]}}";
        Assert.True(json.Length > 1_000_000);
        // With a Content-Length and streamed without one (chunked): refused either way.
        foreach (var content in new HttpContent[] { Json(json), new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(json))) })
        {
            if (content is StreamContent) content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/2.0/mlflow/runs/log-batch") { Content = content };
            if (content is StreamContent) request.Headers.TransferEncodingChunked = true;
            var (status, body) = await Send(http, request);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Equal("INVALID_PARAMETER_VALUE", body!["error_code"]!.GetValue<string>());
            Assert.StartsWith("Batched logging API requests must be at most 1000000 bytes", body["message"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        var run = JsonNode.Parse(await http.GetStringAsync($"/api/2.0/mlflow/runs/get?run_id={runId}"))!;
        Assert.Null(run["run"]!["data"]!["metrics"]);
    }

    [Fact]
    public async Task ALogBatchJustUnderOneMegabyte_IsStoredWhole_WithAContentLengthOrChunked()
    {
        // The body is read into a buffer that starts at 16 KB (or the Content-Length) and grows: every byte must arrive.
        using var server = Start();
        using var http = new HttpClient { BaseAddress = new Uri(server.Uri) };
        foreach (var chunked in new[] { false, true })
        {
            var runId = await NewRun(http);
            var points = Enumerable.Range(0, 1_000).Select(i => $"{{\"key\": \"m{i % 7}\", \"value\": {i}.5, \"timestamp\": {i}, \"step\": {i}}}");
            var padding = new string(' ', 1_000_000 - 200_000); // JSON whitespace, to take the body close to the limit
            var json = $"{{\"run_id\": \"{runId}\", {padding}\"metrics\": [{string.Join(",", points)}]}}";
            Assert.InRange(Encoding.UTF8.GetByteCount(json), 850_000, 1_000_000);
            HttpContent content = chunked ? new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(json))) : Json(json);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/2.0/mlflow/runs/log-batch") { Content = content };
            if (chunked) request.Headers.TransferEncodingChunked = true;
            var (status, _) = await Send(http, request);
            Assert.Equal(HttpStatusCode.OK, status);
            var history = JsonNode.Parse(await http.GetStringAsync($"/api/2.0/mlflow/metrics/get-history?run_id={runId}&metric_key=m6"))!["metrics"]!.AsArray();
            Assert.Equal(Enumerable.Range(0, 1_000).Where(i => i % 7 == 6).Select(i => i + 0.5), history.Select(p => p!["value"]!.GetValue<double>()));
        }
    }

    [Fact]
    public async Task AnArtifactOverTheUploadLimit_IsRefused_AndLeavesNoFile()
    {
        using var server = Start(maxArtifactBytes: 1000);
        using var http = new HttpClient { BaseAddress = new Uri(server.Uri) };
        using var small = await http.PutAsync("/api/2.0/mlflow-artifacts/artifacts/0/r/artifacts/small.bin", new ByteArrayContent(new byte[1000]));
        Assert.Equal(HttpStatusCode.OK, small.StatusCode);
        var big = new HttpRequestMessage(HttpMethod.Put, "/api/2.0/mlflow-artifacts/artifacts/0/r/artifacts/big.bin")
        {
            Content = new StreamContent(new MemoryStream(new byte[5000])),
        };
        big.Headers.TransferEncodingChunked = true;
        var (status, body) = await Send(http, big);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("INVALID_PARAMETER_VALUE", body!["error_code"]!.GetValue<string>());
        Assert.Equal(["small.bin"], Directory.GetFiles(Path.Combine(Artifacts, "0", "r", "artifacts")).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("PUT", "/api/2.0/mlflow-artifacts/artifacts/%2e%2e/outside.txt")]
    [InlineData("PUT", "/api/2.0/mlflow-artifacts/artifacts/0/%2E%2E/%2E%2E/outside.txt")]
    [InlineData("PUT", "/api/2.0/mlflow-artifacts/artifacts/0/..%5C..%5Coutside.txt")]
    [InlineData("PUT", "/api/2.0/mlflow-artifacts/artifacts/link/outside.txt")]
    [InlineData("GET", "/api/2.0/mlflow-artifacts/artifacts/link/secret.txt")]
    [InlineData("GET", "/api/2.0/mlflow-artifacts/artifacts?path=../")]
    [InlineData("GET", "/api/2.0/mlflow-artifacts/artifacts?path=/etc")]
    [InlineData("DELETE", "/api/2.0/mlflow-artifacts/artifacts/link")]
    [InlineData("DELETE", "/api/2.0/mlflow-artifacts/artifacts/%2e%2e/secret.txt")]
    public async Task AnArtifactPathLeavingTheRoot_IsRefused_AndNothingOutsideIsTouched(string method, string path)
    {
        using var server = Start();
        // A symbolic link inside the root pointing outside it: the proxy must not follow it.
        var outside = _temp.Combine("outside");
        Directory.CreateDirectory(outside);
        File.WriteAllText(Path.Combine(outside, "secret.txt"), "secret");
        Directory.CreateDirectory(Artifacts);
        Directory.CreateSymbolicLink(Path.Combine(Artifacts, "link"), outside);
        using var http = new HttpClient { BaseAddress = new Uri(server.Uri) };
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "PUT") request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes("pwned"));
        var (status, body) = await Send(http, request);
        // Refused by the proxy's path check (400), or never reaching the proxy at all: the HTTP stack resolves '..'
        // segments before routing, so such a request lands outside the proxy's routes and is answered NOT_IMPLEMENTED.
        Assert.True(status is HttpStatusCode.BadRequest or HttpStatusCode.NotFound or HttpStatusCode.NotImplemented, $"{method} {path}: HTTP {(int)status}");
        Assert.NotNull(body?["error_code"]);
        Assert.Equal(["secret.txt"], Directory.GetFiles(outside).Select(Path.GetFileName));
        Assert.Equal("secret", File.ReadAllText(Path.Combine(outside, "secret.txt")));
        Assert.False(File.Exists(_temp.Combine("outside.txt")));
        Assert.Empty(Directory.GetFiles(_temp.Path, "outside.txt", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task WithTls_TheServerAnswersOverHttps()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var certPath = _temp.Combine("cert.pem");
        var keyPath = _temp.Combine("key.pem");
        File.WriteAllText(certPath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        using var server = ServerHost.Start(new TrackingServerOptions
        {
            BackendStoreUri = _temp.Combine("mlruns"), ArtifactsDestination = Artifacts, TlsCertificatePath = certPath, TlsKeyPath = keyPath,
        });
        Assert.StartsWith("https://", server.Uri, StringComparison.Ordinal);
        using var store = TrackingStoreRegistry.Open(server.Uri, new TrackingStoreOptions { Http = new RestClientSettings { ServerCertPath = certPath, MaxRetries = 0 } });
        Assert.Equal("Default", store.GetExperiment("0").Name);

        var e = Assert.Throws<TrackingException>(() => TrackingServer.CreateApp(new TrackingServerOptions { BackendStoreUri = _temp.Combine("mlruns"), TlsCertificatePath = certPath }));
        Assert.Contains("--tls-cert and --tls-key go together", e.Message, StringComparison.Ordinal);
    }
}
