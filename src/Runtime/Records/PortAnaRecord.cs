using Parquet;
using Parquet.Schema;
using Qlib.Tracked.Analysis;
using Qlib.Tracked.Artifacts;
using Qlib.Tracked.Artifacts.FlatParquet;
using Qlib.Tracked.Backtest;
using Qlib.Tracked.Frames;

namespace Qlib.Tracked.Records;

/// <summary>Qlib's <c>indicator_analysis_{freq}</c> frame: rows <c>ffr, pa, pos</c>, stored as columns <c>indicator</c>, <c>value</c>. Not thread-safe for writes: the column arrays are exposed, not copied.</summary>
public sealed class IndicatorAnalysisTable : IParquetTable<IndicatorAnalysisTable>, IFlatParquetTable
{
    /// <summary>A table of indicator names and values; the arrays are kept, not copied.</summary>
    /// <exception cref="ArgumentNullException">A column is null.</exception>
    /// <exception cref="TrackingException">INVALID_PARAMETER_VALUE when the columns' lengths differ or a name is null.</exception>
    public IndicatorAnalysisTable(string[] indicator, double[] value)
    {
        ArgumentNullException.ThrowIfNull(indicator);
        ArgumentNullException.ThrowIfNull(value);
        FrameColumns.CheckLengths(nameof(IndicatorAnalysisTable), ("indicator", indicator.Length), ("value", value.Length));
        FrameColumns.CheckNoNull(nameof(IndicatorAnalysisTable), "indicator", indicator);
        Indicator = indicator;
        Value = value;
    }

    /// <summary>The rows <c>ffr, pa, pos</c> of <paramref name="r"/>, in that order.</summary>
    public static IndicatorAnalysisTable From(IndicatorAnalysisResult r) => new([.. IndicatorAnalysisResult.Names], [r.Ffr, r.Pa, r.Pos]);

    /// <summary>The indicator name of each row (<c>ffr</c>, <c>pa</c>, <c>pos</c>).</summary>
    public string[] Indicator { get; }
    /// <summary>The value of each indicator.</summary>
    public double[] Value { get; }
    /// <inheritdoc/>
    public int RowCount => Value.Length;

    private static readonly DataField<string> IndicatorField = new("indicator", nullable: false);
    private static readonly DataField<double> ValueField = FrameColumns.Double("value");
    /// <inheritdoc/>
    public static ParquetSchema Schema { get; } = new(IndicatorField, ValueField);

    /// <inheritdoc/>
    public Task WriteColumnsAsync(ParquetRowGroupWriter group, CancellationToken cancellationToken) =>
        RowGroupColumns.WriteAsync(this, group, cancellationToken);

    void IFlatParquetTable.AddColumns(IFlatColumnSink writer)
    {
        writer.Add(IndicatorField, Indicator);
        writer.Add(ValueField, Value);
    }

    /// <inheritdoc/>
    public static async Task<IndicatorAnalysisTable> ReadColumnsAsync(ParquetTableReader reader, CancellationToken cancellationToken)
    {
        var indicator = await reader.ReadStringsAsync("indicator", cancellationToken).ConfigureAwait(false);
        var value = await reader.ReadDoublesAsync("value", cancellationToken).ConfigureAwait(false);
        return new IndicatorAnalysisTable(indicator, value);
    }
}

/// <summary>What PortAnaRecord produced: the backtest, its risk analysis, indicator analysis and the logged metrics. Immutable record; the frames it holds are shared, not copied.</summary>
public sealed record PortAnaResult(BacktestResult Backtest, RiskAnalysisTable PortAnalysis, IndicatorAnalysisTable IndicatorAnalysis,
    IReadOnlyList<KeyValuePair<string, double>> Metrics);

/// <summary>
/// Qlib's <c>PortAnaRecord</c> for a daily backtest (qlib-semantics §3.4): loads SignalRecord's <c>pred</c>, runs
/// <see cref="DailyBacktest"/> on the user's <see cref="MarketData"/>, logs <c>1day.{excess_return_without_cost,
/// excess_return_with_cost}.{mean,std,annualized_return,information_ratio,max_drawdown}</c> and <c>1day.ffr/pa/pos</c>,
/// and stores in <c>portfolio_analysis/</c>: <c>report_normal_1day</c>, <c>positions_normal_1day</c>,
/// <c>indicators_normal_1day</c>, <c>indicators_normal_1day_obj</c> (the per-order history, Qlib's Indicator object),
/// <c>port_analysis_1day</c> and <c>indicator_analysis_1day</c>, all <c>.parquet</c>. Like Qlib, it generates only when
/// both <c>pred</c> and <c>label</c> exist. Not thread-safe: use one template per thread.
/// </summary>
[DependsOnRecord(typeof(SignalRecord))]
public sealed class PortAnaRecord : AutoCheckRecordTemplate<PortAnaResult>
{
    /// <summary>The backtest frequency this record runs at, and the suffix of its artifacts and metric prefix.</summary>
    public const string Freq = "1day";
    /// <summary>The daily report (<see cref="BacktestReport"/>), under <c>portfolio_analysis/</c>.</summary>
    public const string ReportFile = "report_normal_" + Freq + ".parquet";
    /// <summary>The daily holdings (<see cref="PositionsFrame"/>), under <c>portfolio_analysis/</c>.</summary>
    public const string PositionsFile = "positions_normal_" + Freq + ".parquet";
    /// <summary>The daily order indicators (<see cref="IndicatorFrame"/>), under <c>portfolio_analysis/</c>; saved but not listed.</summary>
    public const string IndicatorsFile = "indicators_normal_" + Freq + ".parquet";
    /// <summary>The per-order history (<see cref="OrdersFrame"/>), under <c>portfolio_analysis/</c>; saved but not listed.</summary>
    public const string OrdersFile = "indicators_normal_" + Freq + "_obj.parquet";
    /// <summary>The risk analysis of the excess returns (<see cref="RiskAnalysisTable"/>), under <c>portfolio_analysis/</c>.</summary>
    public const string PortAnalysisFile = "port_analysis_" + Freq + ".parquet";
    /// <summary>The indicator analysis (<see cref="IndicatorAnalysisTable"/>), under <c>portfolio_analysis/</c>.</summary>
    public const string IndicatorAnalysisFile = "indicator_analysis_" + Freq + ".parquet";

