namespace Qlib.Tracked.Backtest;

/// <summary>Order direction, with Qlib's codes (<c>Order.SELL = 0</c>, <c>Order.BUY = 1</c>).</summary>
internal enum OrderDirection
{
    Sell = 0,
    Buy = 1,
}

/// <summary>
/// The exchange settings of Qlib's <c>exchange_kwargs</c>. <see cref="LimitThreshold"/> null means no limit rule
/// (Qlib needs <c>qlib.init(limit_threshold=None)</c> for that; <see cref="BacktestConfigJson.Parse"/> resolves it).
/// <see cref="TradeUnit"/> null means no rounding (Qlib's us region has 1).
/// Immutable; thread-safe.
/// </summary>
public sealed record ExchangeOptions
{
    /// <summary>The daily price-limit ratio: a stock whose change reaches it (compared in float32) cannot be bought at the up limit nor sold at the down limit; null for no limit rule.</summary>
    public double? LimitThreshold { get; init; } = 0.095;
    /// <summary><c>close</c> or <c>open</c> (<c>$close</c>/<c>$open</c> accepted).</summary>
    public string DealPrice { get; init; } = "close";
    /// <summary>The cost of a buy, as a fraction of its trade value.</summary>
    public double OpenCost { get; init; } = 0.0005;
    /// <summary>The cost of a sell, as a fraction of its trade value.</summary>
    public double CloseCost { get; init; } = 0.0015;
    /// <summary>The minimum cost of one order, in the market's currency.</summary>
    public double MinCost { get; init; } = 5;
    /// <summary>The market-impact rate: adds <c>ImpactCost · (trade value / (volume × deal price))²</c> to the cost rate (the whole <c>ImpactCost</c> when the day has no volume); 0 for none.</summary>
    public double ImpactCost { get; init; }
    /// <summary>The lot size in raw shares (100 in Qlib's cn region); dealt amounts are rounded down to whole lots (not when the data lacks an adjustment factor, see <see cref="MarketData.HasMissingFactor"/>). Null for no rounding.</summary>
    public double? TradeUnit { get; init; } = 100;
}

/// <summary>
/// Qlib's daily <c>Exchange</c> (qlib-semantics §4.4 and "Backtest as run"): deal price, suspension (close NaN),
/// limit flags compared in float32, trade-unit rounding with the adjustment factor, and the cost model
/// (open/close cost, impact cost, min cost, cash clipping).
/// </summary>
internal sealed class Exchange
{
    private readonly MarketField _dealField;
    private readonly float _limit;

    public Exchange(MarketData market, ExchangeOptions options)
    {
        ArgumentNullException.ThrowIfNull(market);
        ArgumentNullException.ThrowIfNull(options);
        Market = market;
        Options = options;
        _dealField = options.DealPrice.TrimStart('$').ToLowerInvariant() switch
        {
            "close" => MarketField.Close,
            "open" => MarketField.Open,
            _ => throw TrackingException.InvalidParameter($"deal_price '{options.DealPrice}' is not supported; use close or open."),
        };
        _limit = options.LimitThreshold is { } l ? (float)l : float.NaN;
        TradeWithAdjustedPrice = market.HasMissingFactor;
    }

    public MarketData Market { get; }
    public ExchangeOptions Options { get; }

    /// <summary>Qlib's <c>trade_w_adj_price</c>: some row has a close but no factor, so amounts are not rounded.</summary>
    public bool TradeWithAdjustedPrice { get; }

    /// <summary>Suspended: no close that day (or an unknown instrument).</summary>
    public bool IsSuspended(string instrument, int day) => double.IsNaN(Market.Get(instrument, day, MarketField.Close));

    /// <summary><c>$change ≥ threshold</c> in float32, or suspended.</summary>
    public bool IsLimitBuy(string instrument, int day) =>
        IsSuspended(instrument, day) || (!float.IsNaN(_limit) && (float)Market.Get(instrument, day, MarketField.Change) >= _limit);

    /// <summary><c>$change ≤ −threshold</c> in float32, or suspended.</summary>
    public bool IsLimitSell(string instrument, int day) =>
        IsSuspended(instrument, day) || (!float.IsNaN(_limit) && (float)Market.Get(instrument, day, MarketField.Change) <= -_limit);

    /// <summary>
    /// Qlib's <c>is_stock_tradable</c>: not suspended and not at the limit of <paramref name="direction"/>
    /// (null: a limit in either direction blocks).
    /// </summary>
    public bool IsTradable(string instrument, int day, OrderDirection? direction = null)
    {
        if (IsSuspended(instrument, day)) return false;
        return direction switch
        {
            OrderDirection.Buy => !IsLimitBuy(instrument, day),
            OrderDirection.Sell => !IsLimitSell(instrument, day),
            _ => !IsLimitBuy(instrument, day) && !IsLimitSell(instrument, day),
        };
    }

    public double DealPrice(string instrument, int day) => Market.Get(instrument, day, _dealField);

