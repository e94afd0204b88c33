using System.Globalization;
using System.Text;
using System.Text.Json;
using Qlib.Tracked;
using Qlib.Tracked.Analysis;
using Qlib.Tracked.Backtest;
using Qlib.Tracked.Frames;
using Qlib.Tracked.Records;

[assembly: KnownTrackingNames(TrackingNameKind.Param, "backtest")]

namespace EvaluateCsv;

/// <summary>A backtest case folder in the formats of <c>shared/fixtures/qlib-backtest</c>, read and checked.</summary>
public sealed record BacktestInput(string Dir, MarketData Market, PredictionFrame Pred, BacktestConfig Config);

/// <summary>What <c>--backtest</c> recorded and computed.</summary>
public sealed record BacktestEvaluateResult(
    string RunId,
    string ExperimentId,
    string RunFolder,
    PortAnaResult PortAna,
    RiskAnalysisResult Bench,
    IReadOnlyList<string> Written);

/// <summary>
/// <c>EvaluateCsv --backtest DIR</c>: reads <c>prices.csv</c>, <c>benchmark.csv</c>, <c>pred.csv</c> and
/// <c>config.json</c>, records SignalRecord (the predictions; no label, as Qlib stores when the dataset has none)
/// and PortAnaRecord (Qlib's daily backtest with TopkDropoutStrategy, its risk and indicator analyses and the
/// flattened <c>1day.*</c> metrics), and with <c>--out</c> writes the seven output files of the fixture.
/// </summary>
public static class BacktestCommand
{
    public static readonly string[] InputFiles = ["prices.csv", "benchmark.csv", "pred.csv", "config.json"];

    public static readonly string[] OutputFiles =
    [
        "report_normal_1day.csv", "positions_normal_1day.json", "indicators_normal_1day.csv", "orders.csv",
        "port_analysis_1day.csv", "indicator_analysis_1day.csv", "metrics.json",
    ];

    /// <summary>Reads <paramref name="dir"/>; every problem (missing file, bad value, bad config) is an <see cref="InputException"/>.</summary>
    public static BacktestInput Read(string dir)
    {
        if (!Directory.Exists(dir)) throw new InputException($"--backtest {dir}: no such folder.");
        foreach (var f in InputFiles)
        {
            var path = Path.Combine(dir, f);
            if (!File.Exists(path))
                throw new InputException($"{path}: no such file; --backtest DIR needs {string.Join(", ", InputFiles)}.");
        }
        var prices = Path.Combine(dir, "prices.csv");
        var benchmark = Path.Combine(dir, "benchmark.csv");
        MarketData market;
        try
        {
            market = MarketData.ReadCsv(prices, benchmark);
        }
        catch (Exception e) when (e is TrackingException or FormatException or OverflowException)
        {
            throw new InputException($"{prices} / {benchmark}: {e.Message}");
        }
        var pred = CsvInput.ReadPred(Path.Combine(dir, "pred.csv"));
        var configPath = Path.Combine(dir, "config.json");
        BacktestConfig config;
        try
        {
            config = BacktestConfigJson.Parse(File.ReadAllText(configPath));
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or KeyNotFoundException or TrackingException)
        {
            throw new InputException($"{configPath}: {e.Message}");
        }
        return new BacktestInput(dir, market, pred, config);
    }

    /// <summary>
    /// Checks that the backtest can run (benchmark present, a period with a next trading day, valid strategy
    /// settings) before any run is recorded, by running it once; a problem is an <see cref="InputException"/>.
    /// </summary>
    public static void Validate(BacktestInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        try
        {
            DailyBacktest.Run(input.Market, input.Pred, input.Config);
        }
        catch (TrackingException e)
        {
            throw new InputException($"--backtest {input.Dir}: {e.Message}");
        }
    }

    public static BacktestEvaluateResult Evaluate(EvaluateOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var input = Read(options.Backtest ?? throw new InputException("--backtest DIR is required."));
        Validate(input);

        using var manager = new ExperimentManager(options.Uri);
        var experiment = manager.GetExp(experimentName: options.ExperimentName);
        var recorder = experiment.Start(recorderName: "evaluate_csv");
        PortAnaResult result;
        try
        {
            recorder.LogParams(("backtest", Path.GetFullPath(input.Dir)));
            recorder.SetTags(("sample", "EvaluateCsv"));
            new SignalRecord(recorder).Generate(input.Pred, LabelFrame.Empty);
            result = new PortAnaRecord(recorder, input.Market, input.Config).Generate()
                ?? throw new InvalidOperationException("PortAnaRecord found no pred/label after SignalRecord.");
            experiment.End(Qlib.Tracked.Entities.RunStatus.Finished);
        }
        catch
        {
            experiment.End(Qlib.Tracked.Entities.RunStatus.Failed);
            throw;
        }
        var bench = RiskAnalysis.Compute(result.Backtest.Report.Bench, freq: PortAnaRecord.Freq);
        var written = options.Out is null ? [] : WriteOutputs(options.Out, result, bench);
        return new BacktestEvaluateResult(recorder.Id!, experiment.Id, recorder.GetLocalDir(), result, bench, written);
    }

