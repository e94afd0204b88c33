using Qlib.Tracked.Frames;

namespace Qlib.Tracked.Backtest;

/// <summary>Qlib's <c>TopkDropoutStrategy</c> settings (qlib-semantics §4.4), with Qlib's defaults. Immutable; thread-safe.</summary>
public sealed record TopkDropoutOptions
{
    /// <summary>How many instruments to hold (Qlib's <c>topk</c>).</summary>
    public int Topk { get; init; } = 50;
    /// <summary>How many holdings to replace each day at most (Qlib's <c>n_drop</c>).</summary>
    public int NDrop { get; init; } = 5;
    /// <summary><c>bottom</c> or <c>random</c>.</summary>
    public string MethodSell { get; init; } = "bottom";
    /// <summary><c>top</c> or <c>random</c>.</summary>
    public string MethodBuy { get; init; } = "top";
    /// <summary>The minimum number of bars a stock is held before it may be sold (Qlib's <c>hold_thresh</c>).</summary>
    public int HoldThresh { get; init; } = 1;
    /// <summary>Whether ranking skips instruments that cannot be traded that day (suspended, or at the limit) (Qlib's <c>only_tradable</c>).</summary>
    public bool OnlyTradable { get; init; }
    /// <summary>Whether a stock at its up or down limit can be neither bought nor sold (true), or only not traded in the limit's direction (Qlib's <c>forbid_all_trade_at_limit</c>).</summary>
    public bool ForbidAllTradeAtLimit { get; init; } = true;
    /// <summary>The fraction of the cash spent on buys, split evenly between them (Qlib's <c>risk_degree</c>).</summary>
    public double RiskDegree { get; init; } = 0.95;
    /// <summary>Seed of the random methods (their draws do not reproduce numpy's).</summary>
    public int RandomSeed { get; init; }
}

/// <summary>
/// Qlib's <c>TopkDropoutStrategy.generate_trade_decision</c> for one daily step: ranks holdings and candidates by
/// the previous day's score, decides sells and buys, and returns the orders (sells, then buys).
/// </summary>
internal sealed class TopkDropoutStrategy
{
    private readonly Random _random;