    /// <summary>Creates the record for <paramref name="recorder"/>'s run.</summary>
    /// <param name="recorder">The run holding SignalRecord's artifacts; null defers the error to first use.</param>
    /// <param name="market">The prices to backtest on.</param>
    /// <param name="config">Strategy, exchange, account, benchmark and period; null for Qlib's defaults.</param>
    /// <param name="indicatorAnalysisMethod"><c>mean</c>, <c>amount_weighted</c> or <c>value_weighted</c> (see <see cref="Backtest.IndicatorAnalysis.Compute"/>).</param>
    /// <param name="riskAnalysisMode">How returns are accumulated by the risk analysis.</param>
    /// <param name="skipExisting">Skip when this record's artifacts already exist.</param>
    /// <exception cref="ArgumentNullException"><paramref name="market"/> is null.</exception>
    public PortAnaRecord(Recorder? recorder, MarketData market, BacktestConfig? config = null, string indicatorAnalysisMethod = "mean",
        RiskAnalysisMode riskAnalysisMode = RiskAnalysisMode.Sum, bool skipExisting = false)
        : base(recorder, skipExisting)
    {
        ArgumentNullException.ThrowIfNull(market);
        Market = market;
        Config = config ?? new BacktestConfig();
        IndicatorAnalysisMethod = indicatorAnalysisMethod;
        RiskAnalysisMode = riskAnalysisMode;
    }

    /// <summary>The prices the backtest runs on.</summary>
    public MarketData Market { get; }
    /// <summary>Strategy, exchange, account, benchmark and period of the backtest.</summary>
    public BacktestConfig Config { get; }
    /// <summary>How the indicator analysis weighs the days: <c>mean</c>, <c>amount_weighted</c> or <c>value_weighted</c>.</summary>
    public string IndicatorAnalysisMethod { get; }
    /// <summary>How the risk analysis accumulates returns (Qlib's <c>risk_analysis(mode=...)</c>).</summary>
    public RiskAnalysisMode RiskAnalysisMode { get; }

    /// <summary>Qlib's <c>list()</c>: report and positions, then the risk and indicator analyses (the indicator frames are saved but not listed).</summary>
    public static RecordLayout PortLayout { get; } = new(RecordArtifacts.PortfolioAnalysisPath,
        [ReportFile, PositionsFile, PortAnalysisFile, IndicatorAnalysisFile], SignalRecord.SignalLayout);

    /// <inheritdoc/>
    public override RecordLayout Layout => PortLayout;

    /// <inheritdoc/>
    protected override PortAnaResult? GenerateCore() => Compute(Load<PredictionFrame>(RecordArtifacts.Pred));

    /// <summary>
    /// Qlib's <c>PortAnaRecord._generate</c> on <paramref name="pred"/>: runs the backtest, logs the metrics and returns
    /// everything, saving nothing (<see cref="MultiPassPortAnaRecord"/> runs it once per pass).
    /// </summary>
    internal PortAnaResult Compute(PredictionFrame pred)
    {
        ArgumentNullException.ThrowIfNull(pred);
        var signal = new SignalTable(pred);
        if (Config.EndTime is null) Info("end_time is None: the backtest ends on the trading day before the last pred date.");
        var backtest = DailyBacktest.Run(Market, signal, Config);
        var r = backtest.Report;
        var analysis = PortfolioAnalysis.ExcessReturnAnalysis(r.Return, r.Bench, r.Cost, Freq, RiskAnalysisMode);
        var ia = Backtest.IndicatorAnalysis.Compute(backtest.Indicators, IndicatorAnalysisMethod);
        var metrics = new List<KeyValuePair<string, double>>(PortfolioAnalysis.FlattenMetrics(Freq, analysis));
        for (var i = 0; i < IndicatorAnalysisResult.Names.Length; i++) metrics.Add(new($"{Freq}.{IndicatorAnalysisResult.Names[i]}", ia[i]));
        Recorder.LogMetrics(metrics.Select(kv => (kv.Key, kv.Value)).ToArray());
        var bench = RiskAnalysis.Compute(r.Bench, freq: Freq, mode: RiskAnalysisMode);
        Info($"The following are analysis results of benchmark return({Freq}): mean {bench.Mean:R}, std {bench.Std:R}, " +
             $"annualized_return {bench.AnnualizedReturn:R}, information_ratio {bench.InformationRatio:R}, max_drawdown {bench.MaxDrawdown:R}");
        return new PortAnaResult(backtest, analysis, IndicatorAnalysisTable.From(ia), metrics);
    }

    /// <inheritdoc/>
    protected override void SaveResult(PortAnaResult result)
    {
        Save(ReportFile, result.Backtest.Report);
        Save(PositionsFile, result.Backtest.Positions);
        Save(IndicatorsFile, result.Backtest.Indicators);
        Save(OrdersFile, result.Backtest.Orders);
        Save(PortAnalysisFile, result.PortAnalysis);
        Save(IndicatorAnalysisFile, result.IndicatorAnalysis);
    }
}
