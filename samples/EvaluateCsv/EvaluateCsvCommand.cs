using System.Globalization;
using System.Text;
using Qlib.Tracked;
using Qlib.Tracked.Analysis;
using Qlib.Tracked.Frames;
using Qlib.Tracked.Records;

// Ad hoc names this sample records (the analyzers check names against the known ones).
[assembly: KnownTrackingNames(TrackingNameKind.Param, "panel", "report")]
[assembly: KnownTrackingNames(TrackingNameKind.Tag, "sample")]

namespace EvaluateCsv;

/// <summary>The command line of EvaluateCsv (see <see cref="EvaluateCsvCommand.Usage"/>).</summary>
public sealed record EvaluateOptions
{
    public string? Panel { get; init; }
    public string? Report { get; init; }
    public string? Out { get; init; }
    public string Uri { get; init; } = "./mlruns";
    public string ExperimentName { get; init; } = "evaluate_csv";
    public string? Backtest { get; init; }
}

/// <summary>What one evaluation recorded and computed.</summary>
public sealed record EvaluateResult(
    string RunId,
    string ExperimentId,
    string RunFolder,
    SignalAnalysisResult Signal,
    RiskAnalysisTable? PortAnalysis,
    IReadOnlyList<KeyValuePair<string, double>> Metrics,
    IReadOnlyList<string> Written);

/// <summary>
/// Evaluates predictions made elsewhere the way Qlib's record templates do: SignalRecord stores the
/// panel's scores and labels, SigAnaRecord (with long-short, ann_scaler 252) computes and logs the IC
/// metrics, and with a report PortAnaRecord's risk analysis of the excess returns is logged
/// (<c>1day.excess_return_with_cost.annualized_return</c>, …) and stored as
/// <c>portfolio_analysis/port_analysis_1day.parquet</c>. With <c>--out</c> the numbers are also written
/// in the formats of <c>shared/fixtures/qlib-vectors</c>.
/// </summary>
public static class EvaluateCsvCommand
{
    public const int ExitOk = 0;
    public const int ExitFailed = 1;
    public const int ExitBadInput = 2;

    public const string Usage =
        "Usage: EvaluateCsv --panel FILE [--report FILE] [--out DIR] [--uri STORE] [--experiment NAME]\n" +
        "       EvaluateCsv --backtest DIR [--out DIR] [--uri STORE] [--experiment NAME]\n" +
        "  --panel FILE       datetime,instrument,score,label (sorted by datetime, then instrument)\n" +
        "  --report FILE      datetime,return,bench,cost: a backtest report to run PortAnaRecord's risk analysis on\n" +
        "  --backtest DIR     run Qlib's daily backtest (TopkDropoutStrategy) through PortAnaRecord from DIR's\n" +
        "                     prices.csv, benchmark.csv, pred.csv and config.json (the qlib-backtest fixture formats)\n" +
        "  --out DIR          also write expected_ic.csv, expected_long_short.csv, expected_sig_ana_metrics.json\n" +
        "                     (and with --report expected_risk_analysis.csv, expected_port_ana_metrics.json);\n" +
        "                     with --backtest: report_normal_1day.csv, positions_normal_1day.json,\n" +
        "                     indicators_normal_1day.csv, orders.csv, port_analysis_1day.csv,\n" +
        "                     indicator_analysis_1day.csv, metrics.json\n" +
        "  --uri STORE        the mlruns store: a folder or file: URI (default ./mlruns)\n" +
        "  --experiment NAME  experiment to record the run in (default evaluate_csv)";

    /// <summary>The risk-analysis settings of <c>expected_risk_analysis.csv</c>, in its order: (case suffix, N, freq).</summary>
    private static readonly (string Name, double? N, string? Freq)[] RiskSettings =
    [
        ("freq=day", null, "day"),
        ("freq=1day", null, "1day"),
        ("N=252", 252, null),
        ("freq=week", null, "week"),
        ("freq=month", null, "month"),
        ("freq=5min", null, "5min"),
    ];

