using System.Globalization;
using System.Text.Json;
using EvaluateCsv;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Frames;
using Qlib.Tracked.Records;
using Qlib.Tracked.Stores;

namespace Qlib.Tracked.IntegrationTests;

/// <summary>
/// samples/EvaluateCsv on a copy of the Qlib reference vectors (tests/Fixtures/qlib-vectors): every file
/// it writes with --out matches the fixture's file (same header, same row keys in the same order, values
/// within |a−e| ≤ 1e-10 + 1e-9·|e|), the run it records has the metrics and artifacts, and bad input is
/// exit code 2 with a message naming the problem.
/// </summary>
public sealed class EvaluateCsvTests : IDisposable
{
    private static readonly string FixtureDir = Path.Combine(AppContext.BaseDirectory, "Fixtures", "qlib-vectors");

    private static readonly string[] SignalFiles = ["expected_ic.csv", "expected_long_short.csv", "expected_sig_ana_metrics.json"];
    private static readonly string[] ReportFiles = ["expected_risk_analysis.csv", "expected_port_ana_metrics.json"];

    /// <summary>Columns that name a row (compared as text); every other column is a number.</summary>
    private static readonly Dictionary<string, int> KeyColumns = new()
    {
        ["expected_ic.csv"] = 1,
        ["expected_long_short.csv"] = 1,
        ["expected_risk_analysis.csv"] = 5, // case, series, mode, N_arg, freq_arg
    };

    private readonly TempStore _store = new();
    private readonly string _work;

    public EvaluateCsvTests()
    {
        _work = Path.Combine(Path.GetDirectoryName(_store.Root)!, "work");
        Directory.CreateDirectory(_work);
        foreach (var file in Directory.GetFiles(FixtureDir)) File.Copy(file, Path.Combine(_work, Path.GetFileName(file)));
    }

    public void Dispose() => _store.Dispose();

    private string WorkFile(string name) => Path.Combine(_work, name);

