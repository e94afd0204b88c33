using Parquet;
using Parquet.Schema;
using Qlib.Tracked.Artifacts;
using Qlib.Tracked.Artifacts.FlatParquet;
using Qlib.Tracked.Frames;

namespace Qlib.Tracked.Backtest;

/// <summary>
/// Qlib's <c>report_normal_1day</c>: one row per backtest day, columns <c>account, return, total_turnover,
/// turnover, total_cost, cost, value, cash, bench</c> (qlib-semantics §4.5), columnar. Parquet columns are
/// <c>datetime</c> then those nine. Values are in the account's currency (cash, value, cost, turnover) or
/// fractions of the account value (return, turnover, cost, bench).
/// Not thread-safe for writes: the column arrays are exposed, not copied; concurrent reads are safe while nobody writes.
/// </summary>
public sealed class BacktestReport : IParquetTable<BacktestReport>, IFlatParquetTable
{
    /// <summary>The nine report columns in Qlib's order, as the Parquet file names them (after <c>datetime</c>). Do not modify the array.</summary>
    public static readonly string[] ColumnNames = ["account", "return", "total_turnover", "turnover", "total_cost", "cost", "value", "cash", "bench"];

    /// <summary>A report over the given days; the arrays are kept, not copied.</summary>
    /// <param name="datetime">One backtest day per row.</param>
    /// <param name="columns">The nine columns of <see cref="ColumnNames"/>, in that order, each as long as <paramref name="datetime"/>.</param>
    /// <exception cref="TrackingException">INVALID_PARAMETER_VALUE when there are not nine columns or a column's length differs from <paramref name="datetime"/>'s.</exception>
    public BacktestReport(DateTime[] datetime, double[][] columns)
    {
        ArgumentNullException.ThrowIfNull(datetime);
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Length != ColumnNames.Length)
            throw TrackingException.InvalidParameter($"A backtest report has {ColumnNames.Length} columns, got {columns.Length}.");
        foreach (var c in columns)
            FrameColumns.CheckLengths(nameof(BacktestReport), ("datetime", datetime.Length), ("column", c.Length));
        Datetime = datetime;
        _columns = columns;
    }

    private readonly double[][] _columns;

    /// <summary>The backtest day of each row (naive dates, as Qlib stores them).</summary>
    public DateTime[] Datetime { get; }
    /// <inheritdoc/>
    public int RowCount => Datetime.Length;
    /// <summary><c>account</c>: the account value (cash plus holdings at the close) at the day's end.</summary>
    public double[] Account => _columns[0];
    /// <summary><c>return</c>: the day's profit as a fraction of the previous day's account value, before costs.</summary>
    public double[] Return => _columns[1];
    /// <summary><c>total_turnover</c>: the traded value accumulated since the first day.</summary>
    public double[] TotalTurnover => _columns[2];
    /// <summary><c>turnover</c>: the day's traded value as a fraction of the previous day's account value.</summary>
    public double[] Turnover => _columns[3];
    /// <summary><c>total_cost</c>: the trading costs accumulated since the first day.</summary>
    public double[] TotalCost => _columns[4];
    /// <summary><c>cost</c>: the day's trading costs as a fraction of the previous day's account value.</summary>
    public double[] Cost => _columns[5];
    /// <summary><c>value</c>: the value of the holdings at the day's close.</summary>
    public double[] Value => _columns[6];
    /// <summary><c>cash</c>: the cash left at the day's end.</summary>
    public double[] Cash => _columns[7];
    /// <summary><c>bench</c>: the benchmark's return that day (0 when there is no benchmark).</summary>
    public double[] Bench => _columns[8];

    ///<exception cref="TrackingException">RESOURCE_DOES_NOT_EXIST when <paramref name="name"/> is not a report column.</exception>
    /// <summary>The column named <paramref name="name"/> (one of <see cref="ColumnNames"/>).</summary>
    public double[] Column(string name)
    {
        var i = Array.IndexOf(ColumnNames, name);
        return i >= 0 ? _columns[i] : throw TrackingException.DoesNotExist($"The report has no column '{name}'.");
    }

    private static readonly DateTimeDataField DatetimeField = FrameColumns.Datetime();
    private static readonly DataField<double>[] Fields = ColumnNames.Select(FrameColumns.Double).ToArray();

    /// <inheritdoc/>
    public static ParquetSchema Schema { get; } = new([DatetimeField, .. Fields]);

    /// <inheritdoc/>
    public Task WriteColumnsAsync(ParquetRowGroupWriter group, CancellationToken cancellationToken) =>
        RowGroupColumns.WriteAsync(this, group, cancellationToken);

    void IFlatParquetTable.AddColumns(IFlatColumnSink writer)
    {
        writer.Add(DatetimeField, Datetime);
        for (var i = 0; i < Fields.Length; i++)
            writer.Add(Fields[i], _columns[i]);
    }

    /// <inheritdoc/>
    public static async Task<BacktestReport> ReadColumnsAsync(ParquetTableReader reader, CancellationToken cancellationToken)
    {
        var datetime = await reader.ReadDateTimesAsync("datetime", cancellationToken).ConfigureAwait(false);
        var columns = new double[ColumnNames.Length][];
        for (var i = 0; i < columns.Length; i++) columns[i] = await reader.ReadDoublesAsync(ColumnNames[i], cancellationToken).ConfigureAwait(false);
        return new BacktestReport(datetime, columns);
    }

    internal sealed class Builder
    {
        private readonly List<DateTime> _dates = [];
        private readonly List<double>[] _cols = ColumnNames.Select(_ => new List<double>()).ToArray();

        public void Add(DateTime date, params ReadOnlySpan<double> row)
        {
            _dates.Add(date);
            for (var i = 0; i < _cols.Length; i++) _cols[i].Add(row[i]);
        }

        public BacktestReport Build() => new([.. _dates], _cols.Select(c => c.ToArray()).ToArray());
    }
}

