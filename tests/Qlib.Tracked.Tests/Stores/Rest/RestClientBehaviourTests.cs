using System.Text;
using Qlib.Tracked.Stores;
using Qlib.Tracked.Stores.Rest;

namespace Qlib.Tracked.Tests.Stores.Rest;

/// <summary>
/// What a trainer needs from the client, against a real local server: retries with backoff only where safe, MLflow's
/// credentials and environment variables, and credentials never shown in errors or retry reports.
/// </summary>
public sealed class RestClientBehaviourTests : IDisposable
{
    private const string Password = "hunter2-secret";
    private const string Token = "tok-very-secret";

    private readonly TempDirectory _temp = new();
    private readonly SqlStore _backend;
    private readonly TestMlflowServer _server;

    public RestClientBehaviourTests()
    {
        _backend = new SqlStore("sqlite:///" + _temp.Combine("mlflow.db"), new TrackingStoreOptions { DefaultArtifactRoot = _temp.Combine("proxied") });
        _server = new TestMlflowServer(_backend, _temp.Combine("proxied"));
    }

    public void Dispose()
    {
        _server.Dispose();
        _backend.Dispose();
        _temp.Dispose();
    }

    private static RestClientSettings Quick(int retries) =>
        new() { MaxRetries = retries, BackoffFactor = 0.01, BackoffJitter = 0, MaxBackoff = TimeSpan.FromMilliseconds(50) };

    private RestStore Open(RestClientSettings settings, string? uri = null) =>
        new(uri ?? _server.Uri, new TrackingStoreOptions { Http = settings });

    private int Count(string route) => _server.Requests.GetValueOrDefault(route);

    [Fact]
    public void TransientServerErrors_AreRetriedWithBackoff_ThenTheCallSucceeds()
    {
        using var store = Open(Quick(3));
        var retries = new List<string>();
        store.RequestRetried += retries.Add;
        _server.FailNext(2, 503);
        Assert.Equal("Default", store.GetExperiment("0").Name);
        Assert.Equal(3, Count("GET /api/2.0/mlflow/experiments/get"));
        Assert.Equal(2, retries.Count);
        Assert.Contains("attempt 1 of 4 failed (HTTP 503)", retries[0]);
    }

    [Fact]
    public void WhenRetriesRunOut_TheErrorNamesServerRouteStatusAndTheServersMessage()
    {
        using var store = Open(Quick(2));
        _server.FailNext(10, 500);
        var e = Assert.Throws<RestTrackingException>(() => store.GetExperiment("0"));
        Assert.Equal(3, Count("GET /api/2.0/mlflow/experiments/get"));
        Assert.Equal(500, e.HttpStatus);
        Assert.Equal("TEMPORARILY_UNAVAILABLE", e.ServerErrorCode);
        Assert.StartsWith("The test server is failing on purpose.", e.Message);
        Assert.Contains("GET /api/2.0/mlflow/experiments/get", e.Message);
        Assert.Contains(_server.Uri, e.Message);
    }

    [Fact]
    public void ACreate_IsNotRetriedAfterA500_ButIsAfterA503_WhereTheServerDidNothing()
    {
        using var store = Open(Quick(3));
        _server.FailNext(1, 500);
        Assert.Throws<RestTrackingException>(() => store.CreateExperiment("once"));
        Assert.Equal(1, Count("POST /api/2.0/mlflow/experiments/create"));
        _server.FailNext(1, 503);
        var id = store.CreateExperiment("twice");
        Assert.Equal(3, Count("POST /api/2.0/mlflow/experiments/create"));
        Assert.Equal("twice", store.GetExperiment(id).Name);
        Assert.Single(store.SearchExperiments(Entities.ViewType.All), x => x.Name == "twice");
    }

    [Fact]
    public void ARefusedConnection_IsRetried_ThenReportedWithTheServerAndRoute()
    {
        var port = _server.Port;
        _server.Stop();
        using var store = Open(Quick(2));
        var e = Assert.Throws<RestTrackingException>(() => store.CreateRun("0", null, 1, null, "r"));
        Assert.Null(e.HttpStatus);
        Assert.Contains($"Could not reach MLflow tracking server http://127.0.0.1:{port} (POST /api/2.0/mlflow/runs/create) after 3 attempt(s)", e.Message);
    }