    /// <summary>Runs the command; returns the process exit code (0 done, 1 failed, 2 bad input or usage).</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        EvaluateOptions? options;
        try
        {
            options = ParseArgs(args);
        }
        catch (InputException e)
        {
            stderr.WriteLine("error: " + e.Message);
            stderr.WriteLine(Usage);
            return ExitBadInput;
        }
        if (options is null)
        {
            stdout.WriteLine(Usage);
            return ExitOk;
        }
        try
        {
            if (options.Backtest is not null)
            {
                var backtest = BacktestCommand.Evaluate(options);
                BacktestCommand.PrintSummary(stdout, options, backtest);
                return ExitOk;
            }
            var result = Evaluate(options);
            PrintSummary(stdout, options, result);
            return ExitOk;
        }
        catch (InputException e)
        {
            stderr.WriteLine("error: " + e.Message);
            return ExitBadInput;
        }
        catch (TrackingException e)
        {
            stderr.WriteLine("error: " + e.Message);
            return ExitFailed;
        }
        catch (IOException e)
        {
            stderr.WriteLine("error: " + e.Message);
            return ExitFailed;
        }
        catch (UnauthorizedAccessException e)
        {
            stderr.WriteLine("error: " + e.Message);
            return ExitFailed;
        }
    }

    /// <summary>The options <paramref name="args"/> spell; null for <c>--help</c>. Bad usage is an <see cref="InputException"/>.</summary>
    public static EvaluateOptions? ParseArgs(string[] args)
    {
        var options = new EvaluateOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (name is "-h" or "--help") return null;
            string Next() => i + 1 < args.Length && args[i + 1].Length > 0
                ? args[++i]
                : throw new InputException($"'{name}' needs a value.");
            options = name switch
            {
                "--panel" => options with { Panel = Next() },
                "--report" => options with { Report = Next() },
                "--out" => options with { Out = Next() },
                "--uri" => options with { Uri = Next() },
                "--experiment" => options with { ExperimentName = Next() },
                "--backtest" => options with { Backtest = Next() },
                _ => throw new InputException($"unknown option '{name}'."),
            };
        }
        if (options.Backtest is not null)
        {
            if (options.Panel is not null || options.Report is not null)
                throw new InputException("--backtest DIR runs on its own pred.csv; it cannot be combined with --panel or --report.");
            return options;
        }
        if (options.Panel is null) throw new InputException("--panel FILE is required.");
        return options;
    }

    /// <summary>Reads the input, records one run, and writes <see cref="EvaluateOptions.Out"/> when set.</summary>
    public static EvaluateResult Evaluate(EvaluateOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Backtest is not null) throw new InputException("--backtest DIR: use BacktestCommand.Evaluate.");
        var panel = CsvInput.ReadPanel(options.Panel ?? throw new InputException("--panel FILE is required."));
        var report = options.Report is null ? null : CsvInput.ReadReport(options.Report);

        using var manager = new ExperimentManager(options.Uri);
        var experiment = manager.GetExp(experimentName: options.ExperimentName);
        var recorder = experiment.Start(recorderName: "evaluate_csv");
        SignalAnalysisResult? signal;
        RiskAnalysisTable? portAnalysis = null;
        var metrics = new List<KeyValuePair<string, double>>();
        try
        {
            recorder.LogParams(("panel", Path.GetFullPath(options.Panel)), ("report", options.Report is null ? "None" : Path.GetFullPath(options.Report)));
            recorder.SetTags(("sample", "EvaluateCsv"));

            new SignalRecord(recorder).Generate(panel.Pred, panel.Label);
            signal = new SigAnaRecord(recorder, anaLongShort: true, annScaler: SignalAnalysis.DefaultAnnScaler).Generate()
                ?? throw new InputException($"{options.Panel}: SigAnaRecord found no label to analyse.");
            metrics.AddRange(signal.Metrics);

            if (report is not null)
            {
                // PortAnaRecord's risk analysis of a report made elsewhere (the backtest itself is not run here).
                portAnalysis = PortfolioAnalysis.ExcessReturnAnalysis(report.Return, report.Bench, report.Cost);
                var flattened = PortfolioAnalysis.FlattenMetrics(PortfolioAnalysis.DefaultFreq, portAnalysis);
                recorder.LogMetrics(flattened.Select(m => (m.Key, m.Value)).ToArray());
                recorder.SaveObject($"port_analysis_{PortfolioAnalysis.DefaultFreq}.parquet", portAnalysis, RecordArtifacts.PortfolioAnalysisPath);
                metrics.AddRange(flattened);
            }
            experiment.End(Qlib.Tracked.Entities.RunStatus.Finished);
        }
        catch
        {
            experiment.End(Qlib.Tracked.Entities.RunStatus.Failed);
            throw;
        }

        var written = options.Out is null ? [] : WriteOutputs(options.Out, panel, signal, report);
        return new EvaluateResult(recorder.Id!, experiment.Id, recorder.GetLocalDir(), signal, portAnalysis, metrics, written);
    }

    /// <summary>Writes the fixture files into <paramref name="dir"/>; returns their paths.</summary>
    public static IReadOnlyList<string> WriteOutputs(string dir, Panel panel, SignalAnalysisResult signal, Report? report)
    {
        Directory.CreateDirectory(dir);
        var written = new List<string>();
        void Write(string name, string text)
        {
            var path = Path.Combine(dir, name);
            File.WriteAllText(path, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            written.Add(path);
        }
        var time = panel.HasTimeOfDay;
        var ls = signal.LongShort ?? throw new InvalidOperationException("SigAnaRecord ran without long-short.");

        var ic = new StringBuilder("datetime,ic,rank_ic\n");
        for (var i = 0; i < signal.Ic.RowCount; i++)
            ic.Append(FixtureFormat.Date(signal.Ic.Datetime[i], time)).Append(',')
              .Append(FixtureFormat.G17(signal.Ic.Value[i])).Append(',')
              .Append(FixtureFormat.G17(signal.RankIc.Value[i])).Append('\n');
        Write("expected_ic.csv", ic.ToString());

        var lsCsv = new StringBuilder("datetime,long_short_r,long_avg_r,long_r,short_r\n");
        for (var i = 0; i < ls.LongShort.RowCount; i++)
            lsCsv.Append(FixtureFormat.Date(ls.LongShort.Datetime[i], time)).Append(',')
                 .Append(FixtureFormat.G17(ls.LongShort.Value[i])).Append(',')
                 .Append(FixtureFormat.G17(ls.LongAverage.Value[i])).Append(',')
                 .Append(FixtureFormat.G17(ls.Long.Value[i])).Append(',')
                 .Append(FixtureFormat.G17(ls.Short.Value[i])).Append('\n');
        Write("expected_long_short.csv", lsCsv.ToString());

        // SigAnaRecord's metric dict, in the order Qlib builds it.
        Write("expected_sig_ana_metrics.json", FixtureFormat.JsonObject(signal.Metrics));

        if (report is null) return written;

        var n = report.Return.Length;
        var excess = new double[n];
        var excessWithCost = new double[n];
        for (var i = 0; i < n; i++)
        {
            excess[i] = report.Return[i] - report.Bench[i];
            excessWithCost[i] = report.Return[i] - report.Bench[i] - report.Cost[i];
        }
        var risk = new StringBuilder("case,series,mode,N_arg,freq_arg,N_effective,mean,std,annualized_return,information_ratio,max_drawdown\n");
        foreach (var (series, values) in new[] { ("return", report.Return), (PortfolioAnalysis.ExcessReturnWithoutCost, excess), (PortfolioAnalysis.ExcessReturnWithCost, excessWithCost) })
        {
            foreach (var (modeName, mode) in new[] { ("sum", RiskAnalysisMode.Sum), ("product", RiskAnalysisMode.Product) })
            {
                foreach (var (setting, nArg, freqArg) in RiskSettings)
                {
                    var r = RiskAnalysis.Compute(values, nArg, freqArg, mode);
                    risk.Append(series).Append('|').Append(modeName).Append('|').Append(setting).Append(',')
                        .Append(series).Append(',').Append(modeName).Append(',')
                        .Append(nArg is { } v ? FixtureFormat.G17(v) : "").Append(',')
                        .Append(freqArg ?? "").Append(',')
                        .Append(FixtureFormat.G17(r.N)).Append(',')
                        .Append(FixtureFormat.G17(r.Mean)).Append(',')
                        .Append(FixtureFormat.G17(r.Std)).Append(',')
                        .Append(FixtureFormat.G17(r.AnnualizedReturn)).Append(',')
                        .Append(FixtureFormat.G17(r.InformationRatio)).Append(',')
                        .Append(FixtureFormat.G17(r.MaxDrawdown)).Append('\n');
                }
            }
        }
        Write("expected_risk_analysis.csv", risk.ToString());

        // PortAnaRecord's logged metrics; the fixture writes them with sorted keys.
        var table = PortfolioAnalysis.ExcessReturnAnalysis(report.Return, report.Bench, report.Cost);
        var portMetrics = PortfolioAnalysis.FlattenMetrics(PortfolioAnalysis.DefaultFreq, table).OrderBy(m => m.Key, StringComparer.Ordinal);
        Write("expected_port_ana_metrics.json", FixtureFormat.JsonObject(portMetrics));
        return written;
    }

    private static void PrintSummary(TextWriter stdout, EvaluateOptions options, EvaluateResult result)
    {
        stdout.WriteLine($"Recorded run {result.RunId} in experiment {result.ExperimentId} ({options.ExperimentName}).");
        stdout.WriteLine($"Run folder: {result.RunFolder}");
        stdout.WriteLine($"Panel: {result.Signal.Ic.RowCount} dates; artifacts pred.parquet, label.parquet, sig_analysis/*" +
                         (result.PortAnalysis is null ? "" : ", portfolio_analysis/port_analysis_1day.parquet"));
        stdout.WriteLine();
        MetricsTable.Print(stdout, result.Metrics);
        if (result.Written.Count > 0)
        {
            stdout.WriteLine();
            stdout.WriteLine("Wrote " + string.Join(", ", result.Written.Select(Path.GetFileName)) + " to " + Path.GetFullPath(options.Out!) + ".");
        }
    }
}