/// <summary>
/// Qlib's <c>positions_normal_1day</c>: the holdings at each bar end, one row per (datetime, instrument) with
/// <c>amount</c> (adjusted shares), <c>price</c> (last valid close), <c>weight</c> (amount·price / account value)
/// and <c>count_day</c> (bars held, including the current one). The day's <c>cash</c> and
/// <c>now_account_value</c> are the report's <c>cash</c> and <c>account</c>; a day without holdings has no row.
/// Not thread-safe for writes: the column arrays are exposed, not copied; concurrent reads are safe while nobody writes.
/// </summary>
public sealed class PositionsFrame : IParquetTable<PositionsFrame>, IFlatParquetTable
{
    /// <summary>A positions frame from its columns, one element per (day, instrument) held; the arrays are kept, not copied.</summary>
    /// <exception cref="ArgumentNullException">A column is null.</exception>
    /// <exception cref="TrackingException">INVALID_PARAMETER_VALUE when the columns' lengths differ or an instrument is null.</exception>
    public PositionsFrame(DateTime[] datetime, string[] instrument, double[] amount, double[] price, double[] weight, int[] countDay)
    {
        ArgumentNullException.ThrowIfNull(datetime);
        ArgumentNullException.ThrowIfNull(instrument);
        ArgumentNullException.ThrowIfNull(amount);
        ArgumentNullException.ThrowIfNull(price);
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(countDay);
        FrameColumns.CheckLengths(nameof(PositionsFrame), ("datetime", datetime.Length), ("instrument", instrument.Length),
            ("amount", amount.Length), ("price", price.Length), ("weight", weight.Length), ("count_day", countDay.Length));
        FrameColumns.CheckNoNull(nameof(PositionsFrame), "instrument", instrument);
        Datetime = datetime;
        Instrument = instrument;
        Amount = amount;
        Price = price;
        Weight = weight;
        CountDay = countDay;
    }

    /// <summary>The bar (day) each holding is reported at.</summary>
    public DateTime[] Datetime { get; }
    /// <summary>The held instrument's code (e.g. <c>SH600000</c>).</summary>
    public string[] Instrument { get; }
    /// <summary>The amount held, in adjusted shares (raw shares divided by the adjustment factor, as Qlib counts them).</summary>
    public double[] Amount { get; }
    /// <summary>The last valid close price used to value the holding.</summary>
    public double[] Price { get; }
    /// <summary>The holding's share of the account: amount·price / account value.</summary>
    public double[] Weight { get; }
    /// <summary>How many bars the instrument has been held, including the current one.</summary>
    public int[] CountDay { get; }
    /// <inheritdoc/>
    public int RowCount => Datetime.Length;