    [Fact]
    public void BasicAuthAndBearerToken_AreSentAsMlflowSendsThem()
    {
        using (var basic = Open(Quick(0) with { Username = "alice", Password = Password, Token = Token }))
            basic.GetExperiment("0");
        using (var bearer = Open(Quick(0) with { Token = Token }))
            bearer.GetExperiment("0");
        using (var inUri = Open(Quick(0), $"http://bob:{Password}@127.0.0.1:{_server.Port}"))
        {
            Assert.DoesNotContain(Password, inUri.TrackingUri);
            inUri.GetExperiment("0");
        }
        Assert.Equal(
            [
                "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:" + Password)),
                "Bearer " + Token,
                "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("bob:" + Password)),
            ],
            _server.AuthorizationHeaders.ToArray());
    }

    [Fact]
    public void Credentials_NeverAppearInErrorsOrRetryReports()
    {
        var shown = new List<string>();
        using (var store = Open(Quick(1) with { Token = Token }, $"http://bob:{Password}@127.0.0.1:{_server.Port}"))
        {
            store.RequestRetried += shown.Add;
            shown.Add(Assert.ThrowsAny<TrackingException>(() => store.GetRun("0123456789abcdef0123456789abcdef")).Message);
            _server.FailNext(5, 503);
            shown.Add(Assert.ThrowsAny<TrackingException>(() => store.GetExperiment("0")).ToString());
            _server.Stop();
            shown.Add(Assert.ThrowsAny<TrackingException>(() => store.GetExperiment("0")).ToString());
        }
        shown.Add(Assert.ThrowsAny<TrackingException>(() => TrackingStoreRegistry.Open($"htp://bob:{Password}@host")).Message);
        shown.Add(Assert.ThrowsAny<TrackingException>(() => TrackingStoreRegistry.Check($"http://bob:{Password}@")).Message);
        Assert.True(shown.Count >= 7, string.Join("\n", shown));
        foreach (var text in shown)
        {
            Assert.DoesNotContain(Password, text);
            Assert.DoesNotContain(Token, text);
            Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes("bob:" + Password)), text);
        }
    }

    [Fact]
    public void ABatchOverTheServers1MbLimit_IsSentAsSeveralRequests_AndStoredWhole()
    {
        using var store = Open(Quick(0));
        var runId = store.CreateRun("0", null, 1, null, "big").Info.RunId;
        // 100 params of 6,000 characters and 100 tags of 5,000: within the item limits, 1.1 MB of JSON.
        var parameters = Enumerable.Range(0, 100).Select(i => new Entities.Param($"p{i}", new string((char)('a' + i % 26), 6000))).ToList();
        var tags = Enumerable.Range(0, 100).Select(i => new Entities.RunTag($"t{i}", new string('é', 5000))).ToList();
        var metrics = Enumerable.Range(0, 800).Select(i => new Entities.Metric("loss", i, 1_700_000_000_000 + i, i)).ToList();
        store.LogBatch(runId, metrics, parameters, tags);
        Assert.True(Count("POST /api/2.0/mlflow/runs/log-batch") >= 2, $"{Count("POST /api/2.0/mlflow/runs/log-batch")} request(s)");
        var run = store.GetRun(runId);
        Assert.Equal(100, run.Data.Params.Count);
        Assert.Equal(parameters[42].Value, run.Data.Params["p42"]);
        Assert.Equal(new string('é', 5000), run.Data.Tags["t99"]);
        Assert.Equal(Enumerable.Range(0, 800).Select(i => (long)i), store.GetMetricHistory(runId, "loss").Select(m => m.Step));
    }

    [Fact]
    public void EnvironmentVariables_HaveMlflowsMeanings_AndBadValuesAreNamed()
    {
        var variables = new Dictionary<string, string>
        {
            ["MLFLOW_TRACKING_USERNAME"] = "u",
            ["MLFLOW_TRACKING_PASSWORD"] = Password,
            ["MLFLOW_TRACKING_TOKEN"] = Token,
            ["MLFLOW_TRACKING_INSECURE_TLS"] = "true",
            ["MLFLOW_TRACKING_SERVER_CERT_PATH"] = "/etc/ca.pem",
            ["MLFLOW_HTTP_REQUEST_MAX_RETRIES"] = "7",
            ["MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR"] = "3",
            ["MLFLOW_HTTP_REQUEST_TIMEOUT"] = "30",
        };
        var settings = RestClientSettings.FromEnvironment(variables.GetValueOrDefault);
        Assert.Equal(("u", Password, Token, true, "/etc/ca.pem", 7, 3.0, TimeSpan.FromSeconds(30)),
            (settings.Username, settings.Password, settings.Token, settings.InsecureTls, settings.ServerCertPath, settings.MaxRetries, settings.BackoffFactor, settings.Timeout));

        var defaults = RestClientSettings.FromEnvironment(_ => null);
        Assert.Equal((5, 2.0, TimeSpan.FromSeconds(120), false), (defaults.MaxRetries, defaults.BackoffFactor, defaults.Timeout, defaults.InsecureTls));

        foreach (var (name, value) in new[]
                 {
                     ("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "many"), ("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "-1"), ("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "2.5"),
                     ("MLFLOW_HTTP_REQUEST_TIMEOUT", "0"), ("MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR", "NaN"), ("MLFLOW_TRACKING_INSECURE_TLS", "yes"),
                 })
        {
            var e = Assert.Throws<TrackingException>(() => RestClientSettings.FromEnvironment(n => n == name ? value : null));
            Assert.Equal(ErrorCode.InvalidParameterValue, e.Code);
            Assert.Contains($"{name}='{value}'", e.Message);
        }
    }

    [Fact]
    public void TheDefaultUri_IsExplicit_ThenQlibMlflowUri_ThenMlflowTrackingUri()
    {
        var both = new Dictionary<string, string> { ["QLIB_MLFLOW_URI"] = "file:/q", ["MLFLOW_TRACKING_URI"] = "http://tracking:5000" };
        Assert.Equal("file:/q", ExperimentManager.ResolveDefaultUri(both.GetValueOrDefault));
        Assert.Equal("http://tracking:5000", ExperimentManager.ResolveDefaultUri(n => n == "MLFLOW_TRACKING_URI" ? "http://tracking:5000" : null));
        Assert.EndsWith("/mlruns", ExperimentManager.ResolveDefaultUri(_ => null));
        using var manager = new ExperimentManager(_server.Uri);
        Assert.Equal(_server.Uri, manager.DefaultUri);
        Assert.IsType<RestStore>(manager.Client.Store);
    }

    [Fact]
    public void ServerUris_AreCheckedBeforeAnythingIsSent()
    {
        TrackingStoreRegistry.Check("https://tracking.example:5000/mlflow");
        foreach (var bad in new[] { "http://", "http://host:5000/?x=1", "https://host#frag" })
        {
            var e = Assert.Throws<TrackingException>(() => TrackingStoreRegistry.Check(bad));
            Assert.Equal(ErrorCode.InvalidParameterValue, e.Code);
            Assert.Contains("Invalid tracking server URI", e.Message);
        }
    }
}
