using Qlib.Tracked.Entities;
using Qlib.Tracked.Client;

namespace Qlib.Tracked.Tests.Tracking;

public class BatchLimitsTests
{
    [Theory]
    [InlineData(0, 0, 0, 0)]
    [InlineData(1000, 0, 0, 1)]
    [InlineData(1001, 0, 0, 2)]
    [InlineData(950, 100, 100, 2)]
    [InlineData(0, 250, 0, 3)]
    [InlineData(2500, 150, 30, 3)]
    public void Split_RespectsMlflowLimits_AndCoversEverythingInOrder(int metrics, int parameters, int tags, int expectedBatches)
    {
        var m = Enumerable.Range(0, metrics).Select(i => new Metric("m", i, 0, i)).ToArray();
        var p = Enumerable.Range(0, parameters).Select(i => new Param($"p{i}", "v")).ToArray();
        var t = Enumerable.Range(0, tags).Select(i => new RunTag($"t{i}", "v")).ToArray();
        var batches = BatchLimits.Split(m, m.Length, p, p.Length, t, t.Length).ToList();

        Assert.Equal(expectedBatches, batches.Count);
        Assert.All(batches, b =>
        {
            Assert.InRange(b.Metrics.Count, 0, BatchLimits.MaxMetrics);
            Assert.InRange(b.Params.Count, 0, BatchLimits.MaxParams);
            Assert.InRange(b.Tags.Count, 0, BatchLimits.MaxTags);
            Assert.InRange(b.Metrics.Count + b.Params.Count + b.Tags.Count, 1, BatchLimits.MaxEntries);
        });
        Assert.Equal(m, batches.SelectMany(b => b.Metrics));
        Assert.Equal(p, batches.SelectMany(b => b.Params));
        Assert.Equal(t, batches.SelectMany(b => b.Tags));
    }
}
