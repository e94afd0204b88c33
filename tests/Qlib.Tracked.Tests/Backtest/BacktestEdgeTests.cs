using Qlib.Tracked.Backtest;
using Qlib.Tracked.Frames;

namespace Qlib.Tracked.Tests.Backtest;

/// <summary>Exchange and strategy rules on hand-made markets.</summary>
public sealed class BacktestEdgeTests
{
    private static readonly DateTime D0 = new(2020, 1, 2);

    private static MarketData Market(params (int Day, string Code, double Close, double Factor, double Change)[] rows) =>
        MarketData.FromRows(rows.Select(r => new MarketRow(D0.AddDays(r.Day), r.Code, r.Close, r.Close, r.Close, r.Close, 1e6, r.Factor, r.Change)).ToList());

    private static BacktestConfig Config(double account, int topk = 1, int nDrop = 1, double minCost = 5) => new()
    {
        Account = account,
        Benchmark = null,
        StartTime = D0.AddDays(1),
        EndTime = D0.AddDays(2),
        Strategy = new TopkDropoutOptions { Topk = topk, NDrop = nDrop },
        Exchange = new ExchangeOptions { MinCost = minCost },
    };

    private static PredictionFrame Pred(params (int Day, string Code, double Score)[] rows) =>
        new(rows.Select(r => D0.AddDays(r.Day)).ToArray(), rows.Select(r => r.Code).ToArray(), rows.Select(r => r.Score).ToArray());

    [Fact]
    public void LimitThreshold_ComparedInFloat32()
    {
        var market = Market((0, "A", 10, 1, 0.095f), (1, "A", 10, 1, 0.0949f));
        var ex = new Exchange(market, new ExchangeOptions());
        Assert.True(ex.IsLimitBuy("A", 0)); // float32(0.095) >= float32(0.095); in double 0.0949999988 < 0.095
        Assert.False(ex.IsLimitBuy("A", 1));
        Assert.False(ex.IsTradable("A", 0));
        Assert.True(ex.IsTradable("A", 0, OrderDirection.Sell));
        Assert.True(new Exchange(market, new ExchangeOptions { LimitThreshold = null }).IsTradable("A", 0));
    }

    [Fact]
    public void TradeUnitRounding_UsesFactor()
    {
        var ex = new Exchange(Market((0, "A", 10, 0.37, double.NaN)), new ExchangeOptions());
        var f = ex.Factor("A", 0);
        var rounded = ex.RoundAmountByTradeUnit(1000, f);
        Assert.Equal(Math.Floor((1000 * f + 0.1) / 100) * 100 / f, rounded);
        Assert.Equal(300 / f, rounded, 1e-9);
        Assert.Equal(1000.0, new Exchange(Market((0, "A", 10, double.NaN, double.NaN)), new ExchangeOptions()).RoundAmountByTradeUnit(1000, 1));
    }

    [Fact]
    public void SuspendedAndLimitDays_BlockOrders()
    {
        // A is suspended on the trade day (close NaN), B at limit-up: no buy order for either; C is bought.
        var market = Market((0, "A", 10, 1, double.NaN), (0, "B", 10, 1, double.NaN), (0, "C", 10, 1, double.NaN),
            (1, "A", double.NaN, double.NaN, double.NaN), (1, "B", 11, 1, 0.1), (1, "C", 10, 1, 0),
            (2, "A", 10, 1, 0), (2, "B", 11, 1, 0), (2, "C", 10, 1, 0), (3, "C", 10, 1, 0));
        var result = DailyBacktest.Run(market, Pred((0, "A", 3), (0, "B", 2), (0, "C", 1), (1, "A", 3), (1, "B", 2), (1, "C", 1)),
            Config(1e6, topk: 3, nDrop: 0));
        var o = result.Orders;
        Assert.Equal(["C"], o.Instrument.Where((_, i) => o.Datetime[i] == D0.AddDays(1)));
        // The untradable candidates keep their share of the budget in cash: C gets a third of 0.95·1e6.
        Assert.Equal(31_600, o.DealAmount[0]);
    }

    [Theory]
    [InlineData(2, new[] { "C", "D" })]
    [InlineData(4, new[] { "C", "D", "E", "B" })]
    [InlineData(5, new[] { "C", "D", "E", "B", "A" })]
    [InlineData(9, new[] { "C", "D", "E", "B", "A", "F" })]
    public void Buys_RankedLikePandasSortValues_TiesInRowOrder_NaNLast(int topk, string[] expected)
    {
        // pandas' sort_values(ascending=False) is stable with NaN last: C, D, E (tied at 2, row order), B, then the
        // NaN scores A and F in row order. The first topk of that order are bought, in that order.
        string[] codes = ["A", "B", "C", "D", "E", "F"];
        var market = Market([.. Enumerable.Range(0, 4).SelectMany(d => codes.Select(c => (d, c, 10.0, 1.0, d == 0 ? double.NaN : 0.0)))]);
        var pred = Pred((0, "A", double.NaN), (0, "B", 1), (0, "C", 2), (0, "D", 2), (0, "E", 2), (0, "F", double.NaN));
        var result = DailyBacktest.Run(market, pred, Config(1e7, topk: topk, nDrop: 0));
        var o = result.Orders;
        Assert.Equal(expected, o.Instrument.Where((_, i) => o.Datetime[i] == D0.AddDays(1)));
    }

    [Fact]
    public void MinCost_AndCashTooSmall()
    {
        var market = Market((0, "A", 10, 1, double.NaN), (1, "A", 10, 1, 0), (2, "A", 10, 1, 0), (3, "A", 10, 1, 0));
        // Budget 0.95·5000 = 4750 → 400 shares, value 4000: cost 4000·0.0005 = 2 < min_cost 5 → 5.
        var small = DailyBacktest.Run(market, Pred((0, "A", 1)), Config(5000));
        Assert.Equal(400, small.Orders.DealAmount[0]);
        Assert.Equal(5, small.Orders.TradeCost[0]);
        Assert.Equal(5000 - 4000 - 5, small.Report.Cash[0]);
        // Cash 50 cannot buy one lot (1000): the order exists with amount 0, deals nothing, ffr NaN, count 1.
        var tiny = DailyBacktest.Run(market, Pred((0, "A", 1)), Config(50));
        Assert.Equal(0, tiny.Orders.Amount[0]);
        Assert.Equal(0, tiny.Orders.DealAmount[0]);
        Assert.True(double.IsNaN(tiny.Orders.Ffr[0]));
        Assert.Equal(1, tiny.Indicators.Count[0]);
        Assert.True(double.IsNaN(tiny.Indicators.Ffr[0]));
        Assert.Equal(50, tiny.Report.Account[0]);
        Assert.Equal(0, tiny.Report.Cost[0]);
    }

    [Fact]
    public void BuyClippedByCash_BelowCriticalCash_UsesCashMinusMinCost()
    {
        var market = Market((0, "A", 10, 1, double.NaN));
        var ex = new Exchange(market, new ExchangeOptions());
        var pos = new Position(5000);
        var order = new Order("A", 0, 600, OrderDirection.Buy);
        var (_, value, cost) = ex.DealOrder(order, pos);
        // 5000 < 6000 + 5, and 5000 < 5/0.0005 + 5: cap (5000 - 5)/10 = 499.5 → 400 after rounding.
        Assert.Equal(400, order.DealAmount);
        Assert.Equal(4000, value);
        Assert.Equal(5, cost);
        Assert.Equal(995, pos.Cash);
    }
}
