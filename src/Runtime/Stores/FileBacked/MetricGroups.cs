using System.Buffers;
using System.Runtime.InteropServices;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Validation;

namespace Qlib.Tracked.Stores.FileBacked;

/// <summary>
/// A batch's metric points grouped by key, stable (file order = batch order), each distinct key checked
/// once against the key rules (which keep paths inside the store) and every timestamp checked, before
/// anything is written.
/// </summary>
/// <remarks>
/// Batches repeat a few keys as the same string objects, so keys are matched by reference first, then by
/// value, in a short array; a dictionary takes over past <see cref="LinearScanLimit"/> distinct keys.
/// </remarks>
internal sealed class MetricGroups : IDisposable
{
    public const int LinearScanLimit = 16;

    private readonly List<string> _keys;
    private readonly int[] _starts;
    private int[]? _order;

    private MetricGroups(List<string> keys, int[] starts, int[]? order)
    {
        _keys = keys;
        _starts = starts;
        _order = order;
    }

    /// <summary>Distinct keys, in order of first appearance.</summary>
    public int Count => _keys.Count;

    /// <summary>Point indices sorted by group (<c>null</c> when there is one group: the batch order itself).</summary>
    public int[]? Order => _order;

    public string Key(int group) => _keys[group];

    /// <summary>Where group <paramref name="group"/> starts in <see cref="Order"/>; <c>Start(Count)</c> is the point count.</summary>
    public int Start(int group) => _starts[group];

    /// <summary>The points as a span without copying when they are an array or a list.</summary>
    public static ReadOnlySpan<Metric> AsSpan(IReadOnlyList<Metric> metrics) => metrics switch
    {
        Metric[] array => array,
        List<Metric> list => CollectionsMarshal.AsSpan(list),
        _ => metrics.ToArray(),
    };

    public static MetricGroups Build(ReadOnlySpan<Metric> metrics, ValidatedKeyCache validated)
    {
        var count = metrics.Length;
        var keys = new List<string>();
        Dictionary<string, int>? groupOf = null;
        var groupIds = ArrayPool<int>.Shared.Rent(count);
        try
        {
            var last = -1;
            for (var i = 0; i < count; i++)
            {
                ref readonly var metric = ref metrics[i];
                MlflowValidation.ValidateMetric(metric);
                var key = metric.Key;
                if (last < 0 || !ReferenceEquals(keys[last], key)) last = FindOrAdd(keys, ref groupOf, key, validated);
                groupIds[i] = last;
            }
            var groups = keys.Count;
            var starts = new int[groups + 1];
            if (groups == 1)
            {
                starts[1] = count;
                return new MetricGroups(keys, starts, null);
            }
            // Counting sort of point indices by group (stable).
            for (var i = 0; i < count; i++) starts[groupIds[i] + 1]++;
            for (var g = 1; g <= groups; g++) starts[g] += starts[g - 1];
            var next = groups <= 64 ? stackalloc int[groups] : new int[groups];
            starts.AsSpan(0, groups).CopyTo(next);
            var order = ArrayPool<int>.Shared.Rent(count);
            for (var i = 0; i < count; i++) order[next[groupIds[i]]++] = i;
            return new MetricGroups(keys, starts, order);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(groupIds);
        }
    }

    private static int FindOrAdd(List<string> keys, ref Dictionary<string, int>? groupOf, string key, ValidatedKeyCache validated)
    {
        if (groupOf is not null)
        {
            if (key is not null && groupOf.TryGetValue(key, out var found)) return found;
        }
        else
        {
            var span = CollectionsMarshal.AsSpan(keys);
            for (var g = 0; g < span.Length; g++)
            {
                if (ReferenceEquals(span[g], key)) return g;
            }
            for (var g = 0; g < span.Length; g++)
            {
                if (string.Equals(span[g], key, StringComparison.Ordinal)) return g;
            }
        }
        validated.ValidateMetricKey(key!); // throws on a bad (or null) key: nothing has been written yet
        keys.Add(key!);
        if (groupOf is not null)
        {
            groupOf[key!] = keys.Count - 1;
        }
        else if (keys.Count > LinearScanLimit)
        {
            groupOf = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var g = 0; g < keys.Count; g++) groupOf[keys[g]] = g;
        }
        return keys.Count - 1;
    }

    public void Dispose()
    {
        if (_order is not null) ArrayPool<int>.Shared.Return(_order);
        _order = null;
    }
}
