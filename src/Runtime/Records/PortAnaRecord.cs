using Parquet;
using Parquet.Schema;
using Qlib.Tracked.Analysis;
using Qlib.Tracked.Artifacts;
using Qlib.Tracked.Backtest;
using Qlib.Tracked.Frames;

namespace Qlib.Tracked.Records;

/// <summary>Qlib's <c>indicator_analysis_{freq}</c> frame: rows <c>ffr, pa, pos</c>, stored as columns <c>indicator</c>, <c>value</c>.</summary>
public sealed class IndicatorAnalysisTable : IParquetTable<IndicatorAnalysisTable>, IFlatParquetTable
{
    public IndicatorAnalysisTable(string[] indicator, double[] value)
    {
        ArgumentNullException.ThrowIfNull(indicator);
        ArgumentNullException.ThrowIfNull(value);
        FrameColumns.CheckLengths(nameof(IndicatorAnalysisTable), ("indicator", indicator.Length), ("value", value.Length));
        FrameColumns.CheckNoNull(nameof(IndicatorAnalysisTable), "indicator", indicator);
        Indicator = indicator;
        Value = value;
    }

    public static IndicatorAnalysisTable From(IndicatorAnalysisResult r) => new([.. IndicatorAnalysisResult.Names], [r.Ffr, r.Pa, r.Pos]);

    public string[] Indicator { get; }
    public double[] Value { get; }
    public int RowCount => Value.Length;

    private static readonly DataField<string> IndicatorField = new("indicator", nullable: false);
    private static readonly DataField<double> ValueField = FrameColumns.Double("value");
    public static ParquetSchema Schema { get; } = new(IndicatorField, ValueField);

    public Task WriteColumnsAsync(ParquetRowGroupWriter group, CancellationToken cancellationToken) =>
        RowGroupColumns.WriteAsync(this, group, cancellationToken);

    void IFlatParquetTable.AddColumns(IFlatColumnSink writer)
    {
        writer.Add(IndicatorField, Indicator);
        writer.Add(ValueField, Value);
    }

    public static async Task<IndicatorAnalysisTable> ReadColumnsAsync(ParquetTableReader reader, CancellationToken cancellationToken)
    {
        var indicator = await reader.ReadStringsAsync("indicator", cancellationToken).ConfigureAwait(false);
        var value = await reader.ReadDoublesAsync("value", cancellationToken).ConfigureAwait(false);
        return new IndicatorAnalysisTable(indicator, value);
    }
}

/// <summary>What PortAnaRecord produced: the backtest, its risk analysis, indicator analysis and the logged metrics.</summary>
public sealed record PortAnaResult(BacktestResult Backtest, RiskAnalysisTable PortAnalysis, IndicatorAnalysisTable IndicatorAnalysis,
    IReadOnlyList<KeyValuePair<string, double>> Metrics);

/// <summary>
/// Qlib's <c>PortAnaRecord</c> for a daily backtest (qlib-semantics §3.4): loads SignalRecord's <c>pred</c>, runs
/// <see cref="DailyBacktest"/> on the user's <see cref="MarketData"/>, logs <c>1day.{excess_return_without_cost,
/// excess_return_with_cost}.{mean,std,annualized_return,information_ratio,max_drawdown}</c> and <c>1day.ffr/pa/pos</c>,
/// and stores in <c>portfolio_analysis/</c>: <c>report_normal_1day</c>, <c>positions_normal_1day</c>,
/// <c>indicators_normal_1day</c>, <c>indicators_normal_1day_obj</c> (the per-order history, Qlib's Indicator object),
/// <c>port_analysis_1day</c> and <c>indicator_analysis_1day</c>, all <c>.parquet</c>. Like Qlib, it generates only when
/// both <c>pred</c> and <c>label</c> exist.
/// </summary>
[DependsOnRecord(typeof(SignalRecord))]
public sealed class PortAnaRecord : AutoCheckRecordTemplate<PortAnaResult>
{
    public const string Freq = "1day";
    public const string ReportFile = "report_normal_" + Freq + ".parquet";
    public const string PositionsFile = "positions_normal_" + Freq + ".parquet";
    public const string IndicatorsFile = "indicators_normal_" + Freq + ".parquet";
    public const string OrdersFile = "indicators_normal_" + Freq + "_obj.parquet";
    public const string PortAnalysisFile = "port_analysis_" + Freq + ".parquet";
    public const string IndicatorAnalysisFile = "indicator_analysis_" + Freq + ".parquet";

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

    public MarketData Market { get; }
    public BacktestConfig Config { get; }
    public string IndicatorAnalysisMethod { get; }
    public RiskAnalysisMode RiskAnalysisMode { get; }

    /// <summary>Qlib's <c>list()</c>: report and positions, then the risk and indicator analyses (the indicator frames are saved but not listed).</summary>
    public static RecordLayout PortLayout { get; } = new(RecordArtifacts.PortfolioAnalysisPath,
        [ReportFile, PositionsFile, PortAnalysisFile, IndicatorAnalysisFile], SignalRecord.SignalLayout);

    public override RecordLayout Layout => PortLayout;

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
