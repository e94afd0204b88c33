using System.Globalization;
using System.Text.Json;
using EvaluateCsv;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Records;
using Qlib.Tracked.Stores;

namespace Qlib.Tracked.IntegrationTests;

/// <summary>
/// samples/EvaluateCsv --backtest on copies of the qlib-backtest cases (tests/Fixtures/qlib-backtest): each of
/// the seven files it writes with --out has the fixture's header (or JSON keys), the same rows in the same order,
/// and values within the fixture README's tolerances (money 1e-9·max(1,|e|), rates 1e-12 + 1e-9·|e|, NaN = NaN).
/// One exception, which the README names: the sells of a day run in Qlib's set order (PYTHONHASHSEED-dependent),
/// so within a day the sell rows of orders.csv are matched by instrument; buys keep their exact order.
/// </summary>
public sealed class EvaluateCsvBacktestTests : IDisposable
{
    private static readonly string FixtureRoot = Path.Combine(AppContext.BaseDirectory, "Fixtures", "qlib-backtest");

    /// <summary>Columns compared with the rate tolerance; everything else numeric is money (or a count).</summary>
    private static readonly HashSet<string> RateColumns = ["return", "turnover", "cost", "bench", "ffr", "pa", "pos", "weight", "risk"];

    /// <summary>Files whose every value is a rate.</summary>
    private static readonly HashSet<string> RateFiles = ["port_analysis_1day.csv", "indicator_analysis_1day.csv", "metrics.json"];

    private readonly TempStore _store = new();
    private readonly string _work;

    public EvaluateCsvBacktestTests()
    {
        _work = Path.Combine(Path.GetDirectoryName(_store.Root)!, "work");
        Directory.CreateDirectory(_work);
    }

    public void Dispose() => _store.Dispose();

    public static TheoryData<string> Cases() => ["toy", "public"];

    /// <summary>A copy of the case's four input files (only those) in a fresh folder.</summary>
    private string CopyInputs(string name)
    {
        var dir = Path.Combine(_work, name);
        Directory.CreateDirectory(dir);
        foreach (var f in BacktestCommand.InputFiles) File.Copy(Path.Combine(FixtureRoot, name, f), Path.Combine(dir, f));
        return dir;
    }

