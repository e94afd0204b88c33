using Qlib.Tracked.Analysis;
using Qlib.Tracked.Frames;
using static Qlib.Tracked.Tests.Records.QlibVectors;

namespace Qlib.Tracked.Tests.Records;

/// <summary>Every value of the Qlib reference vectors, reproduced through the library API.</summary>
public class QlibVectorTests
{
    [Fact]
    public void CalcIc_ReproducesEveryDateOfExpectedIc()
    {
        var (pred, label) = Panel();
        var (ic, ric) = SignalAnalysis.CalcIc(pred, label);
        var (header, rows) = ReadCsv("expected_ic.csv");
        Assert.Equal(["datetime", "ic", "rank_ic"], header);
        Assert.Equal(rows.Select(r => Date(r[0])), ic.Datetime);
        Assert.Equal(rows.Select(r => Date(r[0])), ric.Datetime);
        for (var i = 0; i < rows.Count; i++)
        {
            Close(Num(rows[i][1]), ic.Value[i], $"ic {rows[i][0]}");
            Close(Num(rows[i][2]), ric.Value[i], $"rank_ic {rows[i][0]}");
        }
    }

    [Fact]
    public void CalcLongShortReturn_ReproducesEveryDateAndBothLegs()
    {
        var (pred, label) = Panel();
        var ls = SignalAnalysis.CalcLongShortReturn(pred, label);
        var (header, rows) = ReadCsv("expected_long_short.csv");
        Assert.Equal(["datetime", "long_short_r", "long_avg_r", "long_r", "short_r"], header);
        Assert.Equal(rows.Select(r => Date(r[0])), ls.LongShort.Datetime);
        for (var i = 0; i < rows.Count; i++)
        {
            Close(Num(rows[i][1]), ls.LongShort.Value[i], $"long_short_r {rows[i][0]}");
            Close(Num(rows[i][2]), ls.LongAverage.Value[i], $"long_avg_r {rows[i][0]}");
            Close(Num(rows[i][3]), ls.Long.Value[i], $"long_r {rows[i][0]}");
            Close(Num(rows[i][4]), ls.Short.Value[i], $"short_r {rows[i][0]}");
        }
    }

    [Fact]
    public void Analyze_ReproducesSigAnaMetrics_NamesAndValues()
    {
        var (pred, label) = Panel();
        var result = SignalAnalysis.Analyze(pred, label, longShort: true, annScaler: 252);
        var expected = ReadMetrics("expected_sig_ana_metrics.json");
        Assert.Equal(expected.Select(e => e.Key).Order(StringComparer.Ordinal), result.Metrics.Select(m => m.Key).Order(StringComparer.Ordinal));
        foreach (var (key, value) in expected) Close(value, result.Metric(key), key);
    }

    [Fact]
    public void Analyze_WithoutLongShort_LogsOnlyTheFourIcMetrics()
    {
        var (pred, label) = Panel();
        var result = SignalAnalysis.Analyze(pred, label);
        Assert.Equal([RecordMetrics.IC, RecordMetrics.ICIR, RecordMetrics.RankIC, RecordMetrics.RankICIR], result.Metrics.Select(m => m.Key));
        Assert.Null(result.LongShort);
    }

    [Fact]
    public void RiskAnalysis_ReproducesEveryRowOfExpectedRiskAnalysis()
    {
        var report = Report();
        var (header, rows) = ReadCsv("expected_risk_analysis.csv");
        Assert.Equal(["case", "series", "mode", "N_arg", "freq_arg", "N_effective", "mean", "std", "annualized_return", "information_ratio", "max_drawdown"], header);
        Assert.NotEmpty(rows);
        foreach (var row in rows)
        {
            var series = SeriesOf(report, row[1]);
            var mode = row[2] switch
            {
                "sum" => RiskAnalysisMode.Sum,
                "product" => RiskAnalysisMode.Product,
                var m => throw new InvalidOperationException("unknown mode " + m),
            };
            double? n = row[3].Length == 0 ? null : Num(row[3]);
            string? freq = row[4].Length == 0 ? null : row[4];
            var r = RiskAnalysis.Compute(series, n, freq, mode);
            var c = row[0];
            Close(Num(row[5]), r.N, c + " N_effective");
            Close(Num(row[6]), r.Mean, c + " mean");
            Close(Num(row[7]), r.Std, c + " std");
            Close(Num(row[8]), r.AnnualizedReturn, c + " annualized_return");
            Close(Num(row[9]), r.InformationRatio, c + " information_ratio");
            Close(Num(row[10]), r.MaxDrawdown, c + " max_drawdown");
        }
    }

    [Fact]
    public void PortfolioAnalysis_ReproducesPortAnaMetrics_NamesAndValues()
    {
        var report = Report();
        var table = PortfolioAnalysis.ExcessReturnAnalysis(report.Return, report.Bench, report.Cost);
        var metrics = PortfolioAnalysis.FlattenMetrics(PortfolioAnalysis.DefaultFreq, table);
        var expected = ReadMetrics("expected_port_ana_metrics.json");
        Assert.Equal(expected.Select(e => e.Key).Order(StringComparer.Ordinal), metrics.Select(m => m.Key).Order(StringComparer.Ordinal));
        var actual = metrics.ToDictionary(m => m.Key, m => m.Value);
        foreach (var (key, value) in expected) Close(value, actual[key], key);
        // The names are the ones the analyzers know.
        Assert.Contains(RecordMetrics.ExcessReturnWithCostAnnualizedReturn1Day, actual.Keys);
        Assert.Contains(RecordMetrics.ExcessReturnWithoutCostMaxDrawdown1Day, actual.Keys);
    }

    internal sealed record ReportColumns(double[] Return, double[] Bench, double[] Cost);

    internal static ReportColumns Report()
    {
        var (header, rows) = ReadCsv("report.csv");
        Assert.Equal(["datetime", "return", "bench", "cost"], header);
        return new(rows.Select(r => Num(r[1])).ToArray(), rows.Select(r => Num(r[2])).ToArray(), rows.Select(r => Num(r[3])).ToArray());
    }

    /// <summary>The series the fixture names: <c>return</c>, <c>excess_return_without_cost</c> (return − bench), <c>excess_return_with_cost</c> (− cost).</summary>
    private static double[] SeriesOf(ReportColumns report, string name)
    {
        var n = report.Return.Length;
        var result = new double[n];
        for (var i = 0; i < n; i++)
        {
            result[i] = name switch
            {
                "return" => report.Return[i],
                "excess_return_without_cost" or "return-bench" => report.Return[i] - report.Bench[i],
                "excess_return_with_cost" or "return-bench-cost" => report.Return[i] - report.Bench[i] - report.Cost[i],
                _ => throw new InvalidOperationException("unknown series " + name),
            };
        }
        return result;
    }
}
