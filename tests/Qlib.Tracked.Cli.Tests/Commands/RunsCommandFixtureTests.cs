using System.Text.Json;

namespace Qlib.Tracked.Cli.Tests;

/// <summary><c>qtrack runs</c> on the store real MLflow wrote, against what real MLflow answered.</summary>
public sealed class RunsCommandFixtureTests : IDisposable
{
    private readonly TempStore _store = new(copyFixture: true);

    public void Dispose() => _store.Dispose();

    private CliResult Runs(params string[] args) => CliRunner.Run(["runs", "--store", _store.Store, "--format", "json", .. args]);

    /// <summary>The searches recorded in the fixture: MLflow's result (over every active experiment), or its error.</summary>
    [Fact]
    public void EverySearchMlflowRan_GivesMlflowsRunsInMlflowsOrder_OrExitCode2WhereMlflowFailed()
    {
        var checkedSearches = 0;
        foreach (var search in MlflowExpected.Searches)
        {
            var filter = search.GetProperty("filter").GetString()!;
            string[] args = ["--filter", filter, .. search.GetProperty("order_by").EnumerateArray().SelectMany(o => new[] { "--order-by", o.GetString()! })];
            var result = Runs(args);
            if (search.TryGetProperty("error", out var error))
            {
                Assert.True(result.ExitCode == 2, $"'{filter}': expected exit 2 (MLflow: {error}), got {result.ExitCode}");
                Assert.Equal("", result.Out);
                Assert.Contains("INVALID_PARAMETER_VALUE", result.Error);
            }
            else
            {
                var expected = search.GetProperty("result").EnumerateArray().Select(r => r[1].GetString()!).ToArray();
                Assert.True(expected.SequenceEqual(result.RunNames()),
                    $"'{filter}' {string.Join(", ", args.Skip(2))}: expected [{string.Join(", ", expected)}], got [{string.Join(", ", result.RunNames())}]");
            }
            checkedSearches++;
        }
        Assert.True(checkedSearches >= 10);
    }

    // Reference §3.1 filters the store's current grammar supports; expected runs in the natural order
    // (start_time DESC, run_id ASC) MLflow returns when no order-by is given.
    [Theory]
    [InlineData("params.lr = '0.01'", new[] { "beta-plain", "alpha-lgb" })]
    [InlineData("params.lr = \"0.01\"", new[] { "beta-plain", "alpha-lgb" })]
    [InlineData("param.lr != '0.01'", new[] { "alpha-running", "alpha-failed", "alpha-xgb" })]
    [InlineData("metrics.loss < 0.5", new[] { "beta-plain", "alpha-child", "alpha-xgb", "alpha-lgb" })]
    [InlineData("metric.ic >= 0.02 AND params.model_class LIKE '%GB%'", new[] { "alpha-xgb", "alpha-lgb" })]
    [InlineData("metric.ic >= 0.02 and params.model_class LIKE '%GB%'", new[] { "alpha-xgb", "alpha-lgb" })]
    [InlineData("params.model_class LIKE 'lgb%'", new string[0])]
    [InlineData("params.model_class ILIKE 'lgb%'", new[] { "alpha-lgb" })]
    [InlineData("params.model_class LIKE 'LGB_odel'", new[] { "alpha-lgb" })]
    [InlineData("tags.`mlflow.runName` = 'alpha-lgb'", new[] { "alpha-lgb" })]
    [InlineData("tags.\"mlflow.runName\" = 'alpha-lgb'", new[] { "alpha-lgb" })]
    [InlineData("tags.mlflow.runName = 'alpha-lgb'", new[] { "alpha-lgb" })]
    [InlineData("run_name = 'alpha-lgb'", new[] { "alpha-lgb" })]
    [InlineData("attributes.run_name = 'alpha-lgb'", new[] { "alpha-lgb" })]
    [InlineData("status != 'FINISHED'", new[] { "beta-edge", "alpha-running", "alpha-failed" })]
    [InlineData("attributes.start_time > 1700000000140", new[] { "beta-plain", "beta-edge", "alpha-child" })]
    [InlineData("created >= 1700000000500", new[] { "beta-plain", "beta-edge" })]
    [InlineData("attributes.end_time > 0", new[] { "beta-plain", "beta-edge", "alpha-child", "alpha-failed", "alpha-xgb", "alpha-lgb", "default-run" })]
    [InlineData("metrics.nan_metric > 0", new string[0])]
    [InlineData("metrics.nan_metric != 0", new[] { "beta-edge" })]
    [InlineData("metrics.inf_metric > 1e300", new[] { "beta-edge" })]
    [InlineData("params.empty = ''", new[] { "beta-edge" })]
    [InlineData("params.`train/window` = '20'", new[] { "beta-edge" })]
    [InlineData("metrics.`train/loss` < 1", new[] { "beta-edge" })]
    public void ReferenceFilters_GiveMlflowsRuns(string filter, string[] expected) =>
        Assert.Equal(expected, Runs("--filter", filter).RunNames());

