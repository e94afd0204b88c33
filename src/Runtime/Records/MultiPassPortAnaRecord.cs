using Parquet;
using Parquet.Schema;
using Qlib.Tracked.Analysis;
using Qlib.Tracked.Artifacts;
using Qlib.Tracked.Artifacts.FlatParquet;
using Qlib.Tracked.Backtest;
using Qlib.Tracked.Frames;

namespace Qlib.Tracked.Records;

/// <summary>
/// Qlib's <c>multi_pass_port_analysis_{freq}</c> frame: per (series, metric), over the passes, the <c>mean</c>,
/// the <c>std</c> (ddof 1) and <c>mean_std</c> = mean / std, for <c>annualized_return</c> and
/// <c>information_ratio</c> only. Qlib's two-level index (key, metric) is stored as the columns <c>series</c> and
/// <c>metric</c>, followed by <c>mean</c>, <c>std</c>, <c>mean_std</c>. Rows in pandas' groupby order (sorted by
/// series, then metric). Not thread-safe for writes: the column arrays are exposed, not copied.
/// </summary>
public sealed class MultiPassPortAnalysisTable : IParquetTable<MultiPassPortAnalysisTable>, IFlatParquetTable
{
    /// <summary>A table from its columns, one element per (series, metric); the arrays are kept, not copied.</summary>
    /// <exception cref="ArgumentNullException">A column is null.</exception>
    /// <exception cref="TrackingException">INVALID_PARAMETER_VALUE when the columns' lengths differ or a name is null.</exception>
    public MultiPassPortAnalysisTable(string[] series, string[] metric, double[] mean, double[] std, double[] meanStd)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(metric);
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(std);
        ArgumentNullException.ThrowIfNull(meanStd);
        FrameColumns.CheckLengths(nameof(MultiPassPortAnalysisTable), ("series", series.Length), ("metric", metric.Length),
            ("mean", mean.Length), ("std", std.Length), ("mean_std", meanStd.Length));
        FrameColumns.CheckNoNull(nameof(MultiPassPortAnalysisTable), "series", series);
        FrameColumns.CheckNoNull(nameof(MultiPassPortAnalysisTable), "metric", metric);
        Series = series;
        Metric = metric;
        Mean = mean;
        Std = std;
        MeanStd = meanStd;
    }

    /// <summary>The statistics, in column order: <c>mean</c>, <c>std</c>, <c>mean_std</c> (the metric-name prefixes).</summary>
    public static IReadOnlyList<string> StatNames { get; } = ["mean", "std", "mean_std"];

    /// <summary>The analysed series: <c>excess_return_without_cost</c> or <c>excess_return_with_cost</c>.</summary>
    public string[] Series { get; }
    /// <summary>The metric: <c>annualized_return</c> or <c>information_ratio</c>.</summary>
    public string[] Metric { get; }
    /// <summary>The metric's mean over the passes.</summary>
    public double[] Mean { get; }
    /// <summary>The metric's sample standard deviation (ddof 1) over the passes; NaN with one pass.</summary>
    public double[] Std { get; }
    /// <summary><see cref="Mean"/> / <see cref="Std"/> (IEEE division: ±∞ or NaN when the std is 0).</summary>
    public double[] MeanStd { get; }
    /// <inheritdoc/>
    public int RowCount => Mean.Length;

    /// <summary>The column of <paramref name="stat"/> (<c>mean</c>, <c>std</c> or <c>mean_std</c>).</summary>
    public double[] Stat(string stat) => stat switch
    {
        "mean" => Mean,
        "std" => Std,
        "mean_std" => MeanStd,
        _ => throw TrackingException.InvalidParameter($"Unknown statistic '{stat}'; expected mean, std or mean_std."),
    };

    /// <summary>The row index of (<paramref name="series"/>, <paramref name="metric"/>); error when absent.</summary>
    public int IndexOf(string series, string metric)
    {
        for (var i = 0; i < RowCount; i++)
            if (Series[i] == series && Metric[i] == metric) return i;
        throw TrackingException.DoesNotExist($"The multi-pass table has no row ({series}, {metric}).");
    }

    private static readonly DataField<string> SeriesField = new("series", nullable: false);
    private static readonly DataField<string> MetricField = new("metric", nullable: false);
    private static readonly DataField<double> MeanField = FrameColumns.Double("mean");
    private static readonly DataField<double> StdField = FrameColumns.Double("std");
    private static readonly DataField<double> MeanStdField = FrameColumns.Double("mean_std");

    /// <inheritdoc/>
    public static ParquetSchema Schema { get; } = new(SeriesField, MetricField, MeanField, StdField, MeanStdField);

    /// <inheritdoc/>
    public Task WriteColumnsAsync(ParquetRowGroupWriter group, CancellationToken cancellationToken) =>
        RowGroupColumns.WriteAsync(this, group, cancellationToken);

    void IFlatParquetTable.AddColumns(IFlatColumnSink writer)
    {
        writer.Add(SeriesField, Series);
        writer.Add(MetricField, Metric);
        writer.Add(MeanField, Mean);
        writer.Add(StdField, Std);
        writer.Add(MeanStdField, MeanStd);
    }

    /// <inheritdoc/>
    public static async Task<MultiPassPortAnalysisTable> ReadColumnsAsync(ParquetTableReader reader, CancellationToken cancellationToken)
    {
        var series = await reader.ReadStringsAsync("series", cancellationToken).ConfigureAwait(false);
        var metric = await reader.ReadStringsAsync("metric", cancellationToken).ConfigureAwait(false);
        var mean = await reader.ReadDoublesAsync("mean", cancellationToken).ConfigureAwait(false);
        var std = await reader.ReadDoublesAsync("std", cancellationToken).ConfigureAwait(false);
        var meanStd = await reader.ReadDoublesAsync("mean_std", cancellationToken).ConfigureAwait(false);
        return new MultiPassPortAnalysisTable(series, metric, mean, std, meanStd);
    }
}

