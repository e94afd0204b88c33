using Qlib.Tracked.TestCorpus;

namespace Qlib.Tracked.Web.Tests;

/// <summary>
/// Every web route that reads an artifact (listing, download, preview, record curves) over the crafted runs of
/// <see cref="EscapingArtifactStore"/>: 403 PERMISSION_DENIED, no secret and no server path in the answer; the run
/// itself still shows; a root the user configured is served.
/// </summary>
public sealed class ArtifactRootConfinementTests : IDisposable
{
    private readonly EscapingArtifactStore _corpus = new();

    public void Dispose() => _corpus.Dispose();

    [Fact]
    public async Task EveryArtifactRoute_RefusesEveryEscapingRun()
    {
        using var factory = new QtrackFactory(_corpus.Root);
        var client = factory.CreateClient();
        var secret = Uri.EscapeDataString(EscapingArtifactStore.SecretName);
        foreach (var (escape, runId) in _corpus.EscapingRuns)
        {
            foreach (var url in new[]
            {
                $"/api/runs/{runId}/artifacts",
                $"/api/runs/{runId}/artifacts/download?path={secret}",
                $"/api/runs/{runId}/artifacts/preview?path={secret}",
                $"/api/runs/{runId}/records",
            })
            {
                using var response = await client.GetAsync(url);
                var body = await response.Content.ReadAsStringAsync();
                Assert.True((int)response.StatusCode == 403, $"{escape}: {url} answered {(int)response.StatusCode}: {body}");
                Assert.Contains("\"error_code\":\"PERMISSION_DENIED\"", body);
                Assert.Contains(runId, body);
                Assert.DoesNotContain(EscapingArtifactStore.Secret, body);
                Assert.DoesNotContain(_corpus.Folder, body);
            }
            var run = await client.GetApiAsync($"/api/runs/{runId}");
            Assert.Equal(200, run.Status);
        }
    }

    [Fact]
    public async Task AConfiguredRoot_IsServed_AndOrdinaryRunsStillAre()
    {
        using var factory = new QtrackFactory(_corpus.Root, artifactRoot: _corpus.ExternalLocation);
        var client = factory.CreateClient();
        Assert.Equal("external model", await client.GetStringAsync($"/api/runs/{_corpus.ExternalRunId}/artifacts/download?path=model.txt"));
        Assert.Equal("fine", await client.GetStringAsync($"/api/runs/{_corpus.InsideRunId}/artifacts/download?path=inside.txt"));
        using var other = await client.GetAsync($"/api/runs/{_corpus.EscapingRuns["plain path outside"]}/artifacts/download?path={EscapingArtifactStore.SecretName}");
        Assert.Equal(403, (int)other.StatusCode);
    }
}