    private static readonly DateTimeDataField DatetimeField = FrameColumns.Datetime();
    private static readonly DataField<string> InstrumentField = FrameColumns.Instrument();
    private static readonly DataField<double> AmountField = FrameColumns.Double("amount");
    private static readonly DataField<double> PriceField = FrameColumns.Double("price");
    private static readonly DataField<double> WeightField = FrameColumns.Double("weight");
    private static readonly DataField<int> CountDayField = new("count_day", nullable: false);

    /// <inheritdoc/>
    public static ParquetSchema Schema { get; } = new(DatetimeField, InstrumentField, AmountField, PriceField, WeightField, CountDayField);

    /// <inheritdoc/>
    public Task WriteColumnsAsync(ParquetRowGroupWriter group, CancellationToken cancellationToken) =>
        RowGroupColumns.WriteAsync(this, group, cancellationToken);

    void IFlatParquetTable.AddColumns(IFlatColumnSink writer)
    {
        writer.Add(DatetimeField, Datetime);
        writer.Add(InstrumentField, Instrument);
        writer.Add(AmountField, Amount);
        writer.Add(PriceField, Price);
        writer.Add(WeightField, Weight);
        writer.Add(CountDayField, CountDay);
    }

    /// <inheritdoc/>
    public static async Task<PositionsFrame> ReadColumnsAsync(ParquetTableReader reader, CancellationToken cancellationToken)
    {
        var datetime = await reader.ReadDateTimesAsync("datetime", cancellationToken).ConfigureAwait(false);
        var instrument = await reader.ReadStringsAsync("instrument", cancellationToken).ConfigureAwait(false);
        var amount = await reader.ReadDoublesAsync("amount", cancellationToken).ConfigureAwait(false);
        var price = await reader.ReadDoublesAsync("price", cancellationToken).ConfigureAwait(false);
        var weight = await reader.ReadDoublesAsync("weight", cancellationToken).ConfigureAwait(false);
        var countDay = await reader.ReadAsync<int>("count_day", null, cancellationToken).ConfigureAwait(false);
        return new PositionsFrame(datetime, instrument, amount, price, weight, countDay);
    }

    internal sealed class Builder
    {
        private readonly List<DateTime> _dt = [];
        private readonly List<string> _inst = [];
        private readonly List<double> _amount = [], _price = [], _weight = [];
        private readonly List<int> _count = [];

        public void Add(DateTime date, Position position, double accountValue)
        {
            foreach (var code in position.Instruments)
            {
                var h = position[code];
                _dt.Add(date);
                _inst.Add(code);
                _amount.Add(h.Amount);
                _price.Add(h.Price);
                _weight.Add(h.Amount * h.Price / accountValue);
                _count.Add(h.CountDay);
            }
        }

        public PositionsFrame Build() => new([.. _dt], [.. _inst], [.. _amount], [.. _price], [.. _weight], [.. _count]);
    }
}

/// <summary>
/// Qlib's <c>indicators_normal_1day</c>: per day <c>ffr</c> (NaN-skipping mean of the orders' deal/amount),
/// <c>pa</c> (0 for a plain daily simulator), <c>pos</c> (share of orders with pa &gt; 0), <c>deal_amount</c>
/// (Σ|deal amount|), <c>value</c> (Σ|trade value|) and <c>count</c> (orders). A day without orders has
/// ffr = pa = pos = NaN and count 0.
/// Not thread-safe for writes: the column arrays are exposed, not copied; concurrent reads are safe while nobody writes.
/// </summary>
public sealed class IndicatorFrame : IParquetTable<IndicatorFrame>, IFlatParquetTable
{
    /// <summary>The six indicator columns, as the Parquet file names them (after <c>datetime</c>). Do not modify the array.</summary>
    public static readonly string[] ColumnNames = ["ffr", "pa", "pos", "deal_amount", "value", "count"];