/// <summary>One pass of <see cref="MultiPassPortAnaRecord"/>: its <c>run_id</c> and its PortAnaRecord result (not saved). Immutable record.</summary>
public sealed record PortAnaPass(int RunId, PortAnaResult Result);

/// <summary>What MultiPassPortAnaRecord produced: every pass, the aggregate table, and the aggregate metrics it logged. Immutable record; the tables it holds are shared, not copied.</summary>
public sealed record MultiPassPortAnaResult(IReadOnlyList<PortAnaPass> Passes, MultiPassPortAnalysisTable Analysis,
    IReadOnlyList<KeyValuePair<string, double>> Metrics);

/// <summary>
/// Qlib's <c>MultiPassPortAnaRecord</c> (qlib-semantics §3.5) for a daily backtest: <see cref="PassNum"/> times, it
/// (when <see cref="ShuffleInitScore"/>) shuffles the scores of the first prediction date on or after the backtest
/// start and runs <see cref="PortAnaRecord"/>'s computation on that prediction. Each pass logs PortAnaRecord's
/// <c>1day.*</c> metrics (later passes overwrite earlier ones, as in Qlib) but saves none of its artifacts. Then, over
/// the passes' <c>port_analysis_1day</c> tables, per (series, metric) for <c>annualized_return</c> and
/// <c>information_ratio</c>: mean and std as pandas' <c>Series.mean()</c>/<c>Series.std()</c> (sum/n, ddof 1) and
/// mean_std = mean/std. Saves <c>portfolio_analysis/multi_pass_port_analysis_1day.parquet</c> and logs
/// <c>{stat}.{series}.{metric}</c> (no freq prefix, as Qlib). Not thread-safe: use one template per thread.
/// </summary>
/// <remarks>
/// <para>Shuffling: each pass starts from the stored <c>pred</c> (Qlib reloads it) and permutes the score values among
/// that date's rows with <see cref="Random.Shuffle{T}(Span{T})"/> (Fisher–Yates) of one <see cref="Random"/> shared by
/// the passes: <c>new Random(seed)</c> when <see cref="Seed"/> is set (reproducible), an unseeded one otherwise. Qlib
/// uses numpy's unseeded global shuffle, so its draws cannot be matched; only the distribution is the same.</para>
/// <para>Degenerate statistics, as pandas gives them: one pass → std NaN, mean_std NaN. Identical passes (no shuffle,
/// or a shuffle that changes nothing) → std 0 when sum/n reproduces the value (it does for the toy case at 3
/// passes, not for every value and pass count), and then mean_std = mean/0: +∞ for a positive mean, −∞ for a
/// negative one, NaN for 0 (IEEE division, as numpy's).</para>
/// </remarks>
[DependsOnRecord(typeof(SignalRecord))]
public sealed class MultiPassPortAnaRecord : AutoCheckRecordTemplate<MultiPassPortAnaResult>
{
    /// <summary>The backtest frequency, as <see cref="PortAnaRecord.Freq"/>.</summary>
    public const string Freq = PortAnaRecord.Freq;
    /// <summary>The aggregate table (<see cref="MultiPassPortAnalysisTable"/>), under <c>portfolio_analysis/</c>.</summary>
    public const string MultiPassPortAnalysisFile = "multi_pass_port_analysis_" + Freq + ".parquet";

