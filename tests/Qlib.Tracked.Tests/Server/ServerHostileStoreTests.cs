using System.Text;
using Qlib.Tracked.TestCorpus;
using Qlib.Tracked.Web.Server;

namespace Qlib.Tracked.Tests.Server;

/// <summary>
/// <c>qtrack server</c>'s MLflow routes over every run of <see cref="HostileStoreCorpus"/>: each answer is a value or
/// a typed MLflow error body — never INTERNAL_ERROR (an exception the server did not expect), a crash, or an error
/// message naming a server path — and the healthy run reads back. A damaged run is the store's INVALID_STATE, which
/// MLflow's status table answers with HTTP 500. (Artifact locations in answers are the protocol's own data — clients
/// write there without <c>--serve-artifacts</c> — and are not redacted, as MLflow's server does not redact them.)
/// </summary>
public sealed class ServerHostileStoreTests : IDisposable
{
    private readonly HostileStoreCorpus _corpus = new();
    private readonly TempDirectory _temp = new();

    public void Dispose()
    {
        _corpus.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task EveryTrackingRoute_OverEveryRun_AnswersWithoutA500OrAServerPath()
    {
        using var server = ServerHost.Start(new TrackingServerOptions { BackendStoreUri = _corpus.Root, ArtifactsDestination = _temp.Combine("artifacts") });
        using var http = new HttpClient { BaseAddress = new Uri(server.Uri) };
        var problems = new List<string>();
        async Task<int> Send(HttpMethod method, string url, string? json = null, bool mustSucceed = false)
        {
            using var request = new HttpRequestMessage(method, "/api/2.0/mlflow/" + url);
            if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
            using var response = await http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            var status = (int)response.StatusCode;
            var typed = status < 500 || (status == 500 && body.Contains("\"error_code\":\"INVALID_STATE\"", StringComparison.Ordinal));
            if (!typed || (mustSucceed && status != 200)) problems.Add($"{method} {url}: {status}: {body[..Math.Min(300, body.Length)]}");
            if (status >= 400 && !body.Contains("\"error_code\"", StringComparison.Ordinal)) problems.Add($"{method} {url}: {status} without MLflow's error body");
            if (status >= 400 && body.Contains(_corpus.Folder, StringComparison.Ordinal)) problems.Add($"{method} {url}: its error names a server path");
            return status;
        }

        await Send(HttpMethod.Post, "experiments/search", "{\"view_type\": \"ALL\", \"max_results\": 1000}", mustSucceed: true);
        await Send(HttpMethod.Get, $"experiments/get?experiment_id={_corpus.ExperimentId}", mustSucceed: true);
        await Send(HttpMethod.Get, $"experiments/get?experiment_id={_corpus.MarkupExperimentId}");
        await Send(HttpMethod.Post, "runs/search", $"{{\"experiment_ids\": [\"{_corpus.ExperimentId}\"], \"run_view_type\": \"ALL\", \"max_results\": 1000}}", mustSucceed: true);
        await Send(HttpMethod.Post, "runs/search", $"{{\"experiment_ids\": [\"{_corpus.ExperimentId}\"], \"order_by\": [\"metrics.loss DESC\"], \"filter\": \"params.p != 'x'\"}}", mustSucceed: true);
        await Send(HttpMethod.Get, $"runs/get?run_id={_corpus.HealthyRunId}", mustSucceed: true);
        foreach (var runId in _corpus.AllRunIds)
        {
            await Send(HttpMethod.Get, $"runs/get?run_id={runId}");
            foreach (var key in new[] { "loss", "folder-metric", "huge" }) await Send(HttpMethod.Get, $"metrics/get-history?run_id={runId}&metric_key={key}");
            await Send(HttpMethod.Get, $"artifacts/list?run_id={runId}");
            await Send(HttpMethod.Get, $"artifacts/list?run_id={runId}&path=loop");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }
}
