using Qlib.Tracked.Frames;

namespace Qlib.Tracked.Backtest;

/// <summary>What a backtest runs: Qlib's <c>backtest</c> config of PortAnaRecord (strategy kwargs, account, benchmark, exchange, period). Immutable; thread-safe.</summary>
public sealed record BacktestConfig
{
    /// <summary>The strategy's settings (Qlib's <c>strategy.kwargs</c>).</summary>
    public TopkDropoutOptions Strategy { get; init; } = new();
    /// <summary>The exchange's settings (Qlib's <c>exchange_kwargs</c>).</summary>
    public ExchangeOptions Exchange { get; init; } = new();
    /// <summary>The initial cash, in the market's currency (Qlib's default 100,000,000).</summary>
    public double Account { get; init; } = 100_000_000;
    /// <summary>The benchmark instrument; null for none (bench = 0).</summary>
    public string? Benchmark { get; init; } = "SH000300";
    /// <summary>First backtest day; null = the first pred date (PortAnaRecord's rule).</summary>
    public DateTime? StartTime { get; init; }
    /// <summary>Last backtest day; null = the trading day before the last pred date (PortAnaRecord's rule since #2127).</summary>
    public DateTime? EndTime { get; init; }
}

/// <summary>Everything one daily backtest produced (Qlib's <c>portfolio_metric_dict["1day"]</c> and <c>indicator_dict["1day"]</c>). The record is immutable, but its frames expose their column arrays: safe to share for reading.</summary>
public sealed record BacktestResult(BacktestReport Report, PositionsFrame Positions, IndicatorFrame Indicators, OrdersFrame Orders);

/// <summary>
/// Qlib's <c>backtest(...)</c> with a daily <c>SimulatorExecutor</c> and <see cref="TopkDropoutStrategy"/>
/// (qlib-semantics §4.4–4.5, "Backtest as run"): each trade day uses the previous calendar day's signal, deals
/// the sells then the buys against the account, values the holdings at the close, and writes the report row,
/// the positions and the order indicators. Stateless; thread-safe (each run has its own exchange, strategy and account).
/// </summary>
public static class DailyBacktest
{
    /// <summary>The backtest period: the configured start/end, else PortAnaRecord's defaults from the pred dates.</summary>
    internal static (DateTime Start, DateTime End) ResolvePeriod(BacktestConfig config, MarketData market, SignalTable signal)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(market);
        ArgumentNullException.ThrowIfNull(signal);
        if ((config.StartTime is null || config.EndTime is null) && signal.Dates.Length == 0)
            throw TrackingException.InvalidParameter("The prediction is empty: there is no period to backtest.");
        var start = config.StartTime ?? signal.Dates[0];
        DateTime end;
        if (config.EndTime is { } e)
        {
            end = e;
        }
        else
        {
            var lastPred = signal.Dates[^1];
            var idx = Array.FindLastIndex(market.Calendar, d => d < lastPred);
            if (idx < 0) throw TrackingException.InvalidParameter($"The calendar has no trading day before the last pred date {lastPred:yyyy-MM-dd}.");
            end = market.Calendar[idx];
        }
        return (start, end);
    }

    /// <summary>Runs the backtest of <paramref name="pred"/>'s scores over <paramref name="market"/>.</summary>
    /// <param name="market">Prices of every instrument traded and of the benchmark, covering the period and the next trading day.</param>
    /// <param name="pred">The model's scores per (datetime, instrument); each trade day uses the previous calendar day's scores.</param>
    /// <param name="config">Strategy, exchange, account, benchmark and period.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="TrackingException">INVALID_PARAMETER_VALUE when the prediction is empty and no period is configured, no trading day falls in the period, the period ends on the calendar's last day, or the benchmark is not in the market data.</exception>
    public static BacktestResult Run(MarketData market, PredictionFrame pred, BacktestConfig config)
    {
        ArgumentNullException.ThrowIfNull(pred);
        return Run(market, new SignalTable(pred), config);
    }

    internal static BacktestResult Run(MarketData market, SignalTable signal, BacktestConfig config)
    {
        ArgumentNullException.ThrowIfNull(market);
        ArgumentNullException.ThrowIfNull(signal);
        ArgumentNullException.ThrowIfNull(config);
        var (start, end) = ResolvePeriod(config, market, signal);
        var cal = market.Calendar;
        var first = Array.FindIndex(cal, d => d >= start);
        var lastDay = Array.FindLastIndex(cal, d => d <= end);
        if (first < 0 || lastDay < first)
            throw TrackingException.InvalidParameter($"No trading day in [{start:yyyy-MM-dd}, {end:yyyy-MM-dd}].");
        if (lastDay == cal.Length - 1)
            throw TrackingException.InvalidParameter(
                $"end_time {end:yyyy-MM-dd} is the last calendar day; Qlib's daily bar needs the next trading day as its right edge.");

        var exchange = new Exchange(market, config.Exchange);
        var strategy = new TopkDropoutStrategy(config.Strategy, signal);
        var account = new Account(config.Account);
        var position = account.Position;
        var benchIndex = config.Benchmark is null ? -1 : market.InstrumentIndex(config.Benchmark);
        if (config.Benchmark is not null && benchIndex < 0)
            throw TrackingException.InvalidParameter($"The benchmark '{config.Benchmark}' is not in the market data.");

        var report = new BacktestReport.Builder();
        var positions = new PositionsFrame.Builder();
        var indicators = new IndicatorFrame.Builder();
        var orders = new OrdersFrame.Builder();
        double lastValue = config.Account, lastTurnover = 0, lastCost = 0;

        for (var day = first; day <= lastDay; day++)
        {
            var date = cal[day];
            var dayOrders = strategy.Generate(exchange, position, day);
            for (var seq = 0; seq < dayOrders.Count; seq++)
            {
                var order = dayOrders[seq];
                exchange.DealOrder(order, position, account);
                orders.Add(date, seq, order);
            }
            indicators.Add(date, dayOrders);

            position.UpdateBarEnd(exchange, day);
            var stockValue = position.StockValue();
            var value = stockValue + position.Cash;
            var cost = account.TotalCost - lastCost;
            var turnover = account.TotalTurnover - lastTurnover;
            report.Add(date, value, (value - lastValue + cost) / lastValue, account.TotalTurnover, turnover / lastValue,
                account.TotalCost, cost / lastValue, stockValue, position.Cash, Bench(market, benchIndex, day));
            positions.Add(date, position, value);
            lastValue = value;
            lastCost = account.TotalCost;
            lastTurnover = account.TotalTurnover;
        }
        return new BacktestResult(report.Build(), positions.Build(), indicators.Build(), orders.Build());
    }

    /// <summary>
    /// The benchmark's return on <paramref name="day"/>, in float32 as Qlib evaluates <c>$close/Ref($close,1)-1</c>,
    /// then <c>prod(1+b)-1</c> over the one-day bar; NaN (a missing close today or yesterday) is 0.
    /// </summary>
    public static double Bench(MarketData market, int benchIndex, int day)
    {
        ArgumentNullException.ThrowIfNull(market);
        if (benchIndex < 0 || day < 1) return 0;
        var close = (float)market.Get(benchIndex, day, MarketField.Close);
        var prev = (float)market.Get(benchIndex, day - 1, MarketField.Close);
        var b = close / prev - 1f;
        if (float.IsNaN(b)) b = 0f;
        return (1f + b) - 1f;
    }
}