    /// <summary>The metrics kept from each pass's table (Qlib's <c>["annualized_return", "information_ratio"]</c>).</summary>
    public static IReadOnlyList<string> AggregatedMetrics { get; } = ["annualized_return", "information_ratio"];

    /// <summary>Creates the record for <paramref name="recorder"/>'s run.</summary>
    /// <param name="recorder">The run holding SignalRecord's artifacts; null defers the error to first use.</param>
    /// <param name="market">The prices to backtest on.</param>
    /// <param name="passNum">How many backtests to run (at least 1).</param>
    /// <param name="shuffleInitScore">Shuffle the first prediction date's scores before each pass.</param>
    /// <param name="seed">Seed of the shuffle; null for an unseeded (non-reproducible) one, as Qlib.</param>
    /// <param name="config">Strategy, exchange, account, benchmark and period; null for Qlib's defaults.</param>
    /// <param name="indicatorAnalysisMethod"><c>mean</c>, <c>amount_weighted</c> or <c>value_weighted</c>.</param>
    /// <param name="riskAnalysisMode">How returns are accumulated by the risk analysis.</param>
    /// <param name="skipExisting">Skip when this record's artifacts already exist.</param>
    /// <exception cref="ArgumentNullException"><paramref name="market"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="passNum"/> is less than 1.</exception>
    public MultiPassPortAnaRecord(Recorder? recorder, MarketData market, int passNum = 10, bool shuffleInitScore = true, int? seed = null,
        BacktestConfig? config = null, string indicatorAnalysisMethod = "mean", RiskAnalysisMode riskAnalysisMode = RiskAnalysisMode.Sum,
        bool skipExisting = false)
        : base(recorder, skipExisting)
    {
        ArgumentNullException.ThrowIfNull(market);
        ArgumentOutOfRangeException.ThrowIfLessThan(passNum, 1);
        Market = market;
        PassNum = passNum;
        ShuffleInitScore = shuffleInitScore;
        Seed = seed;
        Config = config ?? new BacktestConfig();
        IndicatorAnalysisMethod = indicatorAnalysisMethod;
        RiskAnalysisMode = riskAnalysisMode;
    }

    /// <summary>The prices the backtests run on.</summary>
    public MarketData Market { get; }
    /// <summary>How many backtests are run (Qlib's <c>pass_num</c>).</summary>
    public int PassNum { get; }
    /// <summary>Whether each pass shuffles the first prediction date's scores (Qlib's <c>shuffle_init_score</c>).</summary>
    public bool ShuffleInitScore { get; }
    /// <summary>The shuffle's seed; null for an unseeded shuffle.</summary>
    public int? Seed { get; }
    /// <summary>Strategy, exchange, account, benchmark and period of each backtest.</summary>
    public BacktestConfig Config { get; }
    /// <summary>How the indicator analysis weighs the days: <c>mean</c>, <c>amount_weighted</c> or <c>value_weighted</c>.</summary>
    public string IndicatorAnalysisMethod { get; }
    /// <summary>How the risk analysis accumulates returns.</summary>
    public RiskAnalysisMode RiskAnalysisMode { get; }

    /// <summary>Qlib's <c>list()</c>: <c>multi_pass_port_analysis_{freq}</c> for each risk freq.</summary>
    public static RecordLayout MultiPassLayout { get; } = new(RecordArtifacts.PortfolioAnalysisPath,
        [MultiPassPortAnalysisFile], SignalRecord.SignalLayout);

    /// <inheritdoc/>
    public override RecordLayout Layout => MultiPassLayout;