    [Theory]
    [InlineData("params.lr = 0.01", "quoted string")]
    [InlineData("metrics.loss < '0.5'", "numeric")]
    [InlineData("metrics.loss < 0.5 OR metrics.loss > 5", "OR")]
    [InlineData("attributes.status IN ('FAILED','KILLED')", "run_id")]
    [InlineData("params.lr > '0.01'", "'>'")]
    [InlineData("attributes.lifecycle_stage = 'active'", "lifecycle_stage")]
    [InlineData("params.lr IN ('0.01','0.1')", "run_id")]
    [InlineData("metrics.loss", "")] // MLflow: "Invalid clause(s)"; the wording is the grammar's business
    public void InvalidFilters_PrintTheTypedErrorOnStderr_AndExit2(string filter, string mentioned)
    {
        var result = Runs("--filter", filter);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Out);
        Assert.StartsWith("error: INVALID_PARAMETER_VALUE: ", result.Error);
        Assert.Contains(mentioned, result.Error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void OrderBy_MetricAscAndDesc_PutRunsWithoutTheMetricLast()
    {
        Assert.Equal(["alpha-lgb", "alpha-child", "alpha-xgb", "beta-plain", "alpha-failed", "beta-edge", "alpha-running", "default-run"],
            Runs("--order-by", "metrics.loss ASC").RunNames());
        Assert.Equal(["alpha-failed", "beta-plain", "alpha-xgb", "alpha-child", "alpha-lgb", "beta-edge", "alpha-running", "default-run"],
            Runs("--order-by", "metrics.loss DESC").RunNames());
        Assert.Equal(2, Runs("--order-by", "metrics.loss DOWN").ExitCode);
    }

    [Fact]
    public void EveryRunsJson_HasExactlyTheDocumentedFields_WithMlflowsValues()
    {
        using var json = Runs("--view", "all").Json();
        var expectedRuns = MlflowExpected.Runs.ToDictionary(r => r.GetProperty("run_id").GetString()!);
        var runs = json.RootElement.EnumerateArray().ToArray();
        Assert.Equal(9, runs.Length); // 8 active + the deleted run of an active experiment

        foreach (var run in runs)
        {
            Assert.Equal(["run_id", "run_name", "experiment_id", "status", "start_time", "end_time", "lifecycle_stage", "params", "metrics", "tags"],
                run.EnumerateObject().Select(p => p.Name));
            var mlflow = expectedRuns[run.GetProperty("run_id").GetString()!];
            foreach (var field in new[] { "run_name", "experiment_id", "status", "lifecycle_stage" })
                Assert.Equal(mlflow.GetProperty(field).GetString(), run.GetProperty(field).GetString());
            Assert.Equal(mlflow.GetProperty("start_time").GetInt64(), run.GetProperty("start_time").GetInt64());
            Assert.Equal(mlflow.GetProperty("end_time").ValueKind, run.GetProperty("end_time").ValueKind);
            if (mlflow.GetProperty("end_time").ValueKind == JsonValueKind.Number)
                Assert.Equal(mlflow.GetProperty("end_time").GetInt64(), run.GetProperty("end_time").GetInt64());
            AssertSameStrings(mlflow.GetProperty("params"), run.GetProperty("params"));
            AssertSameStrings(mlflow.GetProperty("tags"), run.GetProperty("tags"));
            // Metrics: numbers as numbers, NaN/Infinity/-Infinity spelled as strings, the fixture's convention too.
            var expectedMetrics = mlflow.GetProperty("metrics").EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal).ToArray();
            var metrics = run.GetProperty("metrics").EnumerateObject().ToArray();
            Assert.Equal(expectedMetrics.Select(p => p.Name), metrics.Select(p => p.Name));
            foreach (var (e, a) in expectedMetrics.Zip(metrics))
            {
                Assert.Equal(e.Value.ValueKind, a.Value.ValueKind);
                if (e.Value.ValueKind == JsonValueKind.Number) Assert.Equal(e.Value.GetDouble(), a.Value.GetDouble());
                else Assert.Equal(e.Value.GetString(), a.Value.GetString());
            }
        }
        var edge = runs.Single(r => r.GetProperty("run_name").GetString() == "beta-edge").GetProperty("metrics");
        Assert.Equal("NaN", edge.GetProperty("nan_metric").GetString());
        Assert.Equal("Infinity", edge.GetProperty("inf_metric").GetString());
        Assert.Equal("-Infinity", edge.GetProperty("neginf_metric").GetString());
        Assert.Equal(1e-300, edge.GetProperty("tiny").GetDouble());
    }

