using System.Text;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores;
using Qlib.Tracked.Tests.Stores.Rest;

namespace Qlib.Tracked.Web.Tests;

/// <summary>
/// <c>qtrack ui --store http://…</c>: the web API reading a tracking server (a test MLflow server over real HTTP on
/// 127.0.0.1, MLflow's SQL store behind it, proxied artifacts), read-only as over any store.
/// </summary>
public sealed class TrackingServerApiTests : IDisposable
{
    private readonly TempDirectory _folder = new();
    private readonly SqlStore _backend;
    private readonly TestMlflowServer _server;
    private readonly string _experimentId;
    private readonly string _runId;

    public TrackingServerApiTests()
    {
        _backend = new SqlStore("sqlite:///" + Path.Combine(_folder.Path, "mlflow.db"), new TrackingStoreOptions { DefaultArtifactRoot = Path.Combine(_folder.Path, "proxied") });
        _server = new TestMlflowServer(_backend, Path.Combine(_folder.Path, "proxied"));
        using var store = new RestStore(_server.Uri);
        _experimentId = store.CreateExperiment("served");
        _runId = store.CreateRun(_experimentId, "tester", 1_000, [], "remote").Info.RunId;
        store.LogBatch(_runId, [new Metric("loss", 0.7, 1_001, 0), new Metric("loss", 0.2, 1_002, 1)], [new Param("lr", "0.01")], []);
        store.UpdateRunInfo(_runId, RunStatus.Finished, 2_000, null);
        store.GetArtifactRepository(_runId).Write("plots/curve.txt", Encoding.UTF8.GetBytes("curve over http"));
    }

    public void Dispose()
    {
        _server.Dispose();
        _backend.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task Experiments_runs_history_and_artifacts_answer_from_the_server()
    {
        using var factory = new QtrackFactory(_server.Uri);
        using var client = factory.CreateClient();
        var experiments = await client.GetApiAsync("/api/experiments");
        Assert.Equal(200, experiments.Status);
        Assert.Contains("served", experiments.Json.GetProperty("experiments").EnumerateArray().Select(e => e.GetProperty("name").GetString()));

        var runs = await client.GetApiAsync($"/api/runs?experiment_ids={_experimentId}");
        Assert.Equal([_runId], runs.Json.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("run_id").GetString()!).ToArray());

        var history = await client.GetApiAsync($"/api/runs/{_runId}/metric-history?key=loss");
        Assert.Equal([0.7, 0.2], history.Json.GetProperty("history").EnumerateArray().Select(p => p.GetProperty("value").GetDouble()).ToArray());

        var artifacts = await client.GetApiAsync($"/api/runs/{_runId}/artifacts?path=plots");
        Assert.Equal(200, artifacts.Status);
        Assert.Contains("plots/curve.txt", artifacts.Body, StringComparison.Ordinal);
        using var download = await client.GetAsync($"/api/runs/{_runId}/artifacts/download?path=plots/curve.txt");
        Assert.Equal("curve over http", await download.Content.ReadAsStringAsync());
    }
}
