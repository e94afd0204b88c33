using Qlib.Tracked.Stores;
using Qlib.Tracked.Stores.Rest;
using Qlib.Tracked.Client;

namespace Qlib.Tracked.Tests.Stores.Rest;

/// <summary>
/// Buffered logging (<see cref="RunLogBuffer"/>, what R.LogMetrics and Recorder use) against a tracking server that goes
/// away in the middle of a run and comes back: logging calls wait once the bounded buffer is full, the requests are
/// retried, and every point arrives exactly once. The server keeps points in MLflow's file store, which appends a
/// point sent twice, so a duplicate would show.
/// </summary>
public sealed class ServerOutageTests : IDisposable
{
    private const long T0 = 1_700_000_000_000;
    private readonly TempDirectory _temp = new();
    private readonly FileStore _backend;
    private readonly TestMlflowServer _server;

    public ServerOutageTests()
    {
        _backend = new FileStore(_temp.Combine("mlruns"), new FileStoreOptions { DefaultArtifactRoot = _temp.Combine("proxied") });
        _server = new TestMlflowServer(_backend, _temp.Combine("proxied"));
    }

    public void Dispose()
    {
        _server.Dispose();
        _backend.Dispose();
        _temp.Dispose();
    }

    private RestStore Open(int retries) => new(_server.Uri, new TrackingStoreOptions
    {
        Http = new RestClientSettings { MaxRetries = retries, BackoffFactor = 0.01, BackoffJitter = 0, MaxBackoff = TimeSpan.FromMilliseconds(100) },
    });

    [Fact]
    public void AServerThatGoesAwayAndComesBack_LosesAndDuplicatesNoPoint()
    {
        const int total = 6000;
        using var store = Open(retries: 300);
        var runId = store.CreateRun("0", null, T0, null, "outage").Info.RunId;
        var buffer = new RunLogBuffer(store, runId, capacity: 1000);
        for (var i = 0; i < 2000; i++) buffer.LogMetric("loss", i * 0.5, i, T0 + i);
        buffer.LogParam("lr", "0.1");
        buffer.Flush();

        _server.Stop();
        var logger = new Thread(() =>
        {
            for (var i = 2000; i < total; i++) buffer.LogMetric("loss", i * 0.5, i, T0 + i);
            buffer.SetTag("phase", "after-outage");
        }) { IsBackground = true };
        logger.Start();
        // 4,000 points cannot fit a 1,000-entry buffer while nothing can be written: the logging calls must wait.
        Assert.False(logger.Join(TimeSpan.FromSeconds(1.5)), "logging went on as if the points had been written");
        _server.Restart();
        Assert.True(logger.Join(TimeSpan.FromSeconds(20)), "logging did not resume after the server came back");
        buffer.Close();

        var history = store.GetMetricHistory(runId, "loss");
        Assert.Equal(total, history.Count);
        Assert.Equal(Enumerable.Range(0, total).Select(i => (long)i), history.Select(m => m.Step).Order());
        Assert.All(history, m => Assert.Equal(m.Step * 0.5, m.Value));
        var run = store.GetRun(runId);
        Assert.Equal("0.1", run.Data.Params["lr"]);
        Assert.Equal("after-outage", run.Data.Tags["phase"]);
    }

    [Fact]
    public void AServerThatStaysAway_IsReportedAtFlush_WithWhatWasNotWritten()
    {
        using var store = Open(retries: 2);
        var runId = store.CreateRun("0", null, T0, null, "gone").Info.RunId;
        var buffer = new RunLogBuffer(store, runId, capacity: 1000);
        _server.Stop();
        for (var i = 0; i < 500; i++) buffer.LogMetric("loss", i, i, T0 + i);
        var e = Assert.ThrowsAny<TrackingException>(buffer.Flush);
        Assert.Contains("queued metric/param/tag entries were not written", e.Message);
        Assert.Contains($"Could not reach MLflow tracking server {_server.Uri}", e.Message);
        // Nothing more is accepted silently once a write has failed.
        Assert.ThrowsAny<TrackingException>(() => buffer.LogMetric("loss", 1, 501, T0));
    }
}