    private static void AssertSameStrings(JsonElement expected, JsonElement actual)
    {
        var e = expected.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => (p.Name, p.Value.GetString())).ToArray();
        var a = actual.EnumerateObject().Select(p => (p.Name, p.Value.GetString())).ToArray();
        Assert.Equal(e, a);
    }

    [Fact]
    public void Experiments_ByNameAndById_Repeatable_AndViewSelectsDeletedRuns()
    {
        var alphaId = MlflowExpected.Experiments.Single(e => e.GetProperty("name").GetString() == "qlib_ref_alpha").GetProperty("experiment_id").GetString()!;
        Assert.Equal(["beta-plain", "beta-edge"], Runs("--experiment", "qlib_ref_beta").RunNames());
        Assert.Equal(["beta-plain", "beta-edge", "alpha-child", "alpha-running", "alpha-failed", "alpha-xgb", "alpha-lgb"],
            Runs("-e", "qlib_ref_beta", "-e", alphaId).RunNames());
        Assert.Equal(["alpha-deleted"], Runs("-e", alphaId, "--view", "deleted").RunNames());
        Assert.Equal(["gone-run"], Runs("-e", "qlib_ref_deleted", "--view", "all").RunNames()); // a deleted experiment by name
    }

    [Fact]
    public void UnknownExperiment_IsExitCode1_NamingIt()
    {
        var result = Runs("--experiment", "no_such_experiment");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Out);
        Assert.Contains("RESOURCE_DOES_NOT_EXIST", result.Error);
        Assert.Contains("'no_such_experiment'", result.Error);
    }

    [Fact]
    public void Max_LimitsTheRuns_AndSaysMoreMatchedOnStderr()
    {
        var result = Runs("--max", "3");
        Assert.Equal(["beta-plain", "beta-edge", "alpha-child"], result.RunNames());
        Assert.Contains("first 3 runs", result.Error);
        Assert.Equal(2, Runs("--max", "0").ExitCode);
        Assert.Equal("", Runs("--max", "8").Error);
    }

    [Theory]
    [InlineData("--view", "archived")]
    [InlineData("--format", "xml")]
    [InlineData("--max", "many")]
    [InlineData("--no-such-option")]
    public void BadArguments_AreUsageErrors(params string[] args)
    {
        var result = Runs(args);
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error: ", result.Error);
    }

    [Fact]
    public void Table_ShowsChosenColumns_AlignedAndEscaped()
    {
        var result = CliRunner.Run("runs", "--store", _store.Store, "--columns", "metrics.loss", "--columns", "tags.multi", "-c", "params.lr");
        Assert.Equal(0, result.ExitCode);
        var lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["run_id", "run_name", "experiment", "status", "start_time", "duration", "metrics.loss", "tags.multi", "params.lr"],
            lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("8 run(s)", lines[^1]);
        var edge = lines.Single(l => l.Contains("beta-edge", StringComparison.Ordinal));
        Assert.Contains(@"line1\nline2", edge); // the newline is escaped, the row stays one line
        // metrics.loss is right-aligned: every value ends where the header ends.
        var end = lines[0].IndexOf("metrics.loss", StringComparison.Ordinal) + "metrics.loss".Length;
        foreach (var row in lines.Skip(2).Take(8)) Assert.NotEqual(' ', row[end - 1]);
        Assert.Equal(2, CliRunner.Run("runs", "--store", _store.Store, "--columns", "loss").ExitCode);
    }
}