    private (int Code, string Out, string Err) Run(params string[] args)
    {
        using var stdout = new StringWriter(CultureInfo.InvariantCulture);
        using var stderr = new StringWriter(CultureInfo.InvariantCulture);
        var code = EvaluateCsvCommand.Run([.. args, "--uri", _store.Uri, "--experiment", "eval_bt"], stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Backtest_EveryOutputFileMatchesTheFixture(string name)
    {
        var input = CopyInputs(name);
        var outDir = Path.Combine(_work, name + "-out");
        var (code, stdout, stderr) = Run("--backtest", input, "--out", outDir);
        Assert.True(code == 0, stderr);
        Assert.Equal("", stderr);
        Assert.Equal(BacktestCommand.OutputFiles.Order(StringComparer.Ordinal), Directory.GetFiles(outDir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (var file in BacktestCommand.OutputFiles)
        {
            var expected = Path.Combine(FixtureRoot, name, file);
            var actual = Path.Combine(outDir, file);
            if (file.EndsWith(".json", StringComparison.Ordinal)) CompareJson(actual, expected, RateFiles.Contains(file));
            else if (file == "orders.csv") CompareOrders(actual, expected);
            else CompareCsv(actual, expected, RateFiles.Contains(file));
        }
        // The metrics table is printed.
        Assert.Contains("1day.excess_return_with_cost.annualized_return", stdout, StringComparison.Ordinal);
        Assert.Contains("1day.ffr", stdout, StringComparison.Ordinal);
        Assert.Contains("benchmark (1day)", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Backtest_WritesTheToyFilesByteForByte()
    {
        var outDir = Path.Combine(_work, "toy-out");
        var (code, _, stderr) = Run("--backtest", CopyInputs("toy"), "--out", outDir);
        Assert.True(code == 0, stderr);
        foreach (var file in BacktestCommand.OutputFiles)
            Assert.True(File.ReadAllText(Path.Combine(FixtureRoot, "toy", file)) == File.ReadAllText(Path.Combine(outDir, file)), file + " differs");
    }

    [Fact]
    public void Backtest_RecordsAFinishedRunWithPortAnaRecordsMetricsAndArtifacts()
    {
        var input = CopyInputs("public");
        var (code, stdout, stderr) = Run("--backtest", input);
        Assert.True(code == 0, stderr);

        var files = new FileStore(_store.Root);
        var experiment = files.GetExperimentByName("eval_bt");
        Assert.NotNull(experiment);
        var run = Assert.Single(files.SearchRuns([experiment.ExperimentId], null, ViewType.ActiveOnly, 10, null, null).Items);
        Assert.Equal(RunStatus.Finished, run.Info.Status);
        Assert.Contains(run.Info.RunId, stdout, StringComparison.Ordinal);
        Assert.Equal(input, run.Data.Params["backtest"]);

        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(FixtureRoot, "public", "metrics.json")));
        var expected = doc.RootElement.EnumerateObject().ToList();
        Assert.Equal(expected.Select(p => p.Name).Order(StringComparer.Ordinal), run.Data.Metrics.Keys.Order(StringComparer.Ordinal));
        foreach (var p in expected) Assert.True(Close(run.Data.Metrics[p.Name].Value, p.Value.GetDouble(), rate: true), p.Name);

        var recorder = new ExperimentManager(_store.Uri).GetExp(experimentName: "eval_bt", create: false).GetRecorder(recorderId: run.Info.RunId, create: false);
        Assert.Equal([RecordArtifacts.Label, RecordArtifacts.Pred], recorder.ListArtifacts().Where(a => a.EndsWith(".parquet", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.Equal(
            new[] { PortAnaRecord.IndicatorAnalysisFile, PortAnaRecord.IndicatorsFile, PortAnaRecord.OrdersFile, PortAnaRecord.PortAnalysisFile,
                    PortAnaRecord.PositionsFile, PortAnaRecord.ReportFile }.Select(f => RecordArtifacts.PortfolioAnalysisPath + "/" + f).Order(StringComparer.Ordinal),
            recorder.ListArtifacts(RecordArtifacts.PortfolioAnalysisPath).Order(StringComparer.Ordinal));
    }

    // ---- Bad input: exit 2, a message naming the problem, nothing recorded ----

    private (int Code, string Err) RunBad(string dir, params string[] extra)
    {
        var (code, stdout, stderr) = Run(["--backtest", dir, .. extra]);
        Assert.Equal("", stdout);
        Assert.False(Directory.Exists(_store.Root), "bad input must not create a run");
        return (code, stderr);
    }

    [Fact]
    public void MissingFolder_IsExit2()
    {
        var (code, err) = RunBad(Path.Combine(_work, "nope"));
        Assert.Equal(2, code);
        Assert.Contains("no such folder", err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("prices.csv")]
    [InlineData("benchmark.csv")]
    [InlineData("pred.csv")]
    [InlineData("config.json")]
    public void MissingInputFile_IsExit2NamingIt(string file)
    {
        var dir = CopyInputs("toy");
        File.Delete(Path.Combine(dir, file));
        var (code, err) = RunBad(dir);
        Assert.Equal(2, code);
        Assert.Contains(file + ": no such file", err, StringComparison.Ordinal);
    }

    [Fact]
    public void UnparsablePrice_IsExit2NamingTheFile()
    {
        var dir = CopyInputs("toy");
        var path = Path.Combine(dir, "prices.csv");
        File.WriteAllText(path, File.ReadAllText(path).Replace("2020-01-02,A,10,10,", "2020-01-02,A,ten,10,", StringComparison.Ordinal));
        var (code, err) = RunBad(dir);
        Assert.Equal(2, code);
        Assert.Contains("prices.csv", err, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingPriceColumn_IsExit2NamingIt()
    {
        var dir = CopyInputs("toy");
        var path = Path.Combine(dir, "benchmark.csv");
        File.WriteAllText(path, File.ReadAllText(path).Replace(",factor,", ",fctr,", StringComparison.Ordinal));
        var (code, err) = RunBad(dir);
        Assert.Equal(2, code);
        Assert.Contains("'factor'", err, StringComparison.Ordinal);
    }

    [Fact]
    public void UnsortedPred_IsExit2WithItsLine()
    {
        var dir = CopyInputs("toy");
        var path = Path.Combine(dir, "pred.csv");
        var lines = File.ReadAllLines(path);
        (lines[1], lines[2]) = (lines[2], lines[1]);
        File.WriteAllLines(path, lines);
        var (code, err) = RunBad(dir);
        Assert.Equal(2, code);
        Assert.Contains("pred.csv line 3", err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ not json", "config.json")]
    [InlineData("{\"strategy\": {\"kwargs\": {\"topk\": \"two\"}}}", "config.json")]
    [InlineData("{\"qlib_init\": {\"region\": \"mars\"}}", "region 'mars'")]
    public void BadConfig_IsExit2(string config, string expected)
    {
        var dir = CopyInputs("toy");
        File.WriteAllText(Path.Combine(dir, "config.json"), config);
        var (code, err) = RunBad(dir);
        Assert.Equal(2, code);
        Assert.Contains(expected, err, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownBenchmark_IsExit2BeforeAnyRun()
    {
        var dir = CopyInputs("toy");
        var path = Path.Combine(dir, "config.json");
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"benchmark\": \"SH000300\"", "\"benchmark\": \"SH999999\"", StringComparison.Ordinal));
        var (code, err) = RunBad(dir);
        Assert.Equal(2, code);
        Assert.Contains("SH999999", err, StringComparison.Ordinal);
    }

    [Fact]
    public void BacktestWithPanel_IsExit2WithUsage()
    {
        var (code, err) = RunBad(CopyInputs("toy"), "--panel", "p.csv");
        Assert.Equal(2, code);
        Assert.Contains("cannot be combined", err, StringComparison.Ordinal);
        Assert.Contains("Usage: EvaluateCsv", err, StringComparison.Ordinal);
    }

    // ---- Comparison with the fixture ----

    private static bool Close(double actual, double expected, bool rate)
    {
        if (double.IsNaN(expected)) return double.IsNaN(actual);
        var tol = rate ? 1e-12 + 1e-9 * Math.Abs(expected) : 1e-9 * Math.Max(1, Math.Abs(expected));
        return Math.Abs(actual - expected) <= tol;
    }

    private static double Num(string s) => s == "NaN" ? double.NaN : double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static bool IsNumber(string s) => s == "NaN" || double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    private static (string[] Header, List<string[]> Rows) Csv(string path)
    {
        var lines = File.ReadAllLines(path);
        return (lines[0].Split(','), lines.Skip(1).Select(l => l.Split(',')).ToList());
    }

    /// <summary>Same header, same rows in the same order; text cells equal, numeric cells within tolerance.</summary>
    private static void CompareCsv(string actualPath, string expectedPath, bool allRates)
    {
        var file = Path.GetFileName(expectedPath);
        var (eh, er) = Csv(expectedPath);
        var (ah, ar) = Csv(actualPath);
        Assert.Equal(eh, ah);
        Assert.True(er.Count == ar.Count, $"{file}: {ar.Count} rows, expected {er.Count}");
        for (var i = 0; i < er.Count; i++) CompareRow(file, eh, ar[i], er[i], allRates);
    }

    private static void CompareRow(string file, string[] header, string[] actual, string[] expected, bool allRates)
    {
        Assert.True(actual.Length == header.Length, $"{file}: row {string.Join(',', actual)} has {actual.Length} fields");
        for (var c = 0; c < header.Length; c++)
        {
            var what = $"{file} {expected[0]} {header[c]}";
            if (c == 0 || !IsNumber(expected[c]))
            {
                Assert.True(expected[c] == actual[c], $"{what}: '{actual[c]}' vs '{expected[c]}'");
                continue;
            }
            Assert.True(IsNumber(actual[c]), $"{what}: '{actual[c]}' is not a number");
            Assert.True(Close(Num(actual[c]), Num(expected[c]), allRates || RateColumns.Contains(header[c])), $"{what}: {actual[c]} vs {expected[c]}");
        }
    }

    /// <summary>Per day: the buys in the exact order, the sells (which come first) as a set matched by instrument.</summary>
    private static void CompareOrders(string actualPath, string expectedPath)
    {
        var (eh, er) = Csv(expectedPath);
        var (ah, ar) = Csv(actualPath);
        Assert.Equal(eh, ah);
        Assert.Equal(er.Count, ar.Count);
        int dir = Array.IndexOf(eh, "direction"), ins = Array.IndexOf(eh, "instrument"), seq = Array.IndexOf(eh, "seq");
        Assert.Equal(er.Select(r => (r[0], r[dir], r[seq])), ar.Select(r => (r[0], r[dir], r[seq]))); // same days, same sells-then-buys layout
        for (var i = 0; i < er.Count; i++)
        {
            var expected = er[i];
            var actual = expected[dir] == "buy"
                ? ar[i]
                : Assert.Single(ar, r => r[0] == expected[0] && r[dir] == "sell" && r[ins] == expected[ins]);
            Assert.Equal(expected[ins], actual[ins]);
            var e = (string[])expected.Clone();
            var a = (string[])actual.Clone();
            e[seq] = a[seq] = "0"; // a sell's position among the day's sells is Qlib's set order
            CompareRow("orders.csv", eh, a, e, allRates: false);
        }
    }

    /// <summary>Same keys in the same order at every level; numbers within tolerance (by the key's name), null = NaN.</summary>
    private static void CompareJson(string actualPath, string expectedPath, bool allRates)
    {
        using var e = JsonDocument.Parse(File.ReadAllText(expectedPath));
        using var a = JsonDocument.Parse(File.ReadAllText(actualPath));
        CompareElement(Path.GetFileName(expectedPath), "", a.RootElement, e.RootElement, allRates);
    }

    private static void CompareElement(string file, string path, JsonElement actual, JsonElement expected, bool allRates)
    {
        if (expected.ValueKind == JsonValueKind.Object)
        {
            Assert.True(actual.ValueKind == JsonValueKind.Object, $"{file} {path}: not an object");
            var eProps = expected.EnumerateObject().ToList();
            var aProps = actual.EnumerateObject().ToList();
            Assert.True(eProps.Select(p => p.Name).SequenceEqual(aProps.Select(p => p.Name)),
                $"{file} {path}: keys {string.Join(' ', aProps.Select(p => p.Name))} vs {string.Join(' ', eProps.Select(p => p.Name))}");
            for (var i = 0; i < eProps.Count; i++) CompareElement(file, path + "/" + eProps[i].Name, aProps[i].Value, eProps[i].Value, allRates);
            return;
        }
        var key = path[(path.LastIndexOf('/') + 1)..];
        var ev = expected.ValueKind == JsonValueKind.Null ? double.NaN : expected.GetDouble();
        Assert.True(actual.ValueKind is JsonValueKind.Number or JsonValueKind.Null, $"{file} {path}: {actual.ValueKind}");
        var av = actual.ValueKind == JsonValueKind.Null ? double.NaN : actual.GetDouble();
        if (key == "count_day") Assert.True(expected.GetRawText() == actual.GetRawText(), $"{file} {path}: {actual.GetRawText()} vs {expected.GetRawText()}");
        Assert.True(Close(av, ev, allRates || RateColumns.Contains(key)), $"{file} {path}: {av:R} vs {ev:R}");
    }
}