    public double Close(string instrument, int day) => Market.Get(instrument, day, MarketField.Close);

    public double Factor(string instrument, int day) => Market.Get(instrument, day, MarketField.Factor);

    /// <summary>
    /// Qlib's <c>round_amount_by_trade_unit</c>: <c>floor((amount·factor + 0.1) / unit) · unit / factor</c> in
    /// adjusted shares; unchanged in adjusted-price mode, without a trade unit, or without a factor.
    /// </summary>
    public double RoundAmountByTradeUnit(double amount, double factor)
    {
        if (TradeWithAdjustedPrice || Options.TradeUnit is not { } unit || double.IsNaN(factor)) return amount;
        return Math.Floor((amount * factor + 0.1) / unit) * unit / factor;
    }

    /// <summary>
    /// Qlib's <c>_calc_trade_info_by_order</c> against <paramref name="position"/>: sets the order's deal amount
    /// (clipped by holdings for a sell, by cash for a buy, rounded to the trade unit) and returns price, value
    /// and cost. The cost is <c>max(value·rate, min_cost)</c>, and 0 when the value is at most 1e-5.
    /// </summary>
    public (double Price, double Value, double Cost) CalcTradeInfo(Order order, Position position)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(position);
        var price = DealPrice(order.Instrument, order.Day);
        var marketValue = Market.Get(order.Instrument, order.Day, MarketField.Volume) * price;
        order.Factor = Factor(order.Instrument, order.Day);
        order.DealAmount = order.Amount;
        var tradeValue = order.DealAmount * price;
        var impact = marketValue == 0 || double.IsNaN(marketValue)
            ? Options.ImpactCost
            : Options.ImpactCost * Math.Pow(tradeValue / marketValue, 2);
        double rate;
        var minCost = Options.MinCost;
        if (order.Direction == OrderDirection.Sell)
        {
            rate = Options.CloseCost + impact;
            var current = position.Amount(order.Instrument);
            if (!IsClose(order.DealAmount, current))
                order.DealAmount = RoundAmountByTradeUnit(Math.Min(current, order.DealAmount), order.Factor);
            if (position.Cash + order.DealAmount * price < Math.Max(order.DealAmount * price * rate, minCost))
                order.DealAmount = 0;
        }
        else
        {
            rate = Options.OpenCost + impact;
            var cash = position.Cash;
            tradeValue = order.DealAmount * price;
            if (cash < Math.Max(tradeValue * rate, minCost))
            {
                order.DealAmount = 0;
            }
            else if (cash < tradeValue + Math.Max(tradeValue * rate, minCost))
            {
                var maxAmount = BuyAmountByCashLimit(price, cash, rate);
                order.DealAmount = RoundAmountByTradeUnit(Math.Min(maxAmount, order.DealAmount), order.Factor);
            }
            else
            {
                order.DealAmount = RoundAmountByTradeUnit(order.DealAmount, order.Factor);
            }
        }
        tradeValue = order.DealAmount * price;
        var cost = tradeValue <= 1e-5 ? 0 : Math.Max(tradeValue * rate, minCost);
        return (price, tradeValue, cost);
    }

    /// <summary>
    /// Qlib's <c>deal_order</c>: computes the trade and, when its value exceeds 1e-5, applies it to
    /// <paramref name="position"/> (and to <paramref name="account"/>'s turnover and cost when given).
    /// </summary>
    public (double Price, double Value, double Cost) DealOrder(Order order, Position position, Account? account = null)
    {
        var (price, value, cost) = CalcTradeInfo(order, position);
        if (value > 1e-5)
        {
            position.Apply(order.Instrument, order.Direction, value, cost, price);
            account?.AddTrade(value, cost);
        }
        order.TradePrice = price;
        order.TradeValue = value;
        order.TradeCost = cost;
        return (price, value, cost);
    }

    private double BuyAmountByCashLimit(double price, double cash, double rate)
    {
        var minCost = Options.MinCost;
        if (cash < minCost) return 0;
        var critical = minCost / rate + minCost;
        return cash >= critical ? cash / (1 + rate) / price : (cash - minCost) / price;
    }

    /// <summary>numpy's <c>isclose</c> with its defaults (rtol 1e-5, atol 1e-8).</summary>
    internal static bool IsClose(double a, double b) => Math.Abs(a - b) <= 1e-8 + 1e-5 * Math.Abs(b);
}

/// <summary>An order of the strategy and what the exchange made of it (amounts in adjusted shares, unsigned).</summary>
internal sealed class Order(string instrument, int day, double amount, OrderDirection direction)
{
    public string Instrument { get; } = instrument;
    public int Day { get; } = day;
    public double Amount { get; } = amount;
    public OrderDirection Direction { get; } = direction;
    public double Factor { get; internal set; } = double.NaN;
    public double DealAmount { get; internal set; }
    public double TradePrice { get; internal set; } = double.NaN;
    public double TradeValue { get; internal set; }
    public double TradeCost { get; internal set; }
}
