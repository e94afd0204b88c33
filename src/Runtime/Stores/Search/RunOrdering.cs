using Qlib.Tracked.Entities;
using Qlib.Tracked.Search;

namespace Qlib.Tracked.Stores.Search;

/// <summary>
/// MLflow's run order (reference §3): the order_by clauses (<c>&lt;identifier&gt; [ASC|DESC]</c>) in turn, then
/// the natural order start_time DESC, run_id ASC — what MLflow gets from stable sorts applied from the last
/// clause to the first. Missing values sort last in both directions; NaN metrics after numbers but before
/// missing values in both directions; params, tags and string attributes compare ordinally as strings
/// (<c>'10' &lt; '9'</c>).
/// Immutable once parsed; thread-safe.
/// </summary>
public sealed class RunOrdering : IComparer<Run>
{
    private readonly OrderKey[] _keys;

    private RunOrdering(OrderKey[] keys) => _keys = keys;

    /// <summary>No clause: start_time DESC, run_id ASC.</summary>
    public static RunOrdering Natural { get; } = new([]);

    /// <summary>Parses the clauses; INVALID_PARAMETER_VALUE naming the bad clause, key or direction.</summary>
    public static RunOrdering Parse(IReadOnlyList<string>? orderBy)
    {
        if (orderBy is null || orderBy.Count == 0) return Natural;
        var keys = new OrderKey[orderBy.Count];
        for (var i = 0; i < keys.Length; i++)
        {
            var text = orderBy[i] ?? "";
            var parsed = SearchFilterParser.ParseOrderBy(text, SearchTarget.Runs);
            SearchErrors.ThrowIfInvalid(parsed, text, "order_by clause");
            keys[i] = OrderKey.For(parsed.Order!);
        }
        return new RunOrdering(keys);
    }

    /// <inheritdoc/>
    public int Compare(Run? x, Run? y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        foreach (var key in _keys)
        {
            var c = key.Compare(key.Extract(x), key.Extract(y));
            if (c != 0) return c;
        }
        return NaturalOrder(x.Info, y.Info);
    }

    private static int NaturalOrder(RunInfo x, RunInfo y)
    {
        var byStart = y.StartTime.CompareTo(x.StartTime);
        return byStart != 0 ? byStart : string.CompareOrdinal(x.RunId, y.RunId);
    }

    /// <summary>
    /// Sorts <paramref name="runs"/> in place. Each clause's value is read once per run (not once per
    /// comparison), and equal runs keep their input order, so the result does not depend on the sort algorithm.
    /// </summary>
    public void Sort(List<Run> runs) => SortTop(runs, int.MaxValue);