    public TopkDropoutStrategy(TopkDropoutOptions options, SignalTable signal)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(signal);
        if (options.MethodSell is not ("bottom" or "random"))
            throw TrackingException.InvalidParameter($"method_sell '{options.MethodSell}' is not one of bottom, random.");
        if (options.MethodBuy is not ("top" or "random"))
            throw TrackingException.InvalidParameter($"method_buy '{options.MethodBuy}' is not one of top, random.");
        Options = options;
        Signal = signal;
        _random = new Random(options.RandomSeed);
    }

    public TopkDropoutOptions Options { get; }
    public SignalTable Signal { get; }

    /// <summary>The orders for trade day <paramref name="day"/> given <paramref name="position"/> (not changed).</summary>
    public List<Order> Generate(Exchange exchange, Position position, int day)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        ArgumentNullException.ThrowIfNull(position);
        var orders = new List<Order>();
        if (day < 1 || !Signal.TryGetDay(exchange.Market.Calendar[day - 1], out var signalDay)) return orders;
        var predCodes = signalDay.Instruments;
        var Score = signalDay.Score;
        bool Tradable(string code) => exchange.IsTradable(code, day);

        var temp = position.Clone();
        var current = temp.Instruments.ToArray();
        var last = SortByScore(current, Score);
        var lastSet = new HashSet<string>(last, StringComparer.Ordinal);
        var o = Options;

        List<string> today;
        var wanted = o.NDrop + o.Topk - last.Count;
        if (o.MethodBuy == "top")
        {
            // Without only_tradable just the first `wanted` of the ranking are used: select them rather than
            // rank all ~450 candidates (same order: the selection keeps the sort's tie and NaN rules).
            today = o.OnlyTradable
                ? FirstN(SortByScore(predCodes, signalDay.Scores, lastSet), wanted, Tradable)
                : wanted >= 0 ? TopByScore(predCodes, signalDay.Scores, lastSet, wanted)
                : PySliceHead(SortByScore(predCodes, signalDay.Scores, lastSet), wanted);
        }
        else
        {
            var topk = SortByScore(predCodes, Score);
            topk = PySliceHead(topk, o.Topk);
            var candidates = topk.Where(c => !lastSet.Contains(c)).ToList();
            if (o.OnlyTradable) candidates = candidates.Where(Tradable).ToList();
            today = Sample(candidates, wanted);
        }

        var comb = SortByScore(last.Concat(today).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray(), Score);
        HashSet<string> sell;
        if (o.MethodSell == "bottom")
        {
            var tail = new HashSet<string>(o.OnlyTradable ? LastN(comb, o.NDrop, Tradable) : PySliceTail(comb, o.NDrop), StringComparer.Ordinal);
            sell = new HashSet<string>(last.Where(tail.Contains), StringComparer.Ordinal);
        }
        else
        {
            var pool = o.OnlyTradable ? last.Where(Tradable).ToList() : last;
            sell = new HashSet<string>(Sample(pool, o.NDrop), StringComparer.Ordinal);
        }
        var buy = PySliceHead(today, sell.Count + o.Topk - last.Count);

        var cash = temp.Cash;
        foreach (var code in current)
        {
            var direction = o.ForbidAllTradeAtLimit ? (OrderDirection?)null : OrderDirection.Sell;
            if (!exchange.IsTradable(code, day, direction)) continue;
            if (!sell.Contains(code)) continue;
            if (temp.CountDay(code) < o.HoldThresh) continue;
            var order = new Order(code, day, temp.Amount(code), OrderDirection.Sell);
            orders.Add(order);
            var (_, value, cost) = exchange.DealOrder(order, temp);
            cash += value - cost;
        }

        var budget = buy.Count > 0 ? cash * o.RiskDegree / buy.Count : 0;
        foreach (var code in buy)
        {
            var direction = o.ForbidAllTradeAtLimit ? (OrderDirection?)null : OrderDirection.Buy;
            if (!exchange.IsTradable(code, day, direction)) continue;
            var price = exchange.DealPrice(code, day);
            var amount = exchange.RoundAmountByTradeUnit(budget / price, exchange.Factor(code, day));
            orders.Add(new Order(code, day, amount, OrderDirection.Buy));
        }
        return orders;
    }

    /// <summary>pandas' <c>sort_values(ascending=False)</c>: descending, NaN last; ties keep input order.</summary>
    private static List<string> SortByScore(IReadOnlyList<string> codes, Func<string, double> score)
    {
        var keyed = new (string Code, double Score, int Index)[codes.Count];
        for (var i = 0; i < keyed.Length; i++) keyed[i] = (codes[i], score(codes[i]), i);
        Array.Sort(keyed, static (a, b) =>
        {
            var an = double.IsNaN(a.Score);
            var bn = double.IsNaN(b.Score);
            if (an != bn) return an ? 1 : -1;
            if (!an && a.Score != b.Score) return b.Score.CompareTo(a.Score);
            return a.Index.CompareTo(b.Index);
        });
        var result = new List<string>(keyed.Length);
        foreach (var k in keyed) result.Add(k.Code);
        return result;
    }

    /// <summary>
    /// <see cref="SortByScore(IReadOnlyList{string}, Func{string, double})"/> of the instruments not in
    /// <paramref name="exclude"/>, with their scores taken from the parallel array (no lookup per instrument).
    /// </summary>
    private static List<string> SortByScore(string[] codes, double[] scores, HashSet<string> exclude)
    {
        var keyed = new List<(string Code, double Score, int Index)>(codes.Length);
        for (var i = 0; i < codes.Length; i++)
            if (!exclude.Contains(codes[i])) keyed.Add((codes[i], scores[i], keyed.Count));
        var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(keyed);
        span.Sort(static (a, b) =>
        {
            var an = double.IsNaN(a.Score);
            var bn = double.IsNaN(b.Score);
            if (an != bn) return an ? 1 : -1;
            if (!an && a.Score != b.Score) return b.Score.CompareTo(a.Score);
            return a.Index.CompareTo(b.Index);
        });
        var result = new List<string>(span.Length);
        foreach (var k in span) result.Add(k.Code);
        return result;
    }

    /// <summary>
    /// The first <paramref name="n"/> of <see cref="SortByScore(string[], double[], HashSet{string})"/>, found by
    /// keeping a sorted buffer of the best n seen so far (insertion; n is a handful on all but the first day).
    /// A candidate enters only when strictly better than the buffer's last, so among equal scores (and among
    /// NaNs, which rank last) the earlier row stays ahead, exactly as the stable full sort orders them.
    /// </summary>
    private static List<string> TopByScore(string[] codes, double[] scores, HashSet<string> exclude, int n)
    {
        var result = new List<string>(Math.Min(n, codes.Length));
        if (n == 0 || codes.Length == 0) return result;
        var best = new double[Math.Min(n, codes.Length)];
        var count = 0;
        for (var i = 0; i < codes.Length; i++)
        {
            var score = scores[i];
            if (count == best.Length && !RanksBefore(score, best[count - 1])) continue;
            if (exclude.Contains(codes[i])) continue;
            // Insert after every kept entry that this one does not strictly beat (stable for ties).
            var at = count == best.Length ? count - 1 : count;
            while (at > 0 && RanksBefore(score, best[at - 1])) at--;
            if (count < best.Length)
            {
                result.Add(codes[i]);
                count++;
            }
            for (var k = count - 1; k > at; k--)
            {
                best[k] = best[k - 1];
                result[k] = result[k - 1];
            }
            best[at] = score;
            result[at] = codes[i];
        }
        return result;
    }

    /// <summary>Strictly ahead in pandas' descending order with NaN last: a higher score, or any score before a NaN.</summary>
    private static bool RanksBefore(double a, double b) => double.IsNaN(b) ? !double.IsNaN(a) : a > b;

    /// <summary>Python's <c>li[:n]</c> (a negative n drops from the end).</summary>
    private static List<string> PySliceHead(List<string> li, int n) =>
        n >= 0 ? li.Take(n).ToList() : li.Take(Math.Max(0, li.Count + n)).ToList();

    /// <summary>Python's <c>li[-n:]</c> (n = 0 gives the whole list, as in Python).</summary>
    private static List<string> PySliceTail(List<string> li, int n)
    {
        var start = -n;
        if (start < 0) start += li.Count;
        start = Math.Clamp(start, 0, li.Count);
        if (n == 0) start = 0;
        return li.Skip(start).ToList();
    }

    /// <summary>Qlib's only_tradable <c>get_first_n</c>: tradable ones in order, stopping once n are taken (at least one is taken).</summary>
    private static List<string> FirstN(IEnumerable<string> li, int n, Func<string, bool> tradable)
    {
        var res = new List<string>();
        foreach (var code in li)
        {
            if (!tradable(code)) continue;
            res.Add(code);
            if (res.Count >= n) break;
        }
        return res;
    }

    private static List<string> LastN(List<string> li, int n, Func<string, bool> tradable)
    {
        var res = FirstN(Enumerable.Reverse(li), n, tradable);
        res.Reverse();
        return res;
    }

    private List<string> Sample(List<string> pool, int n)
    {
        if (n <= 0 || pool.Count == 0) return [];
        var copy = pool.ToArray();
        _random.Shuffle(copy);
        return copy.Take(Math.Min(n, copy.Length)).ToList();
    }
}