    /// <summary>Writes the seven output files of the qlib-backtest fixture into <paramref name="dir"/>; returns their paths.</summary>
    public static IReadOnlyList<string> WriteOutputs(string dir, PortAnaResult result, RiskAnalysisResult bench)
    {
        ArgumentNullException.ThrowIfNull(result);
        Directory.CreateDirectory(dir);
        var written = new List<string>();
        void Write(string name, string text)
        {
            var path = Path.Combine(dir, name);
            File.WriteAllText(path, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            written.Add(path);
        }
        var bt = result.Backtest;

        var report = new StringBuilder("datetime,").Append(string.Join(',', BacktestReport.ColumnNames)).Append('\n');
        var r = bt.Report;
        for (var i = 0; i < r.RowCount; i++)
        {
            report.Append(Day(r.Datetime[i]));
            foreach (var c in BacktestReport.ColumnNames) report.Append(',').Append(FixtureFormat.G17(r.Column(c)[i]));
            report.Append('\n');
        }
        Write(OutputFiles[0], report.ToString());

        Write(OutputFiles[1], PositionsJson(bt));

        var ind = bt.Indicators;
        var indicators = new StringBuilder("datetime,").Append(string.Join(',', IndicatorFrame.ColumnNames)).Append('\n');
        for (var i = 0; i < ind.RowCount; i++)
            indicators.Append(Day(ind.Datetime[i])).Append(',').Append(FixtureFormat.G17(ind.Ffr[i])).Append(',')
                .Append(FixtureFormat.G17(ind.Pa[i])).Append(',').Append(FixtureFormat.G17(ind.Pos[i])).Append(',')
                .Append(FixtureFormat.G17(ind.DealAmount[i])).Append(',').Append(FixtureFormat.G17(ind.Value[i])).Append(',')
                .Append(ind.Count[i].ToString(CultureInfo.InvariantCulture)).Append('\n');
        Write(OutputFiles[2], indicators.ToString());

        var o = bt.Orders;
        var orders = new StringBuilder("datetime,seq,instrument,direction,amount,deal_amount,trade_price,trade_value,trade_cost,trade_dir,ffr,pa\n");
        for (var i = 0; i < o.RowCount; i++)
            orders.Append(Day(o.Datetime[i])).Append(',').Append(o.Seq[i].ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(o.Instrument[i]).Append(',').Append(o.TradeDir[i] == 1 ? "buy" : "sell").Append(',')
                .Append(FixtureFormat.G17(o.Amount[i])).Append(',').Append(FixtureFormat.G17(o.DealAmount[i])).Append(',')
                .Append(FixtureFormat.G17(o.TradePrice[i])).Append(',').Append(FixtureFormat.G17(o.TradeValue[i])).Append(',')
                .Append(FixtureFormat.G17(o.TradeCost[i])).Append(',').Append(o.TradeDir[i].ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(FixtureFormat.G17(o.Ffr[i])).Append(',').Append(FixtureFormat.G17(o.Pa[i])).Append('\n');
        Write(OutputFiles[3], orders.ToString());

        // port_analysis_1day plus the bench rows PortAnaRecord prints but does not save.
        var pa = result.PortAnalysis;
        var port = new StringBuilder("key,metric,risk\n");
        for (var i = 0; i < pa.RowCount; i++)
            port.Append(pa.Series[i]).Append(',').Append(pa.Metric[i]).Append(',').Append(FixtureFormat.G17(pa.Risk[i])).Append('\n');
        for (var i = 0; i < RiskAnalysisResult.MetricNames.Length; i++)
            port.Append("bench,").Append(RiskAnalysisResult.MetricNames[i]).Append(',').Append(FixtureFormat.G17(bench[i])).Append('\n');
        Write(OutputFiles[4], port.ToString());

        var ia = result.IndicatorAnalysis;
        var iaCsv = new StringBuilder("indicator,value\n");
        for (var i = 0; i < ia.RowCount; i++) iaCsv.Append(ia.Indicator[i]).Append(',').Append(FixtureFormat.G17(ia.Value[i])).Append('\n');
        Write(OutputFiles[5], iaCsv.ToString());

        // The dict PortAnaRecord logs, in its order, as json.dump(indent=1).
        var metrics = new StringBuilder();
        metrics.Append(result.Metrics.Count == 0 ? "{" : "{\n");
        for (var i = 0; i < result.Metrics.Count; i++)
        {
            var (key, value) = result.Metrics[i];
            metrics.Append(' ').Append(FixtureFormat.JsonString(key)).Append(": ").Append(FixtureFormat.JsonNumber(value))
                .Append(i + 1 < result.Metrics.Count ? ",\n" : "\n");
        }
        metrics.Append('}');
        Write(OutputFiles[6], metrics.ToString());
        return written;
    }

    /// <summary><c>{date: {cash, now_account_value, stocks: {instrument: {amount, price, weight, count_day}}}}</c> as <c>json.dump(indent=1)</c>.</summary>
    private static string PositionsJson(BacktestResult bt)
    {
        var r = bt.Report;
        var p = bt.Positions;
        var sb = new StringBuilder(r.RowCount == 0 ? "{" : "{\n");
        var row = 0;
        for (var d = 0; d < r.RowCount; d++)
        {
            var date = r.Datetime[d];
            sb.Append(" \"").Append(Day(date)).Append("\": {\n");
            sb.Append("  \"cash\": ").Append(FixtureFormat.JsonNumber(r.Cash[d])).Append(",\n");
            sb.Append("  \"now_account_value\": ").Append(FixtureFormat.JsonNumber(r.Account[d])).Append(",\n");
            var start = row;
            while (row < p.RowCount && p.Datetime[row] == date) row++;
            if (row == start)
            {
                sb.Append("  \"stocks\": {}\n");
            }
            else
            {
                sb.Append("  \"stocks\": {\n");
                // The fixture lists each day's holdings by instrument (ordinal), not in Qlib's insertion order.
                var byInstrument = Enumerable.Range(start, row - start).OrderBy(i => p.Instrument[i], StringComparer.Ordinal).ToArray();
                for (var k = 0; k < byInstrument.Length; k++)
                {
                    var i = byInstrument[k];
                    sb.Append("   ").Append(FixtureFormat.JsonString(p.Instrument[i])).Append(": {\n");
                    sb.Append("    \"amount\": ").Append(FixtureFormat.JsonNumber(p.Amount[i])).Append(",\n");
                    sb.Append("    \"price\": ").Append(FixtureFormat.JsonNumber(p.Price[i])).Append(",\n");
                    sb.Append("    \"weight\": ").Append(FixtureFormat.JsonNumber(p.Weight[i])).Append(",\n");
                    sb.Append("    \"count_day\": ").Append(p.CountDay[i].ToString(CultureInfo.InvariantCulture)).Append('\n');
                    sb.Append(k + 1 < byInstrument.Length ? "   },\n" : "   }\n");
                }
                sb.Append("  }\n");
            }
            sb.Append(d + 1 < r.RowCount ? " },\n" : " }\n");
        }
        if (row != p.RowCount) throw new InvalidOperationException("The positions frame has rows on dates outside the report.");
        return sb.Append('}').ToString();
    }

    private static string Day(DateTime d) => FixtureFormat.Date(d, d.TimeOfDay != TimeSpan.Zero);

    public static void PrintSummary(TextWriter stdout, EvaluateOptions options, BacktestEvaluateResult result)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(result);
        var r = result.PortAna.Backtest.Report;
        stdout.WriteLine($"Recorded run {result.RunId} in experiment {result.ExperimentId} ({options.ExperimentName}).");
        stdout.WriteLine($"Run folder: {result.RunFolder}");
        stdout.WriteLine($"Backtest: {r.RowCount} days ({Day(r.Datetime[0])} to {Day(r.Datetime[^1])}), {result.PortAna.Backtest.Orders.RowCount} orders; " +
                         "artifacts pred.parquet, label.parquet, portfolio_analysis/*");
        stdout.WriteLine();
        MetricsTable.Print(stdout, result.PortAna.Metrics);
        stdout.WriteLine();
        stdout.WriteLine("benchmark (1day): " + string.Join(", ",
            RiskAnalysisResult.MetricNames.Select((n, i) => n + " " + MetricsTable.Format(result.Bench[i]))));
        if (result.Written.Count > 0)
        {
            stdout.WriteLine();
            stdout.WriteLine("Wrote " + string.Join(", ", result.Written.Select(Path.GetFileName)) + " to " + Path.GetFullPath(options.Out!) + ".");
        }
    }
}

/// <summary>The metrics table both modes print.</summary>
public static class MetricsTable
{
    public static string Format(double value) => double.IsNaN(value) ? "NaN" : value.ToString("G10", CultureInfo.InvariantCulture);

    public static void Print(TextWriter stdout, IReadOnlyList<KeyValuePair<string, double>> metrics)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(metrics);
        var width = Math.Max("metric".Length, metrics.Count == 0 ? 0 : metrics.Max(m => m.Key.Length));
        stdout.WriteLine("metric".PadRight(width) + "  value");
        stdout.WriteLine(new string('-', width) + "  " + new string('-', 12));
        foreach (var (key, value) in metrics) stdout.WriteLine(key.PadRight(width) + "  " + Format(value));
    }
}
