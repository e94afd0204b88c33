using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores;

namespace Qlib.Tracked.Tests;

/// <summary>
/// Large batches (512 points and more, several keys) are written as two halves of their keys on two threads:
/// every key's file still gets its points in batch order, and a failure in either half is reported as itself.
/// </summary>
public sealed class BatchAppendTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly FileStore _store;
    private readonly string _runId;

    public BatchAppendTests()
    {
        _store = new FileStore(_temp.Combine("mlruns"));
        _runId = _store.CreateRun(_store.CreateExperiment("batch"), "u", 1, null, "r").Info.RunId;
    }

    public void Dispose() => _temp.Dispose();

    private static Metric[] Batch(int size, int keys, int firstStep) =>
        [.. Enumerable.Range(0, size).Select(i => new Metric("k" + (i % keys), (firstStep + i) * 0.5, 1_700_000_000_000 + i, firstStep + i))];

    [Theory]
    [InlineData(1000, 10)]
    [InlineData(1000, 2)]
    [InlineData(600, 37)]
    [InlineData(511, 10)] // just under the threshold: one thread
    public void EveryKeysFile_HoldsItsPointsInBatchOrder_AcrossConsecutiveBatches(int size, int keys)
    {
        var first = Batch(size, keys, 0);
        var second = Batch(size, keys, size);
        _store.LogBatch(_runId, first, [], []);
        _store.LogBatch(_runId, second.ToList(), [], []); // a list as well as an array
        foreach (var key in first.Select(m => m.Key).Distinct())
        {
            var expected = first.Concat(second).Where(m => m.Key == key).ToList();
            Assert.Equal(expected, _store.GetMetricHistory(_runId, key));
        }
        Assert.Equal(keys, _store.GetRun(_runId).Data.Metrics.Count);
    }

    [Fact]
    public void A_key_that_cannot_be_written_in_either_half_fails_the_batch_with_its_own_error()
    {
        // A folder where k1's file (first half) or k8's file (second half) would be.
        foreach (var blocked in new[] { "k1", "k8" })
        {
            var runId = _store.CreateRun(_store.CreateExperiment("blocked-" + blocked), "u", 1, null, "r").Info.RunId;
            var metricsFolder = Path.Combine(_store.RootDirectory, _store.GetRun(runId).Info.ExperimentId, runId, "metrics");
            Directory.CreateDirectory(Path.Combine(metricsFolder, blocked, "inner"));
            var error = Assert.ThrowsAny<Exception>(() => _store.LogBatch(runId, Batch(1000, 10, 0), [], []));
            Assert.IsNotType<AggregateException>(error);
            Assert.Contains(blocked, error.Message);
        }
    }
}
