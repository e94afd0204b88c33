using Parquet;
using Parquet.Schema;
using Qlib.Tracked.Analysis;
using Qlib.Tracked.Artifacts;
using Qlib.Tracked.Artifacts.FlatParquet;

namespace Qlib.Tracked.Frames;

/// <summary>
/// Qlib's risk-analysis frame: a <c>risk</c> column whose rows are <c>mean, std, annualized_return,
/// information_ratio, max_drawdown</c> for each analysed series. PortAnaRecord concatenates one block
/// per series (<c>excess_return_without_cost</c>, <c>excess_return_with_cost</c>) into a two-level
/// index; here that index is the columns <c>series</c> and <c>metric</c> (what pandas' <c>reset_index()</c>
/// gives), followed by <c>risk</c>. A plain <c>risk_analysis(r)</c> result has an empty series name.
/// Not thread-safe for writes: the column arrays are exposed, not copied; concurrent reads are safe while nobody writes.
/// </summary>
public sealed class RiskAnalysisTable : IParquetTable<RiskAnalysisTable>, IFlatParquetTable
{
    /// <summary>A table from its columns, one element per (series, metric); the arrays are kept, not copied.</summary>
    /// <exception cref="ArgumentNullException">A column is null.</exception>
    /// <exception cref="TrackingException">INVALID_PARAMETER_VALUE when the columns' lengths differ or a name is null.</exception>
    public RiskAnalysisTable(string[] series, string[] metric, double[] risk)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(metric);
        ArgumentNullException.ThrowIfNull(risk);
        FrameColumns.CheckLengths(nameof(RiskAnalysisTable), ("series", series.Length), ("metric", metric.Length), ("risk", risk.Length));
        FrameColumns.CheckNoNull(nameof(RiskAnalysisTable), "series", series);
        FrameColumns.CheckNoNull(nameof(RiskAnalysisTable), "metric", metric);
        Series = series;
        Metric = metric;
        Risk = risk;
    }

    /// <summary>The analysed series of each row (e.g. <c>excess_return_with_cost</c>); empty for a plain <c>risk_analysis(r)</c>.</summary>
    public string[] Series { get; }
    /// <summary>The metric of each row: <c>mean</c>, <c>std</c>, <c>annualized_return</c>, <c>information_ratio</c> or <c>max_drawdown</c>.</summary>
    public string[] Metric { get; }
    /// <summary>The metric's value.</summary>
    public double[] Risk { get; }
    /// <inheritdoc/>
    public int RowCount => Risk.Length;

    /// <summary>One block of five rows per named result, in the order given (Qlib's <c>pd.concat(analysis)</c>).</summary>
    public static RiskAnalysisTable From(params ReadOnlySpan<(string Series, RiskAnalysisResult Result)> blocks)
    {
        var n = blocks.Length * RiskAnalysisResult.MetricNames.Length;
        var series = new string[n];
        var metric = new string[n];
        var risk = new double[n];
        var row = 0;
        foreach (var (name, result) in blocks)
        {
            ArgumentNullException.ThrowIfNull(name);
            for (var m = 0; m < RiskAnalysisResult.MetricNames.Length; m++, row++)
            {
                series[row] = name;
                metric[row] = RiskAnalysisResult.MetricNames[m];
                risk[row] = result[m];
            }
        }
        return new RiskAnalysisTable(series, metric, risk);
    }

    /// <summary>The <c>risk</c> value of (<paramref name="series"/>, <paramref name="metric"/>); NOT_FOUND-style error when absent.</summary>
    public double Get(string series, string metric)
    {
        for (var i = 0; i < Risk.Length; i++)
            if (Series[i] == series && Metric[i] == metric) return Risk[i];
        throw TrackingException.DoesNotExist($"The risk-analysis table has no row ({series}, {metric}).");
    }

    private static readonly DataField<string> SeriesField = new("series", nullable: false);
    private static readonly DataField<string> MetricField = new("metric", nullable: false);
    private static readonly DataField<double> RiskField = FrameColumns.Double("risk");

    /// <inheritdoc/>
    public static ParquetSchema Schema { get; } = new(SeriesField, MetricField, RiskField);

    /// <inheritdoc/>
    public Task WriteColumnsAsync(ParquetRowGroupWriter group, CancellationToken cancellationToken) =>
        RowGroupColumns.WriteAsync(this, group, cancellationToken);

    void IFlatParquetTable.AddColumns(IFlatColumnSink writer)
    {
        writer.Add(SeriesField, Series);
        writer.Add(MetricField, Metric);
        writer.Add(RiskField, Risk);
    }

    /// <inheritdoc/>
    public static async Task<RiskAnalysisTable> ReadColumnsAsync(ParquetTableReader reader, CancellationToken cancellationToken)
    {
        var series = await reader.ReadStringsAsync("series", cancellationToken).ConfigureAwait(false);
        var metric = await reader.ReadStringsAsync("metric", cancellationToken).ConfigureAwait(false);
        var risk = await reader.ReadDoublesAsync("risk", cancellationToken).ConfigureAwait(false);
        return new RiskAnalysisTable(series, metric, risk);
    }
}
