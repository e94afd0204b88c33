using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores.FileBacked;

namespace Qlib.Tracked.Tests;

/// <summary>A history is kept in 2,048-point chunks: indexing, counting and enumerating must not see the seams.</summary>
public sealed class MetricPointsTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2047)]
    [InlineData(2048)]
    [InlineData(2049)]
    [InlineData(20_000)]
    public void Points_come_back_in_the_order_added_by_index_and_by_enumeration(int count)
    {
        var points = new MetricPoints();
        var expected = Enumerable.Range(0, count).Select(i => new Metric("m", i * 0.5, 1_000 + i, i)).ToList();
        foreach (var point in expected) points.Add(point);

        Assert.Equal(count, points.Count);
        Assert.Equal(expected, points); // the struct enumerator, through IEnumerable<Metric>
        for (var i = 0; i < count; i++) Assert.Equal(expected[i], points[i]);
        var seen = 0;
        foreach (var point in points) Assert.Equal(expected[seen++], point);
        Assert.Equal(count, seen);
    }

    [Fact]
    public void An_index_outside_the_history_is_refused_with_the_count()
    {
        var points = new MetricPoints();
        points.Add(new Metric("m", 1, 1, 0));
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => points[1]);
        Assert.Contains("1 points", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => points[-1]);
    }
}