    /// <summary>An indicator frame from its columns, one element per backtest day; the arrays are kept, not copied.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="datetime"/> is null.</exception>
    /// <exception cref="TrackingException">INVALID_PARAMETER_VALUE when the columns' lengths differ.</exception>
    public IndicatorFrame(DateTime[] datetime, double[] ffr, double[] pa, double[] pos, double[] dealAmount, double[] value, int[] count)
    {
        ArgumentNullException.ThrowIfNull(datetime);
        FrameColumns.CheckLengths(nameof(IndicatorFrame), ("datetime", datetime.Length), ("ffr", ffr.Length), ("pa", pa.Length),
            ("pos", pos.Length), ("deal_amount", dealAmount.Length), ("value", value.Length), ("count", count.Length));
        Datetime = datetime;
        Ffr = ffr;
        Pa = pa;
        Pos = pos;
        DealAmount = dealAmount;
        Value = value;
        Count = count;
    }

    /// <summary>The backtest day of each row.</summary>
    public DateTime[] Datetime { get; }
    /// <summary><c>ffr</c>: fulfill rate, the NaN-skipping mean of the day's orders' deal amount / ordered amount; NaN on a day without orders.</summary>
    public double[] Ffr { get; }
    /// <summary><c>pa</c>: price advantage; 0 for the daily simulator (it deals at the bar's price), NaN on a day without orders.</summary>
    public double[] Pa { get; }
    /// <summary><c>pos</c>: the share of the day's orders with a positive price advantage; NaN on a day without orders.</summary>
    public double[] Pos { get; }
    /// <summary><c>deal_amount</c>: Σ|deal amount| of the day's orders, in adjusted shares.</summary>
    public double[] DealAmount { get; }
    /// <summary><c>value</c>: Σ|trade value| of the day's orders.</summary>
    public double[] Value { get; }
    /// <summary><c>count</c>: the number of orders that day.</summary>
    public int[] Count { get; }
    /// <inheritdoc/>
    public int RowCount => Datetime.Length;

    private static readonly DateTimeDataField DatetimeField = FrameColumns.Datetime();
    private static readonly DataField<double>[] Fields = ColumnNames[..5].Select(FrameColumns.Double).ToArray();
    private static readonly DataField<int> CountField = new("count", nullable: false);

    /// <inheritdoc/>
    public static ParquetSchema Schema { get; } = new([DatetimeField, .. Fields, CountField]);

    /// <inheritdoc/>
    public Task WriteColumnsAsync(ParquetRowGroupWriter group, CancellationToken cancellationToken) =>
        RowGroupColumns.WriteAsync(this, group, cancellationToken);

    void IFlatParquetTable.AddColumns(IFlatColumnSink writer)
    {
        writer.Add(DatetimeField, Datetime);
        double[][] cols = [Ffr, Pa, Pos, DealAmount, Value];
        for (var i = 0; i < Fields.Length; i++)
            writer.Add(Fields[i], cols[i]);
        writer.Add(CountField, Count);
    }

    /// <inheritdoc/>
    public static async Task<IndicatorFrame> ReadColumnsAsync(ParquetTableReader reader, CancellationToken cancellationToken)
    {
        var datetime = await reader.ReadDateTimesAsync("datetime", cancellationToken).ConfigureAwait(false);
        var cols = new double[5][];
        for (var i = 0; i < cols.Length; i++) cols[i] = await reader.ReadDoublesAsync(ColumnNames[i], cancellationToken).ConfigureAwait(false);
        var count = await reader.ReadAsync<int>("count", null, cancellationToken).ConfigureAwait(false);
        return new IndicatorFrame(datetime, cols[0], cols[1], cols[2], cols[3], cols[4], count);
    }

    internal sealed class Builder
    {
        private readonly List<DateTime> _dt = [];
        private readonly List<double> _ffr = [], _pa = [], _pos = [], _deal = [], _value = [];
        private readonly List<int> _count = [];