    /// <inheritdoc/>
    protected override MultiPassPortAnaResult? GenerateCore()
    {
        var pred = Load<PredictionFrame>(RecordArtifacts.Pred);
        var single = new PortAnaRecord(Recorder, Market, Config, IndicatorAnalysisMethod, RiskAnalysisMode) { Log = Log };
        var random = Seed is { } s ? new Random(s) : new Random();
        var passes = new List<PortAnaPass>(PassNum);
        for (var i = 0; i < PassNum; i++)
        {
            var signal = ShuffleInitScore ? ShuffleFirstDate(pred, Config.StartTime, random) : pred;
            passes.Add(new PortAnaPass(i, single.Compute(signal)));
        }
        var table = Aggregate(passes.Select(p => p.Result.PortAnalysis).ToList());
        var metrics = FlattenMetrics(table);
        Recorder.LogMetrics(metrics.Select(kv => (kv.Key, kv.Value)).ToArray());
        Info($"Multi-pass port analysis ({Freq}, {PassNum} passes): " +
             string.Join(", ", metrics.Select(kv => $"{kv.Key} {kv.Value:R}")));
        return new MultiPassPortAnaResult(passes, table, metrics);
    }

    /// <inheritdoc/>
    protected override void SaveResult(MultiPassPortAnaResult result) => Save(MultiPassPortAnalysisFile, result.Analysis);

    /// <summary>
    /// Qlib's <c>random_init</c>: a copy of <paramref name="pred"/> whose scores on the first pred date on or after
    /// <paramref name="start"/> (the earliest pred date when null) are permuted among that date's rows.
    /// </summary>
    internal static PredictionFrame ShuffleFirstDate(PredictionFrame pred, DateTime? start, Random random)
    {
        ArgumentNullException.ThrowIfNull(pred);
        ArgumentNullException.ThrowIfNull(random);
        DateTime? first = null;
        foreach (var d in pred.Datetime)
            if ((start is null || d >= start.Value) && (first is null || d < first.Value)) first = d;
        var score = (double[])pred.Score.Clone();
        if (first is { } date)
        {
            var rows = new List<int>();
            for (var i = 0; i < pred.RowCount; i++)
                if (pred.Datetime[i] == date) rows.Add(i);
            var values = rows.Select(r => score[r]).ToArray();
            random.Shuffle(values);
            for (var k = 0; k < rows.Count; k++) score[rows[k]] = values[k];
        }
        return new PredictionFrame(pred.Datetime, pred.Instrument, score);
    }

    /// <summary>
    /// Concatenates the passes' port-analysis tables (run_id = list index), groups by (series, metric) in sorted order
    /// and keeps <see cref="AggregatedMetrics"/>: mean, std (ddof 1), mean/std over the passes.
    /// </summary>
    public static MultiPassPortAnalysisTable Aggregate(IReadOnlyList<RiskAnalysisTable> passes)
    {
        ArgumentNullException.ThrowIfNull(passes);
        if (passes.Count == 0) throw TrackingException.InvalidParameter("Multi-pass analysis needs at least one pass.");
        var groups = new SortedDictionary<(string Series, string Metric), List<double>>(
            Comparer<(string Series, string Metric)>.Create((a, b) =>
            {
                var c = string.CompareOrdinal(a.Series, b.Series);
                return c != 0 ? c : string.CompareOrdinal(a.Metric, b.Metric);
            }));
        foreach (var table in passes)
        {
            ArgumentNullException.ThrowIfNull(table);
            for (var i = 0; i < table.RowCount; i++)
            {
                if (!AggregatedMetrics.Contains(table.Metric[i])) continue;
                var key = (table.Series[i], table.Metric[i]);
                if (!groups.TryGetValue(key, out var values)) groups[key] = values = [];
                values.Add(table.Risk[i]);
            }
        }
        var n = groups.Count;
        var series = new string[n];
        var metric = new string[n];
        var mean = new double[n];
        var std = new double[n];
        var meanStd = new double[n];
        var row = 0;
        foreach (var ((s, m), values) in groups)
        {
            series[row] = s;
            metric[row] = m;
            var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(values);
            mean[row] = Stats.NanMean(span);
            std[row] = Stats.NanStd(span);
            meanStd[row] = mean[row] / std[row];
            row++;
        }
        return new MultiPassPortAnalysisTable(series, metric, mean, std, meanStd);
    }

    /// <summary>The metrics Qlib logs for <paramref name="table"/>: <c>{stat}.{series}.{metric}</c>, stat-major, in table order.</summary>
    public static IReadOnlyList<KeyValuePair<string, double>> FlattenMetrics(MultiPassPortAnalysisTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var metrics = new List<KeyValuePair<string, double>>(3 * table.RowCount);
        foreach (var stat in MultiPassPortAnalysisTable.StatNames)
        {
            var column = table.Stat(stat);
            for (var i = 0; i < table.RowCount; i++) metrics.Add(new($"{stat}.{table.Series[i]}.{table.Metric[i]}", column[i]));
        }
        return metrics;
    }
}
