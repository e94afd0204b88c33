using Qlib.Tracked.Client;

namespace Qlib.Tracked.Tests.Tracking;

public class RunLogBufferTests
{
    private const string RunId = "0123456789abcdef0123456789abcdef";

    [Fact]
    public void LogMetric_2500Points_AllWrittenInOrder_InBatchesWithinLimits()
    {
        var store = new RecordingStore();
        var buffer = new RunLogBuffer(store, RunId);
        for (var i = 0; i < 2500; i++) buffer.LogMetric("loss", i, step: i);
        buffer.Flush();

        Assert.Equal(Enumerable.Range(0, 2500).Select(i => (double)i), store.Metrics.Select(m => m.Value));
        Assert.Equal(Enumerable.Range(0, 2500).Select(i => (long)i), store.Metrics.Select(m => m.Step));
        Assert.All(store.Batches, b => Assert.True(b.Metrics <= 1000));
    }

    [Fact]
    public void LogParam_250Params_SplitIntoBatchesOfAtMost100()
    {
        var store = new RecordingStore();
        var buffer = new RunLogBuffer(store, RunId, synchronous: false);
        store.DelayPerBatch = TimeSpan.FromMilliseconds(20); // let the queue build up
        for (var i = 0; i < 250; i++) buffer.LogParam($"p{i}", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        for (var i = 0; i < 250; i++) buffer.SetTag($"t{i}", "x");
        buffer.Flush();

        Assert.Equal(250, store.Params.Count);
        Assert.Equal(250, store.Tags.Count);
        Assert.All(store.Batches, b => Assert.True(b.Params <= 100 && b.Tags <= 100 && b.Metrics + b.Params + b.Tags <= 1000));
    }

    [Fact]
    public void LogParam_ChangedValue_ThrowsAtTheCall_SameValueIsANoOp()
    {
        var store = new RecordingStore();
        var buffer = new RunLogBuffer(store, RunId, new Dictionary<string, string> { ["lr"] = "0.1" });

        buffer.LogParam("lr", "0.1");
        var ex = Assert.Throws<TrackingException>(() => buffer.LogParam("lr", "0.2"));
        Assert.Equal(ErrorCode.InvalidParameterValue, ex.Code);
        Assert.Contains("key='lr'", ex.Message);
        Assert.Contains("'0.2'", ex.Message);

        buffer.LogParam("epochs", "3");
        Assert.Throws<TrackingException>(() => buffer.LogParam("epochs", "4"));
        buffer.Flush();
        Assert.Equal("3", store.Params["epochs"]);
        Assert.False(store.Params.ContainsKey("lr")); // known already: not rewritten
    }

    [Fact]
    public void InvalidKey_ThrowsSynchronously_AndNothingIsQueued()
    {
        var store = new RecordingStore();
        var buffer = new RunLogBuffer(store, RunId);
        var ex = Assert.Throws<TrackingException>(() => buffer.LogMetric("bad!name", 1));
        Assert.Equal(ErrorCode.InvalidParameterValue, ex.Code);
        Assert.Contains("bad!name", ex.Message);
        Assert.Throws<TrackingException>(() => buffer.LogParam("bad!name", "1"));
        Assert.Throws<TrackingException>(() => buffer.SetTag("bad!name", "1"));
        buffer.Flush();
        Assert.Empty(store.Batches);
    }

    [Fact]
    public void StoreFailure_SurfacesAtFlush_WithTheUnwrittenCount_ThenCallsFailFast()
    {
        // The writer is held until all ten are queued: otherwise it may fail between two calls, and the
        // later calls would (rightly) fail fast instead of queueing.
        using var hold = new ManualResetEventSlim(false);
        var store = new RecordingStore { FailWith = new IOException("disk gone"), Hold = hold };
        var buffer = new RunLogBuffer(store, RunId);
        for (var i = 0; i < 10; i++) buffer.LogMetric("m", i);
        hold.Set();

        var ex = Assert.Throws<TrackingException>(buffer.Flush);
        Assert.IsType<IOException>(ex.InnerException);
        Assert.Contains("10 queued metric/param/tag entries were not written", ex.Message);
        Assert.Contains("disk gone", ex.Message);

        // Later calls fail fast instead of queueing data that would be lost.
        var again = Assert.Throws<TrackingException>(() => buffer.LogMetric("m", 99));
        Assert.Contains("already failed", again.Message);
        Assert.Throws<TrackingException>(buffer.Flush);
        Assert.Throws<TrackingException>(buffer.Close);
    }

    [Fact]
    public void StoreLevelParamConflict_SurfacesAtFlush()
    {
        var store = new RecordingStore();
        store.Params["lr"] = "0.1"; // written by someone else; the buffer does not know it
        var buffer = new RunLogBuffer(store, RunId);
        buffer.LogParam("lr", "0.2");
        var ex = Assert.Throws<TrackingException>(buffer.Flush);
        Assert.Equal(ErrorCode.InvalidParameterValue, ex.Code);
        Assert.Contains("Changing param values is not allowed", ex.Message);
    }

    [Fact]
    public void FailureAfterSomeBatches_ReportsOnlyTheUnwrittenPart()
    {
        var store = new RecordingStore { FailWith = new IOException("full"), FailAfterBatches = 1, DelayPerBatch = TimeSpan.FromMilliseconds(5) };
        var buffer = new RunLogBuffer(store, RunId);
        buffer.LogMetrics(Enumerable.Range(0, 2500).Select(i => ($"m{i}", (double)i)).ToArray());
        var ex = Assert.Throws<TrackingException>(buffer.Flush);
        Assert.Equal(1000, store.Metrics.Count);
        Assert.Contains("1500 queued", ex.Message);
    }

    [Fact]
    public void Synchronous_WritesBeforeReturning_AndThrowsAtTheCall()
    {
        var store = new RecordingStore();
        var buffer = new RunLogBuffer(store, RunId, synchronous: true);
        buffer.LogMetric("a", 1);
        Assert.Single(store.Metrics);
        store.FailWith = new IOException("boom");
        Assert.Throws<TrackingException>(() => buffer.LogMetric("a", 2));
    }

    [Fact]
    public void Close_ThenLogging_IsInvalidState()
    {
        var buffer = new RunLogBuffer(new RecordingStore(), RunId);
        buffer.LogMetric("a", 1);
        buffer.Close();
        var ex = Assert.Throws<TrackingException>(() => buffer.LogMetric("a", 2));
        Assert.Equal(ErrorCode.InvalidState, ex.Code);
    }

    [Fact]
    public void SmallCapacity_SlowStore_CallersWait_AndNothingIsLost()
    {
        var store = new RecordingStore { DelayPerBatch = TimeSpan.FromMilliseconds(2) };
        var buffer = new RunLogBuffer(store, RunId, capacity: 1000);
        var threads = Enumerable.Range(0, 4).Select(t => new Thread(() =>
        {
            for (var i = 0; i < 5000; i++) buffer.LogMetric($"m{t}", i, step: i);
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        buffer.Flush();
        Assert.Equal(20_000, store.Metrics.Count);
        for (var t = 0; t < 4; t++)
            Assert.Equal(Enumerable.Range(0, 5000).Select(i => (long)i), store.Metrics.Where(m => m.Key == $"m{t}").Select(m => m.Step));
    }
}