    /// <summary>
    /// Puts the first <paramref name="count"/> runs of the full order, in order, at the front of
    /// <paramref name="runs"/>; the rest follow in no particular order. The order is total (ties fall back to the
    /// input position), so the front is exactly what <see cref="Sort"/> gives. When count ≪ runs, a bounded
    /// heap keeps it O(n log count) instead of sorting everything.
    /// </summary>
    public void SortTop(List<Run> runs, int count)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (runs.Count < 2 || count == 0) return;
        var rows = new SortRow[runs.Count];
        for (var r = 0; r < rows.Length; r++) rows[r] = Row(runs[r]);
        var order = TopOrder(rows, count);
        var snapshot = runs.ToArray();
        for (var i = 0; i < order.Length; i++) runs[i] = snapshot[order[i]];
    }

    /// <summary>What ordering needs of one run, read once: each clause's value and the run info (natural order).</summary>
    internal SortRow Row(IRunFacts run)
    {
        if (_keys.Length == 0) return new SortRow(run.Info, []);
        var values = new SortValue[_keys.Length];
        for (var k = 0; k < values.Length; k++) values[k] = _keys[k].Extract(run);
        return new SortRow(run.Info, values);
    }

    /// <summary>
    /// Row positions with the first <paramref name="count"/> of the full order, in order, at the front and the
    /// rest after them in no particular order. Ties fall back to the position, so the order is total.
    /// </summary>
    internal int[] TopOrder(SortRow[] rows, int count)
    {
        int CompareAt(int a, int b)
        {
            var x = rows[a];
            var y = rows[b];
            for (var k = 0; k < _keys.Length; k++)
            {
                var c = _keys[k].Compare(x.Values[k], y.Values[k]);
                if (c != 0) return c;
            }
            var n = NaturalOrder(x.Info, y.Info);
            return n != 0 ? n : a.CompareTo(b);
        }
        int[] order;
        if (count >= rows.Length / 4)
        {
            order = new int[rows.Length];
            for (var i = 0; i < order.Length; i++) order[i] = i;
            Array.Sort(order, CompareAt);
            return order;
        }
        // Max-heap (by the run order) of the best `count` seen so far: its root is the worst kept.
        var heap = new PriorityQueue<int, int>(count + 1, Comparer<int>.Create((a, b) => CompareAt(b, a)));
        for (var i = 0; i < rows.Length; i++)
        {
            if (heap.Count < count) heap.Enqueue(i, i);
            else if (CompareAt(i, heap.Peek()) < 0) heap.EnqueueDequeue(i, i);
        }
        var top = new int[heap.Count];
        for (var i = 0; i < top.Length; i++) top[i] = heap.Dequeue();
        Array.Sort(top, CompareAt);
        var kept = new HashSet<int>(top);
        order = new int[rows.Length];
        top.CopyTo(order, 0);
        var next = top.Length;
        for (var i = 0; i < rows.Length; i++)
        {
            if (!kept.Contains(i)) order[next++] = i;
        }
        return order;
    }

    private sealed class OrderKey(Func<IRunFacts, SortValue> extract, bool numeric, bool descending)
    {
        public SortValue Extract(IRunFacts run) => extract(run);

        public static OrderKey For(SearchOrderClause clause)
        {
            var key = clause.Key;
            switch (clause.Type)
            {
                case SearchKeyType.Metric:
                    return new OrderKey(run => run.TryGetMetric(key, out var m) ? new SortValue(true, m.Value, null) : default, true, clause.Descending);
                case SearchKeyType.Param:
                    return new OrderKey(run => run.TryGetParam(key, out var v) ? new SortValue(true, 0, v) : default, false, clause.Descending);
                case SearchKeyType.Tag:
                    return new OrderKey(run => run.TryGetTag(key, out var v) ? new SortValue(true, 0, v) : default, false, clause.Descending);
                default:
                    if (key is "start_time" or "end_time")
                    {
                        var time = RunAttributes.TimeReader(key);
                        return new OrderKey(run => time(run.Info) is { } t ? new SortValue(true, t, null) : default, true, clause.Descending);
                    }
                    var read = RunAttributes.StringReader(key);
                    return new OrderKey(run => read(run.Info) is { } s ? new SortValue(true, 0, s) : default, false, clause.Descending);
            }
        }

        /// <summary>Rank 0 = a value, 1 = NaN, 2 = missing; ranks ascend whatever the direction.</summary>
        public int Compare(SortValue a, SortValue b)
        {
            var rankA = Rank(a);
            var rankB = Rank(b);
            if (rankA != rankB) return rankA.CompareTo(rankB);
            if (rankA != 0) return 0;
            var c = numeric ? a.Number.CompareTo(b.Number) : string.CompareOrdinal(a.Text, b.Text);
            return descending ? -c : c;
        }

        private int Rank(SortValue v) => !v.Present ? 2 : numeric && double.IsNaN(v.Number) ? 1 : 0;
    }
}

/// <summary>A clause's value for one run: a number (NaN allowed), a string, or missing.</summary>
internal readonly record struct SortValue(bool Present, double Number, string? Text);

/// <summary>One run as ordering sees it: its info (for the natural order) and each clause's value.</summary>
internal readonly record struct SortRow(RunInfo Info, SortValue[] Values);
