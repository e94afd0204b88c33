using System.Net;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores;

namespace Qlib.Tracked.Web.Tests;

/// <summary>
/// Who can reach the UI: a host that is not this machine's is refused before anything listens, a bind beyond
/// loopback warns and refuses writes, Host headers are checked on every bind (DNS rebinding), and a write
/// from another origin is refused. Real Kestrel on port 0 where binding matters; traffic is loopback only.
/// </summary>
public sealed class ExposureTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _root;

    public ExposureTests() => _root = _temp.CopyMlflowFixture();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("localhostt", "does not resolve")]
    [InlineData("999.1.1.1", "not an IPv4 address")]
    [InlineData("::zz", "not an IPv6 address")]
    [InlineData("5000", "not an IPv4 address")]
    [InlineData("198.51.100.7", "not an address of this machine")]
    [InlineData("bind everything", "white space")]
    public void Host_ThatIsNotAnAddressOfThisMachine_IsRefused_NamingOptionValueAndRule(string host, string reason)
    {
        var error = Assert.Throws<TrackingException>(() => QtrackWeb.CreateApp(new WebOptions { StorePath = _root, Host = host, Port = 0 }));

        Assert.Equal(ErrorCode.InvalidParameterValue, error.Code);
        Assert.StartsWith($"--host '{host}' cannot be used: ", error.Message);
        Assert.Contains(reason, error.Message);
        Assert.Contains("it takes an IP address of this machine", error.Message);
    }

    [Fact]
    public void Urls_WithAHostThatIsNotThisMachines_AreRefusedToo()
    {
        var error = Assert.Throws<TrackingException>(() => QtrackWeb.CreateApp(new WebOptions { StorePath = _root, Urls = ["http://localhostt:5000"] }));
        Assert.Contains("--urls entry 'http://localhostt:5000': host 'localhostt' cannot be used", error.Message);
        var wildcard = Assert.Throws<TrackingException>(() => QtrackWeb.CreateApp(new WebOptions { StorePath = _root, Urls = ["http://*:5000"] }));
        Assert.Contains("0.0.0.0", wildcard.Message);
    }

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("::")]
    public void AllowWrites_BeyondLoopback_IsRefused_BecauseThereIsNoAuthentication(string host)
    {
        var error = Assert.Throws<TrackingException>(() => QtrackWeb.CreateApp(new WebOptions { StorePath = _root, Host = host, Port = 0, AllowWrites = true }));
        Assert.Equal(ErrorCode.InvalidParameterValue, error.Code);
        Assert.Contains($"--allow-writes is refused with --host {host}", error.Message);
        Assert.Contains("no authentication", error.Message);
        Assert.Contains("127.0.0.1", error.Message);
    }

    [Fact]
    public async Task LoopbackBind_HasNoWarning_AndAnswersOnlyLoopbackHostNames()
    {
        await using var app = QtrackWeb.CreateApp(new WebOptions { StorePath = _root, Port = 0 });
        Assert.Null(QtrackWeb.GetListenPlan(app).Warning);
        await app.StartAsync();
        var url = new Uri(QtrackWeb.GetListeningUrls(app).Single());
        Assert.Equal("127.0.0.1", url.Host);

        Assert.Equal(HttpStatusCode.OK, await StatusWithHost(url, null));
        Assert.Equal(HttpStatusCode.OK, await StatusWithHost(url, $"localhost:{url.Port}"));
        // A name an attacker pointed at 127.0.0.1 (DNS rebinding) is refused, whatever the port.
        Assert.Equal(HttpStatusCode.BadRequest, await StatusWithHost(url, $"rebind.example:{url.Port}"));
        Assert.Equal(HttpStatusCode.BadRequest, await StatusWithHost(url, Dns.GetHostName()));
    }

    [Fact]
    public async Task EveryInterfaceBind_Warns_AndStillRefusesForeignHostNames()
    {
        await using var app = QtrackWeb.CreateApp(new WebOptions { StorePath = _root, Host = "0.0.0.0", Port = 0 });
        var warning = QtrackWeb.GetListenPlan(app).Warning;
        Assert.NotNull(warning);
        Assert.Contains("--host 0.0.0.0 listens on every network interface", warning);
        Assert.Contains("no authentication", warning);
        await app.StartAsync();
        var bound = new Uri(QtrackWeb.GetListeningUrls(app).Single());
        Assert.Equal("0.0.0.0", bound.Host);
        var loopback = new Uri($"http://127.0.0.1:{bound.Port}");

        Assert.Equal(HttpStatusCode.OK, await StatusWithHost(loopback, null));
        // The machine's own name is one a user on the network would use.
        Assert.Equal(HttpStatusCode.OK, await StatusWithHost(loopback, $"{Dns.GetHostName()}:{bound.Port}"));
        Assert.Equal(HttpStatusCode.BadRequest, await StatusWithHost(loopback, $"rebind.example:{bound.Port}"));
    }

    [Fact]
    public async Task Writes_FromAnotherOrigin_Are403_FromTheOwnOriginOrWithoutOrigin_Work()
    {
        using var factory = new QtrackFactory(_root, allowWrites: true);
        var client = factory.CreateClient();
        const string runId = "0e852551e13f4da78524f547a2490b8f";
        var own = client.BaseAddress!.GetLeftPart(UriPartial.Authority);

        foreach (var origin in new[] { "http://evil.example", "null", own.Replace("http:", "https:", StringComparison.Ordinal), own + "1" })
        {
            var refused = await PostWithOrigin(client, $"/api/runs/{runId}/delete", origin);
            Assert.Equal(403, refused.Status);
            Assert.Equal("PERMISSION_DENIED", refused.Error);
            Assert.Contains($"Origin '{origin}' is not this UI's origin '{own}'", refused.Message);
            Assert.Equal(LifecycleStage.Active, new FileStore(_root).GetRun(runId).Info.LifecycleStage);
        }

        var same = await PostWithOrigin(client, $"/api/runs/{runId}/delete", own);
        Assert.Equal(200, same.Status);
        Assert.Equal(LifecycleStage.Deleted, new FileStore(_root).GetRun(runId).Info.LifecycleStage);
        var scripted = await PostWithOrigin(client, $"/api/runs/{runId}/restore", null);
        Assert.Equal(200, scripted.Status);
        Assert.Equal(LifecycleStage.Active, new FileStore(_root).GetRun(runId).Info.LifecycleStage);
        // Reads are never refused for their Origin (a page may link to the UI).
        using var read = new HttpRequestMessage(HttpMethod.Get, "/api/info") { Headers = { { "Origin", "http://evil.example" } } };
        using var readAnswer = await client.SendAsync(read);
        Assert.Equal(HttpStatusCode.OK, readAnswer.StatusCode);
    }

    private static async Task<HttpStatusCode> StatusWithHost(Uri baseUrl, string? host)
    {
        using var http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(20) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/info");
        if (host is not null) request.Headers.Host = host;
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    private static async Task<ApiAnswer> PostWithOrigin(HttpClient client, string url, string? origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json") };
        if (origin is not null) request.Headers.Add("Origin", origin);
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return new ApiAnswer((int)response.StatusCode, body, System.Text.Json.JsonDocument.Parse(body).RootElement.Clone());
    }
}
