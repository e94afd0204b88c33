using Qlib.Tracked.Backtest;
using Qlib.Tracked.Frames;

namespace Qlib.Tracked.Benchmarks.Records;

/// <summary>
/// The in-run baseline for the backtest: TopkDropout(topk, n_drop) with PortAnaRecord's defaults (method bottom/top,
/// hold_thresh 1, forbid_all_trade_at_limit, risk_degree 0.95, close deal price, cn costs, unit 100 with the factor)
/// written the straightforward way — quotes as row objects in a dictionary keyed by (date, instrument), the signal
/// as a LINQ lookup by date, holdings as row objects, rankings with LINQ <c>OrderBy</c>. It follows the same rules
/// as <see cref="DailyBacktest"/> (qlib-semantics §4.4–4.5), so its report must equal the library's (checked in setup).
/// </summary>
public sealed class RowObjectBacktest
{
    private sealed class HoldingRow
    {
        public required string Code;
        public double Amount;
        public double Price;
        public int CountDay;
        public HoldingRow Copy() => (HoldingRow)MemberwiseClone();
    }

    private sealed record OrderRow(string Code, double Amount, bool IsBuy);

    private sealed record PredRow(DateTime Datetime, string Instrument, double Score);

    public sealed record ReportRow(DateTime Datetime, double Account, double Return, double Cost, double Turnover, double Bench, int Orders);

    private const int Topk = 50, NDrop = 5;
    private const double RiskDegree = 0.95, OpenCost = 0.0005, CloseCost = 0.0015, MinCost = 5, Unit = 100;
    private const float Limit = 0.095f;

    private readonly Dictionary<(DateTime, string), MarketRow> _quotes;
    private readonly ILookup<DateTime, PredRow> _signal;
    private readonly List<DateTime> _calendar;

    internal RowObjectBacktest(List<MarketRow> rows, PredictionFrame pred)
    {
        // Prices as Qlib stores them: float32.
        _quotes = rows.Select(r => r with
        {
            Open = (float)r.Open, Close = (float)r.Close, High = (float)r.High, Low = (float)r.Low,
            Volume = (float)r.Volume, Factor = (float)r.Factor, Change = (float)r.Change,
        }).ToDictionary(r => (r.Datetime, r.Instrument));
        _calendar = rows.Select(r => r.Datetime).Distinct().Order().ToList();
        _signal = Enumerable.Range(0, pred.RowCount).Select(i => new PredRow(pred.Datetime[i], pred.Instrument[i], pred.Score[i])).ToLookup(p => p.Datetime);
    }

    public List<ReportRow> Run(DateTime start, DateTime end, double account, string benchmark)
    {
        var holdings = new List<HoldingRow>();
        var cash = account;
        var report = new List<ReportRow>();
        var lastValue = account;
        foreach (var (date, t) in _calendar.Select((d, i) => (d, i)).Where(p => p.d >= start && p.d <= end))
        {
            var scores = _signal[_calendar[t - 1]].ToDictionary(p => p.Instrument, p => p.Score);
            var orders = scores.Count == 0 ? [] : Decide(date, holdings, cash, scores);
            double cost = 0, turnover = 0;
            foreach (var order in orders)
            {
                var (value, fee) = Deal(date, order, holdings, ref cash);
                cost += fee;
                turnover += value;
            }
            foreach (var h in holdings)
            {
                if (!Suspended(date, h.Code)) h.Price = Quote(date, h.Code).Close;
                h.CountDay++;
            }
            var stock = holdings.Sum(h => h.Amount * h.Price);
            var now = stock + cash;
            report.Add(new ReportRow(date, now, (now - lastValue + cost) / lastValue, cost / lastValue, turnover / lastValue,
                Bench(date, _calendar[t - 1], benchmark), orders.Count));
            lastValue = now;
        }
        return report;
    }

