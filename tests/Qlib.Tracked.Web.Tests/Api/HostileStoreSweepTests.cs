using Qlib.Tracked.TestCorpus;

namespace Qlib.Tracked.Web.Tests;

/// <summary>
/// Every web route over every run of <see cref="HostileStoreCorpus"/>: a JSON answer that is a value or a 4xx error,
/// never a 500; pages that list many runs (runs table, compare) still answer 200 and skip what they cannot read.
/// </summary>
public sealed class HostileStoreSweepTests : IDisposable
{
    private readonly HostileStoreCorpus _corpus = new();

    public void Dispose() => _corpus.Dispose();

    [Fact]
    public async Task EveryRoute_OverEveryRun_AnswersWithoutA500()
    {
        using var factory = new QtrackFactory(_corpus.Root);
        var client = factory.CreateClient();
        var problems = new List<string>();
        async Task<int> Get(string url, bool mustSucceed = false)
        {
            using var response = await client.GetAsync(url);
            var body = await response.Content.ReadAsStringAsync();
            var status = (int)response.StatusCode;
            if (status >= 500 || (mustSucceed && status != 200)) problems.Add($"{url}: {status}: {body[..Math.Min(300, body.Length)]}");
            if (body.Contains(_corpus.Folder, StringComparison.Ordinal))
            {
                var at = body.IndexOf(_corpus.Folder, StringComparison.Ordinal);
                problems.Add($"{url}: names a server path: …{body[Math.Max(0, at - 200)..Math.Min(body.Length, at + 200)]}…");
            }
            return status;
        }

        await Get("/api/info", mustSucceed: true);
        await Get("/api/experiments?view=all", mustSucceed: true);
        await Get($"/api/experiments/{_corpus.ExperimentId}", mustSucceed: true);
        await Get($"/api/runs?experiment_ids={_corpus.ExperimentId}&view=all&max_results=1000", mustSucceed: true);
        await Get($"/api/runs?experiment_ids={_corpus.ExperimentId}&order_by=metrics.loss%20DESC&columns=metrics.loss,params.p,tags.t", mustSucceed: true);
        await Get("/api/runs", mustSucceed: true);
        await Get($"/api/compare?run_ids={string.Join(',', _corpus.AllRunIds.Take(20))}", mustSucceed: true);
        foreach (var runId in _corpus.AllRunIds)
        {
            await Get($"/api/runs/{runId}");
            await Get($"/api/runs/{runId}/metric-history?key=loss");
            await Get($"/api/runs/{runId}/metric-history?key=folder-metric");
            await Get($"/api/runs/{runId}/metric-history?key=huge");
            await Get($"/api/runs/{runId}/records");
            await Get($"/api/runs/{runId}/artifacts");
            await Get($"/api/runs/{runId}/artifacts?path=loop");
            await Get($"/api/runs/{runId}/artifacts/preview?path=loop");
            // A damaged run is left out of a comparison with a warning; one with no meta.yaml file at all is no run (404).
            if (runId != _corpus.HealthyRunId && await Get($"/api/compare?run_ids={_corpus.HealthyRunId},{runId}") is not (200 or 404))
                problems.Add($"comparing with '{runId}' was refused");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }
}