        public void Add(DateTime date, List<Order> orders)
        {
            double ffrSum = 0, deal = 0, value = 0;
            var ffrN = 0;
            foreach (var o in orders)
            {
                var ffr = o.DealAmount / o.Amount;
                if (!double.IsNaN(ffr))
                {
                    ffrSum += ffr;
                    ffrN++;
                }
                deal += Math.Abs(o.DealAmount);
                value += Math.Abs(o.TradeValue);
            }
            _dt.Add(date);
            _ffr.Add(ffrN == 0 ? double.NaN : ffrSum / ffrN);
            _pa.Add(orders.Count == 0 ? double.NaN : 0);
            _pos.Add(orders.Count == 0 ? double.NaN : 0);
            _deal.Add(deal);
            _value.Add(value);
            _count.Add(orders.Count);
        }

        public IndicatorFrame Build() => new([.. _dt], [.. _ffr], [.. _pa], [.. _pos], [.. _deal], [.. _value], [.. _count]);
    }
}

/// <summary>
/// Every order the executor dealt, in execution order (Qlib's Indicator per-order history): signed
/// <c>amount</c>, <c>deal_amount</c> and <c>trade_value</c> (negative for sells), <c>trade_price</c>,
/// <c>trade_cost</c>, <c>trade_dir</c> (0 sell, 1 buy), <c>ffr</c> (deal/amount) and <c>pa</c>.
/// Not thread-safe for writes: the column arrays are exposed, not copied; concurrent reads are safe while nobody writes.
/// </summary>
public sealed class OrdersFrame : IParquetTable<OrdersFrame>, IFlatParquetTable
{
    /// <summary>An orders frame from its columns, one element per order; the arrays are kept, not copied.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="datetime"/> is null.</exception>
    /// <exception cref="TrackingException">INVALID_PARAMETER_VALUE when the columns' lengths differ.</exception>
    public OrdersFrame(DateTime[] datetime, int[] seq, string[] instrument, double[] amount, double[] dealAmount, double[] tradePrice,
        double[] tradeValue, double[] tradeCost, int[] tradeDir, double[] ffr, double[] pa)
    {
        ArgumentNullException.ThrowIfNull(datetime);
        FrameColumns.CheckLengths(nameof(OrdersFrame), ("datetime", datetime.Length), ("seq", seq.Length), ("instrument", instrument.Length),
            ("amount", amount.Length), ("deal_amount", dealAmount.Length), ("trade_price", tradePrice.Length), ("trade_value", tradeValue.Length),
            ("trade_cost", tradeCost.Length), ("trade_dir", tradeDir.Length), ("ffr", ffr.Length), ("pa", pa.Length));
        Datetime = datetime;
        Seq = seq;
        Instrument = instrument;
        Amount = amount;
        DealAmount = dealAmount;
        TradePrice = tradePrice;
        TradeValue = tradeValue;
        TradeCost = tradeCost;
        TradeDir = tradeDir;
        Ffr = ffr;
        Pa = pa;
    }

    /// <summary>The trade day of the order.</summary>
    public DateTime[] Datetime { get; }
    /// <summary>The order's position in its day's execution order (0-based; sells come before buys).</summary>
    public int[] Seq { get; }
    /// <summary>The instrument traded.</summary>
    public string[] Instrument { get; }
    /// <summary>The ordered amount in adjusted shares; negative for a sell.</summary>
    public double[] Amount { get; }
    /// <summary>The amount actually dealt in adjusted shares (after limit, suspension, trade-unit and cash rules); negative for a sell.</summary>
    public double[] DealAmount { get; }
    /// <summary>The deal price (the bar's close or open, per <see cref="ExchangeOptions.DealPrice"/>).</summary>
    public double[] TradePrice { get; }
    /// <summary>The dealt value, deal amount × trade price; negative for a sell.</summary>
    public double[] TradeValue { get; }
    /// <summary>The order's cost: trade value × (open or close cost rate + impact cost), at least the minimum cost; 0 when nothing is dealt.</summary>
    public double[] TradeCost { get; }
    /// <summary>Qlib's direction code: 0 sell, 1 buy.</summary>
    public int[] TradeDir { get; }
    /// <summary>Fulfill rate: deal amount / ordered amount (NaN for an order of 0).</summary>
    public double[] Ffr { get; }
    /// <summary>Price advantage; always 0 for the daily simulator.</summary>
    public double[] Pa { get; }
    /// <inheritdoc/>
    public int RowCount => Datetime.Length;

