using Qlib.Tracked.Artifacts;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores;
using Qlib.Tracked.Tests.Stores.Rest;

namespace Qlib.Tracked.Cli.Tests;

/// <summary>
/// qtrack reading a tracking server (<c>--store http://…</c>, or <c>MLFLOW_TRACKING_URI</c>): a test MLflow server over
/// real HTTP on 127.0.0.1, in front of MLflow's SQL store, with proxied artifacts.
/// </summary>
public sealed class TrackingServerCommandTests : IDisposable
{
    private readonly TempStore _temp = new(copyFixture: false);
    private readonly SqlStore _backend;
    private readonly TestMlflowServer _server;
    private readonly string _runId;

    public TrackingServerCommandTests()
    {
        _backend = new SqlStore("sqlite:///" + _temp.Combine("mlflow.db"), new TrackingStoreOptions { DefaultArtifactRoot = _temp.Combine("proxied") });
        _server = new TestMlflowServer(_backend, _temp.Combine("proxied"));
        using var store = new RestStore(_server.Uri);
        var experiment = store.CreateExperiment("remote");
        _runId = store.CreateRun(experiment, "alice", 1_700_000_000_000, null, "remote-run").Info.RunId;
        store.LogBatch(_runId, [new Metric("loss", 0.5, 1_700_000_000_001, 0), new Metric("loss", 0.25, 1_700_000_000_002, 1)], [new Param("lr", "0.1")], []);
        store.UpdateRunInfo(_runId, RunStatus.Finished, 1_700_000_000_100, null);
        ArtifactObjects.Save(store.GetArtifactRepository(_runId), "notes/readme.txt", "from the server");
    }

    public void Dispose()
    {
        _server.Dispose();
        _backend.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public void RunsShowMetricsAndGet_ReadTheServer()
    {
        var runs = CliRunner.Run("runs", "--store", _server.Uri, "--experiment", "remote");
        Assert.Equal(0, runs.ExitCode);
        Assert.Contains(_runId, runs.Out);
        Assert.Contains("FINISHED", runs.Out);

        var metrics = CliRunner.Run("metrics", _runId, "loss", "--store", _server.Uri);
        Assert.Equal(0, metrics.ExitCode);
        Assert.Contains("0.25", metrics.Out);

        var show = CliRunner.Run("show", _runId, "--store", _server.Uri);
        Assert.Contains("notes/readme.txt", show.Out);

        var copy = _temp.Combine("readme.txt");
        Assert.Equal(0, CliRunner.Run("get", _runId, "notes/readme.txt", "--store", _server.Uri, "--out", copy).ExitCode);
        Assert.Equal("from the server", File.ReadAllText(copy));
    }

    [Fact]
    public void MlflowTrackingUri_NamesTheStore_WhenQlibsVariableIsNotSet()
    {
        var result = CliRunner.RunWithEnvironment(name => name == "MLFLOW_TRACKING_URI" ? _server.Uri : null, "experiments");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("remote", result.Out);
    }

    [Fact]
    public void AServerThatIsNotThere_IsAFailureNamingIt()
    {
        var uri = _server.Uri;
        _server.Stop();
        var result = CliRunner.RunWithEnvironment(name => name == "MLFLOW_HTTP_REQUEST_MAX_RETRIES" ? "0" : null, "runs", "--store", uri, "--experiment", "remote");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"Could not reach MLflow tracking server {uri}", result.Error);
    }
}
