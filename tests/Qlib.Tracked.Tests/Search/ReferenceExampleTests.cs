using Qlib.Tracked.Entities;

namespace Qlib.Tracked.Tests.Search;

/// <summary>
/// Every example filter and order-by of reference §3.1, run on the store MLflow 2.12 wrote, against what real
/// MLflow answered there. §3.1 lists matching runs as sets; their order is checked against MLflow's natural
/// order (start_time DESC, run_id ASC), which the reference searches (<see cref="ReferenceSearchesTests"/>) pin.
/// </summary>
public sealed class ReferenceExampleTests(MlflowFixture fixture) : IClassFixture<MlflowFixture>
{
    private void AssertRuns(string filter, params string[] expected)
    {
        var runs = fixture.Search(filter);
        Assert.Equal(expected.Order(StringComparer.Ordinal), runs.Select(r => r.Info.RunName).Order(StringComparer.Ordinal));
        var natural = runs.OrderByDescending(r => r.Info.StartTime).ThenBy(r => r.Info.RunId, StringComparer.Ordinal);
        Assert.Equal(natural.Select(r => r.Info.RunName), runs.Select(r => r.Info.RunName));
    }

    private void AssertError(string filter, string mlflowMessage)
    {
        var error = Assert.Throws<TrackingException>(() => fixture.Search(filter));
        Assert.Equal(ErrorCode.InvalidParameterValue, error.Code);
        Assert.Contains(mlflowMessage, error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("at offset", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("params.lr = '0.01'")]                       // 1
    [InlineData("params.lr = \"0.01\"")]                     // 2: double quotes for values
    public void Example01_02_ParamStringEquality(string filter) => AssertRuns(filter, "alpha-lgb", "beta-plain");

    [Fact]
    public void Example03_UnquotedParamValue_Errors() => AssertError("params.lr = 0.01", "Expected a quoted string value for parameter");

    [Fact]
    public void Example04_NotEqual_ExcludesRunsWithoutTheParam() =>
        AssertRuns("param.lr != '0.01'", "alpha-failed", "alpha-running", "alpha-xgb");

    [Fact]
    public void Example05_LatestMetricValue() => AssertRuns("metrics.loss < 0.5", "alpha-child", "alpha-lgb", "alpha-xgb", "beta-plain");

    [Fact]
    public void Example06_QuotedMetricValue_Errors() => AssertError("metrics.loss < '0.5'", "Expected numeric value type for metric");

    [Theory]
    [InlineData("metric.ic >= 0.02 AND params.model_class LIKE '%GB%'")]
    [InlineData("metric.ic >= 0.02 and params.model_class LIKE '%GB%'")]
    public void Example07_AndOfTwoKinds(string filter) => AssertRuns(filter, "alpha-lgb", "alpha-xgb");

    [Fact]
    public void Example08_Or_Errors() => AssertError("metrics.loss < 0.5 OR metrics.loss > 5", "Invalid clause(s) in filter string: 'OR'");

    [Fact]
    public void Example09_LikeIsCaseSensitive() => AssertRuns("params.model_class LIKE 'lgb%'");

    [Fact]
    public void Example10_ILike() => AssertRuns("params.model_class ILIKE 'lgb%'", "alpha-lgb");

    [Fact]
    public void Example11_UnderscoreIsOneCharacter() => AssertRuns("params.model_class LIKE 'LGB_odel'", "alpha-lgb");

    [Theory]
    [InlineData("tags.`mlflow.runName` = 'alpha-lgb'")]
    [InlineData("tags.\"mlflow.runName\" = 'alpha-lgb'")]
    [InlineData("tags.mlflow.runName = 'alpha-lgb'")]
    public void Example12_ThreeQuotingStyles(string filter) => AssertRuns(filter, "alpha-lgb");

    [Theory]
    [InlineData("run_name = 'alpha-lgb'")]
    [InlineData("attributes.run_name = 'alpha-lgb'")]
    [InlineData("`Run name` = 'alpha-lgb'")]
    [InlineData("`run name` = 'alpha-lgb'")]
    [InlineData("`Run Name` = 'alpha-lgb'")]
    [InlineData("attr.run_name = 'alpha-lgb'")]
    [InlineData("run.run_name = 'alpha-lgb'")]
    public void Example13_BareKeysAreAttributes(string filter) => AssertRuns(filter, "alpha-lgb");

    [Fact]
    public void Example14_StatusNotFinished() => AssertRuns("status != 'FINISHED'", "alpha-failed", "alpha-running", "beta-edge");

    [Fact]
    public void Example15_InOnStatus_Errors() =>
        AssertError("attributes.status IN ('FAILED','KILLED')", "Only the 'run_id' attribute supports comparison with a list of quoted string values.");

    [Fact]
    public void Example16_RunIdInAndNotIn()
    {
        var lgb = fixture.RunIds["alpha-lgb"];
        var edge = fixture.RunIds["beta-edge"];
        AssertRuns($"attributes.run_id IN ('{lgb}','{edge}')", "alpha-lgb", "beta-edge");
        AssertRuns($"run_id NOT IN ('{lgb}')", "alpha-child", "alpha-failed", "alpha-running", "alpha-xgb", "beta-edge", "beta-plain", "default-run");
    }

    [Fact]
    public void Example17_NumericAttributes_CreatedIsStartTime()
    {
        AssertRuns("attributes.start_time > 1700000000140", "alpha-child", "beta-edge", "beta-plain");
        AssertRuns("created >= 1700000000500", "beta-edge", "beta-plain");
        AssertRuns("Created >= 1700000000500", "beta-edge", "beta-plain");
    }

    [Fact]
    public void Example18_RunningRunHasNoEndTime() =>
        AssertRuns("attributes.end_time > 0", "alpha-child", "alpha-failed", "alpha-lgb", "alpha-xgb", "beta-edge", "beta-plain", "default-run");

    [Fact]
    public void Example19_NaN_OnlyNotEqualMatches()
    {
        AssertRuns("metrics.nan_metric > 0");
        AssertRuns("metrics.nan_metric = 0");
        AssertRuns("metrics.nan_metric != 0", "beta-edge");
    }

    [Fact]
    public void Example20_Infinity_ScientificNotation()
    {
        AssertRuns("metrics.inf_metric > 1e300", "beta-edge");
        AssertRuns("metrics.neginf_metric < -1E300", "beta-edge");
        AssertRuns("metrics.tiny < 1e-299 AND metrics.tiny > 0", "beta-edge");
    }

    [Fact]
    public void Example21_EmptyValueIsAValue() => AssertRuns("params.empty = ''", "beta-edge");

    [Theory]
    [InlineData("params.`train/window` = '20'")]
    [InlineData("metrics.`train/loss` < 1")]
    [InlineData("metrics.`score.with.dots` = 0.75")]
    [InlineData("params.desc = 'späce and ünïcode'")]
    public void Example22_QuotedKeys(string filter) => AssertRuns(filter, "beta-edge");

    [Fact]
    public void Example23_OrderingComparatorOnParam_Errors() =>
        AssertError("params.lr > '0.01'", "Invalid comparator '>' not one of '{'=', '!=', 'ILIKE', 'LIKE'}'");

    /// <summary>
    /// §3.1 #24/#24b are where this store deliberately differs from MLflow's FILE store (which builds an unescaped
    /// regex without DOTALL): LIKE has SQL semantics, as in MLflow's SQL store — '%' crosses newlines and '.' is a
    /// literal dot.
    /// </summary>
    [Fact]
    public void Example24_LikeHasSqlSemantics()
    {
        AssertRuns("tags.multi LIKE 'line1%'", "beta-edge");                    // MLflow file store: beta-edge
        AssertRuns("tags.multi LIKE 'line1%line2'", "beta-edge");               // MLflow file store: none (no DOTALL)
        AssertRuns("tags.multi LIKE 'line1_line2'", "beta-edge");               // '_' is any one character, '\n' too
        AssertRuns("tags.trailing_newline LIKE 'x_'", "beta-edge");
        AssertRuns("params.model_class LIKE 'LGB.odel'");                        // MLflow file store: alpha-lgb ('.' as regex)
        AssertRuns("params.model_class LIKE 'LGBM.*'");                          // no regex at all
    }

    [Theory]
    [InlineData("attributes.lifecycle_stage = 'active'", "Invalid attribute key 'lifecycle_stage' specified")]
    [InlineData("attributes.experiment_id = '0'", "Invalid attribute key 'experiment_id' specified")]
    public void Example25_NonSearchableAttributes_Error(string filter, string message) => AssertError(filter, message);

    [Theory]
    [InlineData("datasets.name = 'train_ds'")]
    [InlineData("datasets.context = 'training'")]
    [InlineData("dataset.digest = '3efaaf32'")]
    [InlineData("datasets.name LIKE 'train%' AND datasets.context != 'eval'")]
    [InlineData("datasets.name IN ('train_ds', 'other')")]
    public void Example26_Datasets(string filter) => AssertRuns(filter, "beta-edge");

    [Fact]
    public void Example26_Datasets_NoInputNoMatch()
    {
        AssertRuns("datasets.name != 'nothing'", "beta-edge");                  // runs without inputs never match
        AssertRuns("datasets.context = 'eval'");
    }

    [Fact]
    public void Example27_InOnParam_Errors() => AssertError("params.lr IN ('0.01','0.1')", "supports comparison with a list");

    [Fact]
    public void Example28_IdentifierAlone_Errors() => AssertError("metrics.loss", "Invalid clause(s) in filter string: 'metrics.loss'");

    [Fact]
    public void OrderBy_MetricAscending_MissingLastInNaturalOrder() =>
        Assert.Equal(["alpha-lgb", "alpha-child", "alpha-xgb", "beta-plain", "alpha-failed", "beta-edge", "alpha-running", "default-run"],
            fixture.Names(null, "metrics.loss ASC"));

    [Fact]
    public void OrderBy_MetricDescending_MissingStillLast() =>
        Assert.Equal(["alpha-failed", "beta-plain", "alpha-xgb", "alpha-child", "alpha-lgb", "beta-edge", "alpha-running", "default-run"],
            fixture.Names(null, "metrics.loss DESC"));

    [Fact]
    public void OrderBy_BareUnknownKey_Errors()
    {
        var error = Assert.Throws<TrackingException>(() => fixture.Names(null, "loss"));
        Assert.Contains("Invalid attribute key 'loss' specified", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OrderBy_BadDirection_Errors()
    {
        var error = Assert.Throws<TrackingException>(() => fixture.Names(null, "metrics.loss DOWN"));
        Assert.Equal(ErrorCode.InvalidParameterValue, error.Code);
        Assert.Contains("Invalid ordering key in order_by clause 'metrics.loss DOWN'.", error.Message, StringComparison.Ordinal);
        Assert.Contains("at offset 13: 'DOWN'", error.Message, StringComparison.Ordinal);
    }
}