    private (int Code, string Out, string Err) Run(params string[] args)
    {
        using var stdout = new StringWriter(CultureInfo.InvariantCulture);
        using var stderr = new StringWriter(CultureInfo.InvariantCulture);
        var code = EvaluateCsvCommand.Run([.. args, "--uri", _store.Uri, "--experiment", "eval"], stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void PanelAndReport_EveryOutputFileMatchesTheFixture()
    {
        var outDir = WorkFile("out");
        var (code, stdout, stderr) = Run("--panel", WorkFile("panel.csv"), "--report", WorkFile("report.csv"), "--out", outDir);
        Assert.True(code == 0, stderr);
        Assert.Equal("", stderr);

        Assert.Equal(SignalFiles.Concat(ReportFiles).Order(StringComparer.Ordinal), Directory.GetFiles(outDir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (var file in SignalFiles.Concat(ReportFiles)) CompareWithFixture(Path.Combine(outDir, file), file);

        // The metrics table names every metric logged.
        foreach (var key in ReadJson(Path.Combine(FixtureDir, "expected_sig_ana_metrics.json")).Select(m => m.Key)
                     .Concat(ReadJson(Path.Combine(FixtureDir, "expected_port_ana_metrics.json")).Select(m => m.Key)))
            Assert.Contains(key + " ", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void PanelAndReport_RecordsAFinishedRunWithTheMetricsAndArtifacts()
    {
        var (code, stdout, stderr) = Run("--panel", WorkFile("panel.csv"), "--report", WorkFile("report.csv"));
        Assert.True(code == 0, stderr);

        var files = new FileStore(_store.Root);
        var experiment = files.GetExperimentByName("eval");
        Assert.NotNull(experiment);
        var run = Assert.Single(files.SearchRuns([experiment.ExperimentId], null, ViewType.ActiveOnly, 10, null, null).Items);
        Assert.Equal(RunStatus.Finished, run.Info.Status);
        Assert.Contains(run.Info.RunId, stdout, StringComparison.Ordinal);

        var expected = ReadJson(Path.Combine(FixtureDir, "expected_sig_ana_metrics.json"))
            .Concat(ReadJson(Path.Combine(FixtureDir, "expected_port_ana_metrics.json"))).ToList();
        Assert.Equal(expected.Select(m => m.Key).Order(StringComparer.Ordinal), run.Data.Metrics.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, value) in expected) Close(value, run.Data.Metrics[key].Value, "metric " + key);
        Assert.Equal(WorkFile("panel.csv"), run.Data.Params["panel"]);

        var recorder = new ExperimentManager(_store.Uri).GetExp(experimentName: "eval", create: false).GetRecorder(recorderId: run.Info.RunId, create: false);
        Assert.Equal([RecordArtifacts.Label, RecordArtifacts.Pred], recorder.ListArtifacts().Where(a => a.EndsWith(".parquet", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.Equal(
            [RecordArtifacts.SigAnalysisIc, RecordArtifacts.SigAnalysisLongAvgReturn, RecordArtifacts.SigAnalysisLongShortReturn, RecordArtifacts.SigAnalysisRankIc],
            recorder.ListArtifacts(RecordArtifacts.SigAnalysisPath).Order(StringComparer.Ordinal));
        Assert.Equal(["portfolio_analysis/port_analysis_1day.parquet"], recorder.ListArtifacts(RecordArtifacts.PortfolioAnalysisPath));

        // The stored series are the fixture's.
        var (_, icRows) = ReadCsv(Path.Combine(FixtureDir, "expected_ic.csv"));
        var ic = recorder.LoadObject<DateSeries>(RecordArtifacts.SigAnalysisIc);
        var ric = recorder.LoadObject<DateSeries>(RecordArtifacts.SigAnalysisRankIc);
        Assert.Equal(icRows.Select(r => r[0]), ic.Datetime.Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        for (var i = 0; i < icRows.Count; i++)
        {
            Close(Num(icRows[i][1]), ic.Value[i], "stored ic " + icRows[i][0]);
            Close(Num(icRows[i][2]), ric.Value[i], "stored ric " + icRows[i][0]);
        }
        var (_, lsRows) = ReadCsv(Path.Combine(FixtureDir, "expected_long_short.csv"));
        var ls = recorder.LoadObject<DateSeries>(RecordArtifacts.SigAnalysisLongShortReturn);
        var la = recorder.LoadObject<DateSeries>(RecordArtifacts.SigAnalysisLongAvgReturn);
        for (var i = 0; i < lsRows.Count; i++)
        {
            Close(Num(lsRows[i][1]), ls.Value[i], "stored long_short_r " + lsRows[i][0]);
            Close(Num(lsRows[i][2]), la.Value[i], "stored long_avg_r " + lsRows[i][0]);
        }
        var pred = recorder.LoadObject<PredictionFrame>(RecordArtifacts.Pred);
        var label = recorder.LoadObject<LabelFrame>(RecordArtifacts.Label);
        var (_, panelRows) = ReadCsv(WorkFile("panel.csv"));
        Assert.Equal(panelRows.Select(r => Num(r[2])), pred.Score);
        Assert.Equal(panelRows.Select(r => Num(r[3])), label.Label);
        Assert.Equal(panelRows.Select(r => r[1]), pred.Instrument);

        var portAnalysis = recorder.LoadObject<RiskAnalysisTable>("portfolio_analysis/port_analysis_1day.parquet");
        foreach (var (key, value) in ReadJson(Path.Combine(FixtureDir, "expected_port_ana_metrics.json")))
        {
            var parts = key.Split('.');
            Close(value, portAnalysis.Get(parts[1], parts[2]), "port_analysis_1day " + key);
        }
    }

    [Fact]
    public void PanelOnly_WritesTheSignalFiles_AndLogsTheEightSigAnaMetrics()
    {
        var outDir = WorkFile("out-panel");
        var (code, _, stderr) = Run("--panel", WorkFile("panel.csv"), "--out", outDir);
        Assert.True(code == 0, stderr);
        Assert.Equal(SignalFiles.Order(StringComparer.Ordinal), Directory.GetFiles(outDir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (var file in SignalFiles) CompareWithFixture(Path.Combine(outDir, file), file);

        var files = new FileStore(_store.Root);
        var run = Assert.Single(files.SearchRuns([files.GetExperimentByName("eval")!.ExperimentId], null, ViewType.ActiveOnly, 10, null, null).Items);
        Assert.Equal(8, run.Data.Metrics.Count);
        Assert.Equal("None", run.Data.Params["report"]);
    }

    [Fact]
    public void Formats_SpellEveryFixtureValueByteForByte()
    {
        // %.17g: every float the fixture's CSVs hold (report.csv excepted: it is input, spelled by repr).
        var checkedValues = 0;
        foreach (var file in new[] { "panel.csv", "expected_ic.csv", "expected_long_short.csv", "expected_risk_analysis.csv" })
        {
            var (_, rows) = ReadCsv(Path.Combine(FixtureDir, file));
            foreach (var field in rows.SelectMany(r => r))
            {
                if (!double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)) continue;
                Assert.Equal(field, FixtureFormat.G17(value));
                checkedValues++;
            }
        }
        Assert.True(checkedValues > 1500, $"only {checkedValues} values checked");
        // JSON: Python's json.dump(indent=2), repr floats; the whole file round-trips.
        foreach (var file in new[] { "expected_sig_ana_metrics.json", "expected_port_ana_metrics.json" })
        {
            var path = Path.Combine(FixtureDir, file);
            Assert.Equal(File.ReadAllText(path), FixtureFormat.JsonObject(ReadJson(path)));
        }
        Assert.Equal("NaN", FixtureFormat.G17(double.NaN));
        Assert.Equal("{\n  \"x\": null\n}\n", FixtureFormat.JsonObject([new("x", double.NaN)]));
        Assert.Equal("1e+17", FixtureFormat.G17(1e17));
        Assert.Equal("12345678901234568", FixtureFormat.G17(12345678901234567));
        Assert.Equal("0.0001", FixtureFormat.G17(0.0001));
        Assert.Equal("1.0000000000000001e-05", FixtureFormat.G17(1e-5));
        Assert.Equal("-2.5", FixtureFormat.G17(-2.5));
        Assert.Equal("0", FixtureFormat.G17(0.0));
    }

    [Fact]
    public void MissingValues_AreNaNInTheCsvAndNullInTheJson()
    {
        // One date, so every std (and ratio) is NaN; a second date where every label is missing.
        File.WriteAllText(WorkFile("nan.csv"),
            "datetime,instrument,score,label\n" +
            "2021-01-04,A,0.1,0.01\n2021-01-04,B,0.2,NaN\n2021-01-04,C,0.3,0.03\n2021-01-04,D,,0.02\n2021-01-04,E,0.5,-0.01\n" +
            "2021-01-05,A,0.1,NaN\n2021-01-05,B,0.2,NaN\n");
        var outDir = WorkFile("out-nan");
        var (code, _, stderr) = Run("--panel", WorkFile("nan.csv"), "--out", outDir);
        Assert.True(code == 0, stderr);
        var ic = File.ReadAllLines(Path.Combine(outDir, "expected_ic.csv"));
        Assert.Equal("2021-01-05,NaN,NaN", ic[2]);
        Assert.DoesNotContain("NaN", ic[1], StringComparison.Ordinal);
        var ls = File.ReadAllLines(Path.Combine(outDir, "expected_long_short.csv"));
        Assert.Equal("2021-01-05,NaN,NaN,NaN,NaN", ls[2]);
        var json = File.ReadAllText(Path.Combine(outDir, "expected_sig_ana_metrics.json"));
        Assert.Contains("\"ICIR\": null", json, StringComparison.Ordinal);
        Assert.Contains("\"Long-Short Ann Sharpe\": null", json, StringComparison.Ordinal);
        Assert.DoesNotContain("NaN", json, StringComparison.Ordinal);
    }

    // ---- Bad input: a message on stderr, exit code 2, nothing recorded. ----

    [Theory]
    [InlineData("panel", "datetime,instrument,score\n2021-01-04,A,0.1\n", "'label'")]
    [InlineData("panel", "date,instrument,score,label\n2021-01-04,A,0.1,0.2\n", "'datetime'")]
    [InlineData("report", "datetime,return,bench\n2021-02-01,0.1,0.0\n", "'cost'")]
    public void MissingColumn_IsExit2NamingIt(string which, string content, string expected)
    {
        var (code, err) = RunBad(which, content);
        Assert.Equal(2, code);
        Assert.Contains("no " + expected + " column", err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("panel", "datetime,instrument,score,label\n2021-01-04,A,0.1,0.2\n2021-01-04,B,abc,0.2\n", "line 3: score 'abc' is not a number")]
    [InlineData("panel", "datetime,instrument,score,label\n2021-01-04,A,0.1,0.2\n2021-01-04,B,0.3,1.2.3\n", "line 3: label '1.2.3' is not a number")]
    [InlineData("report", "datetime,return,bench,cost\n2021-02-01,0.1,0.0,0.001\n2021-02-02,0.1,x,0.001\n", "line 3: bench 'x' is not a number")]
    [InlineData("panel", "datetime,instrument,score,label\n2021-13-04,A,0.1,0.2\n", "line 2: datetime '2021-13-04' is not a date")]
    public void UnparsableValue_IsExit2WithItsLine(string which, string content, string expected)
    {
        var (code, err) = RunBad(which, content);
        Assert.Equal(2, code);
        Assert.Contains(expected, err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("datetime,instrument,score,label\n2021-01-05,A,0.1,0.2\n2021-01-04,A,0.1,0.2\n", "line 3: (2021-01-04, A) comes after (2021-01-05, A) on line 2")]
    [InlineData("datetime,instrument,score,label\n2021-01-04,B,0.1,0.2\n2021-01-04,A,0.1,0.2\n", "line 3: (2021-01-04, A) comes after (2021-01-04, B) on line 2")]
    [InlineData("datetime,instrument,score,label\n2021-01-04,A,0.1,0.2\n2021-01-04,A,0.3,0.2\n", "line 3: (2021-01-04, A) repeats")]
    public void UnsortedPanel_IsExit2WithItsLine(string content, string expected)
    {
        var (code, err) = RunBad("panel", content);
        Assert.Equal(2, code);
        Assert.Contains(expected, err, StringComparison.Ordinal);
        Assert.Contains("sorted by datetime, then instrument", err, StringComparison.Ordinal);
    }

    [Fact]
    public void UnsortedReport_IsExit2WithItsLine()
    {
        var (code, err) = RunBad("report", "datetime,return,bench,cost\n2021-02-02,0.1,0.0,0.001\n2021-02-01,0.1,0.0,0.001\n");
        Assert.Equal(2, code);
        Assert.Contains("line 3: 2021-02-01 comes after 2021-02-02 on line 2", err, StringComparison.Ordinal);
    }

    [Fact]
    public void WrongFieldCount_IsExit2WithItsLine()
    {
        var (code, err) = RunBad("panel", "datetime,instrument,score,label\n2021-01-04,A,0.1,0.2\n2021-01-04,B,0.1\n");
        Assert.Equal(2, code);
        Assert.Contains("line 3: 3 fields, but the header has 4", err, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingFile_IsExit2()
    {
        var (code, _, err) = Run("--panel", WorkFile("nope.csv"));
        Assert.Equal(2, code);
        Assert.Contains("nope.csv: no such file", err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_store.Root));
    }

    [Fact]
    public void BacktestWithPanel_IsExit2()
    {
        var (code, _, err) = Run("--panel", WorkFile("panel.csv"), "--backtest", WorkFile("bt"));
        Assert.Equal(2, code);
        Assert.Contains("--backtest", err, StringComparison.Ordinal);
        Assert.Contains("cannot be combined with --panel", err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_store.Root));
    }

    [Theory]
    [InlineData(new[] { "--report", "r.csv" }, "--panel FILE is required")]
    [InlineData(new[] { "--panel" }, "'--panel' needs a value")]
    [InlineData(new[] { "--panel", "p.csv", "--frobnicate" }, "unknown option '--frobnicate'")]
    public void BadUsage_IsExit2WithUsage(string[] args, string expected)
    {
        using var stdout = new StringWriter(CultureInfo.InvariantCulture);
        using var stderr = new StringWriter(CultureInfo.InvariantCulture);
        Assert.Equal(2, EvaluateCsvCommand.Run(args, stdout, stderr));
        Assert.Contains(expected, stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains("Usage: EvaluateCsv", stderr.ToString(), StringComparison.Ordinal);
    }

    /// <summary>Runs with the fixture's panel and report, one of them replaced by <paramref name="content"/>; asserts nothing was recorded.</summary>
    private (int Code, string Err) RunBad(string which, string content)
    {
        var bad = WorkFile("bad-" + which + ".csv");
        File.WriteAllText(bad, content);
        var (code, stdout, stderr) = which == "panel"
            ? Run("--panel", bad, "--report", WorkFile("report.csv"))
            : Run("--panel", WorkFile("panel.csv"), "--report", bad);
        Assert.Equal("", stdout);
        Assert.Contains(bad, stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_store.Root), "bad input must not create a run");
        return (code, stderr);
    }

    // ---- Comparison with the fixture ----

    private static void CompareWithFixture(string actualPath, string fixtureFile)
    {
        var expectedPath = Path.Combine(FixtureDir, fixtureFile);
        if (fixtureFile.EndsWith(".json", StringComparison.Ordinal))
        {
            var actual = ReadJson(actualPath);
            var expected = ReadJson(expectedPath);
            Assert.Equal(expected.Select(m => m.Key), actual.Select(m => m.Key)); // same keys, same order
            for (var i = 0; i < expected.Count; i++) Close(expected[i].Value, actual[i].Value, $"{fixtureFile} {expected[i].Key}");
            return;
        }
        var (eHeader, eRows) = ReadCsv(expectedPath);
        var (aHeader, aRows) = ReadCsv(actualPath);
        Assert.Equal(eHeader, aHeader);
        Assert.Equal(eRows.Count, aRows.Count);
        var keys = KeyColumns[fixtureFile];
        for (var r = 0; r < eRows.Count; r++)
        {
            Assert.Equal(eHeader.Length, aRows[r].Length);
            Assert.Equal(eRows[r][..keys], aRows[r][..keys]);
            for (var c = keys; c < eHeader.Length; c++)
                Close(Num(eRows[r][c]), Num(aRows[r][c]), $"{fixtureFile} {eRows[r][0]} {eHeader[c]}");
        }
    }

    private static (string[] Header, List<string[]> Rows) ReadCsv(string path)
    {
        var lines = File.ReadAllLines(path);
        return (lines[0].Split(','), lines.Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',')).ToList());
    }

    /// <summary>A JSON object of numbers (null = NaN), in file order.</summary>
    private static List<KeyValuePair<string, double>> ReadJson(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.EnumerateObject()
            .Select(p => new KeyValuePair<string, double>(p.Name, p.Value.ValueKind == JsonValueKind.Null ? double.NaN : p.Value.GetDouble()))
            .ToList();
    }

    private static double Num(string s) => s == "NaN" ? double.NaN : double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>The fixture's tolerance: |a − e| ≤ 1e-10 + 1e-9·|e|, NaN matching NaN only.</summary>
    private static void Close(double expected, double actual, string what)
    {
        if (double.IsNaN(expected) || double.IsNaN(actual))
        {
            Assert.True(double.IsNaN(expected) && double.IsNaN(actual), $"{what}: expected {expected:R}, got {actual:R}");
            return;
        }
        Assert.True(Math.Abs(actual - expected) <= 1e-10 + 1e-9 * Math.Abs(expected), $"{what}: expected {expected:R}, got {actual:R}");
    }
}