    private static readonly DateTimeDataField DatetimeField = FrameColumns.Datetime();
    private static readonly DataField<int> SeqField = new("seq", nullable: false);
    private static readonly DataField<string> InstrumentField = FrameColumns.Instrument();
    private static readonly string[] DoubleNames = ["amount", "deal_amount", "trade_price", "trade_value", "trade_cost"];
    private static readonly DataField<double>[] DoubleFields = DoubleNames.Select(FrameColumns.Double).ToArray();
    private static readonly DataField<int> DirField = new("trade_dir", nullable: false);
    private static readonly DataField<double> FfrField = FrameColumns.Double("ffr");
    private static readonly DataField<double> PaField = FrameColumns.Double("pa");

    /// <inheritdoc/>
    public static ParquetSchema Schema { get; } = new([DatetimeField, SeqField, InstrumentField, .. DoubleFields, DirField, FfrField, PaField]);

    /// <inheritdoc/>
    public Task WriteColumnsAsync(ParquetRowGroupWriter group, CancellationToken cancellationToken) =>
        RowGroupColumns.WriteAsync(this, group, cancellationToken);

    void IFlatParquetTable.AddColumns(IFlatColumnSink writer)
    {
        writer.Add(DatetimeField, Datetime);
        writer.Add(SeqField, Seq);
        writer.Add(InstrumentField, Instrument);
        double[][] cols = [Amount, DealAmount, TradePrice, TradeValue, TradeCost];
        for (var i = 0; i < cols.Length; i++)
            writer.Add(DoubleFields[i], cols[i]);
        writer.Add(DirField, TradeDir);
        writer.Add(FfrField, Ffr);
        writer.Add(PaField, Pa);
    }

    /// <inheritdoc/>
    public static async Task<OrdersFrame> ReadColumnsAsync(ParquetTableReader reader, CancellationToken cancellationToken)
    {
        var datetime = await reader.ReadDateTimesAsync("datetime", cancellationToken).ConfigureAwait(false);
        var seq = await reader.ReadAsync<int>("seq", null, cancellationToken).ConfigureAwait(false);
        var instrument = await reader.ReadStringsAsync("instrument", cancellationToken).ConfigureAwait(false);
        var cols = new double[DoubleNames.Length][];
        for (var i = 0; i < cols.Length; i++) cols[i] = await reader.ReadDoublesAsync(DoubleNames[i], cancellationToken).ConfigureAwait(false);
        var dir = await reader.ReadAsync<int>("trade_dir", null, cancellationToken).ConfigureAwait(false);
        var ffr = await reader.ReadDoublesAsync("ffr", cancellationToken).ConfigureAwait(false);
        var pa = await reader.ReadDoublesAsync("pa", cancellationToken).ConfigureAwait(false);
        return new OrdersFrame(datetime, seq, instrument, cols[0], cols[1], cols[2], cols[3], cols[4], dir, ffr, pa);
    }

    internal sealed class Builder
    {
        private readonly List<DateTime> _dt = [];
        private readonly List<int> _seq = [], _dir = [];
        private readonly List<string> _inst = [];
        private readonly List<double> _amount = [], _deal = [], _price = [], _value = [], _cost = [], _ffr = [], _pa = [];

        public void Add(DateTime date, int seq, Order o)
        {
            var sign = o.Direction == OrderDirection.Sell ? -1.0 : 1.0;
            _dt.Add(date);
            _seq.Add(seq);
            _inst.Add(o.Instrument);
            _amount.Add(sign * o.Amount);
            _deal.Add(sign * o.DealAmount);
            _price.Add(o.TradePrice);
            _value.Add(sign * o.TradeValue);
            _cost.Add(o.TradeCost);
            _dir.Add((int)o.Direction);
            _ffr.Add(o.DealAmount / o.Amount);
            _pa.Add(0);
        }

        public OrdersFrame Build() => new([.. _dt], [.. _seq], [.. _inst], [.. _amount], [.. _deal], [.. _price], [.. _value], [.. _cost], [.. _dir], [.. _ffr], [.. _pa]);
    }
}
