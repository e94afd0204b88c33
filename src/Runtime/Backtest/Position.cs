namespace Qlib.Tracked.Backtest;

/// <summary>One holding: amount in adjusted shares, last valid price, and bars held (including the current one).</summary>
internal struct Holding
{
    public double Amount;
    public double Price;
    public int CountDay;
}

/// <summary>
/// Qlib's <c>Position</c>: cash and holdings in insertion order (a sold-out stock is removed). A buy adds
/// <c>value / price</c> shares and takes <c>value + cost</c>; a sell removes <c>value / price</c> shares (the whole
/// holding when that is numpy-close to it) and adds <c>value − cost</c>.
/// </summary>
internal sealed class Position
{
    private readonly List<string> _order;
    private readonly Dictionary<string, Holding> _holdings;

    public Position(double cash)
    {
        Cash = cash;
        _order = [];
        _holdings = new Dictionary<string, Holding>(StringComparer.Ordinal);
    }

    private Position(Position other)
    {
        Cash = other.Cash;
        _order = [.. other._order];
        _holdings = new Dictionary<string, Holding>(other._holdings, StringComparer.Ordinal);
    }

    public double Cash { get; internal set; }

    /// <summary>The held instruments, in the order they were bought.</summary>
    public IReadOnlyList<string> Instruments => _order;

    public int Count => _order.Count;

    public bool Holds(string instrument) => _holdings.ContainsKey(instrument);

    public Holding this[string instrument] => _holdings[instrument];

    public double Amount(string instrument) => _holdings.TryGetValue(instrument, out var h) ? h.Amount : 0;

    public int CountDay(string instrument) => _holdings.TryGetValue(instrument, out var h) ? h.CountDay : 0;

    /// <summary>A deep copy (what the strategy trades on to learn the cash after its sells).</summary>
    public Position Clone() => new(this);

    /// <summary>Σ amount·price, in holding order.</summary>
    public double StockValue()
    {
        double value = 0;
        foreach (var code in _order)
        {
            var h = _holdings[code];
            value += h.Amount * h.Price;
        }
        return value;
    }

    /// <summary>Stock value plus cash (Qlib's <c>calculate_value</c>).</summary>
    public double Value() => StockValue() + Cash;

    internal void Apply(string instrument, OrderDirection direction, double value, double cost, double price)
    {
        var amount = value / price;
        if (direction == OrderDirection.Buy)
        {
            if (_holdings.TryGetValue(instrument, out var h))
            {
                h.Amount += amount;
                _holdings[instrument] = h;
            }
            else
            {
                _holdings[instrument] = new Holding { Amount = amount, Price = price, CountDay = 0 };
                _order.Add(instrument);
            }
            Cash -= value + cost;
        }
        else
        {
            if (!_holdings.TryGetValue(instrument, out var h))
                throw TrackingException.InvalidState($"Cannot sell {instrument}: it is not held.");
            if (Exchange.IsClose(h.Amount, amount))
            {
                _holdings.Remove(instrument);
                _order.Remove(instrument);
            }
            else
            {
                h.Amount -= amount;
                _holdings[instrument] = h;
            }
            Cash += value - cost;
        }
    }

    /// <summary>Bar end: every held, non-suspended stock takes the bar's close; every holding's bar count goes up by one.</summary>
    internal void UpdateBarEnd(Exchange exchange, int day)
    {
        foreach (var code in _order)
        {
            var h = _holdings[code];
            if (!exchange.IsSuspended(code, day)) h.Price = exchange.Close(code, day);
            h.CountDay++;
            _holdings[code] = h;
        }
    }
}

/// <summary>Qlib's <c>Account</c> accumulators: total turnover and total cost of the dealt trades.</summary>
internal sealed class Account
{
    public Account(double initCash) => Position = new Position(initCash);

    public Position Position { get; }
    public double TotalTurnover { get; private set; }
    public double TotalCost { get; private set; }

    internal void AddTrade(double value, double cost)
    {
        TotalTurnover += value;
        TotalCost += cost;
    }
}
