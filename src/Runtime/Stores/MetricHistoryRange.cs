using Qlib.Tracked.Entities;

namespace Qlib.Tracked.Stores;

/// <summary>The argument rules and the in-memory fallback of <see cref="ITrackingStore.GetMetricHistory(string, string, int, int)"/>.</summary>
internal static class MetricHistoryRange
{
    /// <summary>Refuses a negative offset or page size with INVALID_PARAMETER_VALUE naming the value.</summary>
    public static void Validate(int offset, int maxPoints)
    {
        if (offset < 0)
            throw TrackingException.InvalidParameter($"Invalid metric history offset {offset}: it must be 0 or more.");
        if (maxPoints < 0)
            throw TrackingException.InvalidParameter($"Invalid metric history page size {maxPoints}: it must be 0 or more.");
    }

    /// <summary>The points [offset, offset + maxPoints) of a whole history, clipped to its end.</summary>
    public static IReadOnlyList<Metric> Slice(IReadOnlyList<Metric> all, int offset, int maxPoints)
    {
        var end = (int)Math.Min((long)offset + maxPoints, all.Count);
        if (offset == 0 && end == all.Count) return all;
        var page = new List<Metric>(Math.Max(0, end - offset));
        for (var i = offset; i < end; i++) page.Add(all[i]);
        return page;
    }
}