    private List<OrderRow> Decide(DateTime date, List<HoldingRow> holdings, double cash, Dictionary<string, double> scores)
    {
        double Score(string code) => scores.TryGetValue(code, out var s) ? s : double.NaN;
        var last = holdings.Select(h => h.Code).OrderBy(c => double.IsNaN(Score(c))).ThenByDescending(Score).ToList();
        var today = scores.Keys.Where(c => !last.Contains(c)).OrderBy(c => double.IsNaN(Score(c))).ThenByDescending(Score)
            .ToList();
        today = PyHead(today, NDrop + Topk - last.Count);
        var comb = last.Concat(today).Distinct().Order(StringComparer.Ordinal)
            .OrderBy(c => double.IsNaN(Score(c))).ThenByDescending(Score).ToList();
        var tail = comb.Skip(Math.Max(0, comb.Count - NDrop)).ToList();
        var sell = last.Where(tail.Contains).ToList();
        var buy = PyHead(today, sell.Count + Topk - last.Count);

        // The sells are dealt on a copy to learn the cash the buys may spend.
        var orders = new List<OrderRow>();
        var copy = holdings.Select(h => h.Copy()).ToList();
        foreach (var h in holdings.Where(h => Tradable(date, h.Code) && sell.Contains(h.Code) && h.CountDay >= 1))
        {
            var order = new OrderRow(h.Code, h.Amount, IsBuy: false);
            orders.Add(order);
            Deal(date, order, copy, ref cash);
        }
        var budget = buy.Count > 0 ? cash * RiskDegree / buy.Count : 0;
        foreach (var code in buy.Where(c => Tradable(date, c)))
        {
            var q = Quote(date, code);
            orders.Add(new OrderRow(code, Round(budget / q.Close, q.Factor), IsBuy: true));
        }
        return orders;
    }

    private (double Value, double Cost) Deal(DateTime date, OrderRow order, List<HoldingRow> holdings, ref double cash)
    {
        var q = Quote(date, order.Code);
        var price = q.Close;
        var held = holdings.FirstOrDefault(h => h.Code == order.Code);
        var amount = order.Amount;
        double rate;
        if (!order.IsBuy)
        {
            rate = CloseCost;
            var current = held?.Amount ?? 0;
            if (!IsClose(amount, current)) amount = Round(Math.Min(current, amount), q.Factor);
            if (cash + amount * price < Math.Max(amount * price * rate, MinCost)) amount = 0;
        }
        else
        {
            rate = OpenCost;
            var value = amount * price;
            if (cash < Math.Max(value * rate, MinCost)) amount = 0;
            else if (cash < value + Math.Max(value * rate, MinCost))
            {
                var max = cash < MinCost ? 0 : cash >= MinCost / rate + MinCost ? cash / (1 + rate) / price : (cash - MinCost) / price;
                amount = Round(Math.Min(max, amount), q.Factor);
            }
            else amount = Round(amount, q.Factor);
        }
        var tradeValue = amount * price;
        var cost = tradeValue <= 1e-5 ? 0 : Math.Max(tradeValue * rate, MinCost);
        if (tradeValue <= 1e-5) return (tradeValue, cost);
        var shares = tradeValue / price;
        if (order.IsBuy)
        {
            if (held is null) holdings.Add(new HoldingRow { Code = order.Code, Amount = shares, Price = price });
            else held.Amount += shares;
            cash -= tradeValue + cost;
        }
        else
        {
            if (IsClose(held!.Amount, shares)) holdings.Remove(held);
            else held.Amount -= shares;
            cash += tradeValue - cost;
        }
        return (tradeValue, cost);
    }

    private MarketRow Quote(DateTime date, string code) => _quotes[(date, code)];

    private bool Suspended(DateTime date, string code) => !_quotes.TryGetValue((date, code), out var q) || double.IsNaN(q.Close);

    private bool Tradable(DateTime date, string code) =>
        !Suspended(date, code) && (float)Quote(date, code).Change is var c && !(c >= Limit) && !(c <= -Limit);

    private double Bench(DateTime date, DateTime previous, string benchmark)
    {
        var b = (float)Quote(date, benchmark).Close / (float)Quote(previous, benchmark).Close - 1f;
        if (float.IsNaN(b)) b = 0f;
        return (1f + b) - 1f;
    }

    private static double Round(double amount, double factor) =>
        double.IsNaN(factor) ? amount : Math.Floor((amount * factor + 0.1) / Unit) * Unit / factor;

    /// <summary>Python's <c>li[:n]</c>: a negative n drops from the end.</summary>
    private static List<string> PyHead(List<string> li, int n) => li.Take(n >= 0 ? n : Math.Max(0, li.Count + n)).ToList();

    private static bool IsClose(double a, double b) => Math.Abs(a - b) <= 1e-8 + 1e-5 * Math.Abs(b);
}
