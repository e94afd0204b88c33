using static Qlib.Tracked.Analyzers.Tests.AnalyzerTestHelper;

namespace Qlib.Tracked.Analyzers.Tests;

public class QTRK910_FilterSyntaxTests
{
    [Fact]
    public void QTRK910_Incomplete_Reported() => Verify(UsageSources.Use("""
                R.SearchRecords(["1"], "{|QTRK910:metrics.loss|}");
                R.SearchRecords(["1"], filter: "metrics.loss {|QTRK910:<|}");
                exp.SearchRecords("metrics.loss < 1 {|QTRK910:params.x = 'a'|}");
                client.SearchRuns(["1"], "metrics.loss {|QTRK910:==|} 1");
        """), "QTRK910");

    [Fact]
    public void QTRK910_ReferenceFilters_Clean() => Verify(UsageSources.Use("""
                R.SearchRecords(["1"], "params.learning_rate = '0.01'");
                R.SearchRecords(["1"], "params.learning_rate = \"0.01\"");
                exp.SearchRecords("metric.IC >= 0.02 and params.num_leaves LIKE '%3%'");
                exp.ListRecorders(filter: "tags.`mlflow.runName` = 'a' AND tags.\"mlflow.runName\" = 'a' AND tags.mlflow.runName = 'a'");
                client.SearchRuns(["1"], "run_name = 'x' AND attributes.run_name = 'x' AND `Run name` = 'x' AND status != 'FINISHED'");
                client.SearchAllRuns(["1"], "attributes.start_time > 1700000000140 AND created >= 1700000000500 AND metrics.loss > 1e300");
                client.SearchAllRuns(["1"], "datasets.name = 'train_ds' AND datasets.context = 'training' AND params.`num_leaves` = ''");
                client.SearchAllRuns(["1"], "");
                client.SearchAllRuns(["1"], null);
        """), "QTRK910");
}

public class QTRK910_ExperimentFilterTests
{
    [Fact]
    public void QTRK91x_ExperimentGrammar_Clean() => Verify(UsageSources.Use("""
                client.SearchExperiments("name LIKE 'lgb%' AND creation_time > 1.5e12 AND tags.project = 'qlib'", orderBy: ["last_update_time DESC", "name"]);
        """), "QTRK910", "QTRK912", "QTRK915", "QTRK916", "QTRK917", "QTRK918");

    [Fact]
    public void QTRK915_RunIdentifiersInAnExperimentFilter_Reported() => Verify(UsageSources.Use("""
                client.SearchExperiments("{|QTRK915:metrics|}.loss < 1");
                client.SearchExperiments("{|QTRK915:experiment_id|} = '1'");
                client.SearchExperiments(null, orderBy: ["{|QTRK915:start_time|}"]);
        """), "QTRK915");
}

public class QTRK911_FilterOrTests
{
    [Fact]
    public void QTRK911_Or_Reported() => Verify(UsageSources.Use("""
                R.SearchRecords(["1"], "metrics.loss < 0.5 {|QTRK911:OR|} metrics.loss > 5");
        """), "QTRK911");

    [Fact]
    public void QTRK911_And_Clean() => Verify(UsageSources.Use("""
                R.SearchRecords(["1"], "metrics.loss < 0.5 AND metrics.loss > 0.1");
        """), "QTRK911");
}

public class QTRK912_FilterUnquotedValueTests
{
    [Fact]
    public void QTRK912_Unquoted_Reported() => Verify(UsageSources.Use("""
                R.SearchRecords(["1"], "params.learning_rate = {|QTRK912:0.01|}");
                R.SearchRecords(["1"], "tags.hostname = {|QTRK912:box|}");
        """), "QTRK912");

    [Fact]
    public void QTRK912_Quoted_Clean() => Verify(UsageSources.Use("""
                R.SearchRecords(["1"], "params.learning_rate = '0.01'");
        """), "QTRK912");

    [Fact]
    public async Task QTRK912_Fix_QuotesValue()
    {
        var source = UsageSources.Use("""        R.SearchRecords(["1"], "params.learning_rate = 0.01");""");
        Assert.Contains("R.SearchRecords([\"1\"], \"params.learning_rate = '0.01'\");", await ApplyFix(source, "QTRK912"));
    }
}

public class QTRK913_FilterQuotedNumberTests
{
    [Fact]
    public void QTRK913_Quoted_Reported() => Verify(UsageSources.Use("""
                R.SearchRecords(["1"], "metrics.loss < {|QTRK913:'0.5'|}");
                R.SearchRecords(["1"], "attributes.start_time > {|QTRK913:'17'|}");
        """), "QTRK913");

    [Fact]
    public void QTRK913_Number_Clean() => Verify(UsageSources.Use("""
                R.SearchRecords(["1"], "metrics.loss < 0.5 AND metrics.IC > -1 AND metrics.loss != .5");
        """), "QTRK913");

    [Fact]
    public async Task QTRK913_Fix_UnquotesValue()
    {
        var source = UsageSources.Use("""        R.SearchRecords(["1"], "metrics.loss < '0.5'");""");
        Assert.Contains("R.SearchRecords([\"1\"], \"metrics.loss < 0.5\");", await ApplyFix(source, "QTRK913"));
    }
}

public class QTRK914_FilterInNotAllowedTests
{
    [Fact]
    public void QTRK914_InOnStatusOrParam_Reported() => Verify(UsageSources.Use("""
                R.SearchRecords(["1"], "attributes.status {|QTRK914:IN|} ('FAILED','KILLED')");
                R.SearchRecords(["1"], "params.learning_rate {|QTRK914:NOT IN|} ('0.01')");
        """), "QTRK914");

    [Fact]
    public void QTRK914_RunId_Clean() => Verify(UsageSources.Use("""
                R.SearchRecords(["1"], "attributes.run_id IN ('a','b') AND run_id NOT IN ('c')");
        """), "QTRK914");
}

public class QTRK915_FilterInvalidIdentifierTests
{
    [Fact]
    public void QTRK915_BadIdentifiers_Reported() => Verify(UsageSources.Use("""
                R.SearchRecords(["1"], "attributes.{|QTRK915:lifecycle_stage|} = 'active'");
                R.SearchRecords(["1"], "{|QTRK915:metricz|}.loss < 1");
                R.SearchRecords(["1"], "{|QTRK915:loss|} < 1");
                R.SearchRecords(["1"], orderBy: ["{|QTRK915:loss|}"]);
        """), "QTRK915");

    [Fact]
    public void QTRK915_Valid_Clean() => Verify(UsageSources.Use("""
                R.SearchRecords(["1"], "attributes.artifact_uri LIKE '%x%' AND user_id = 'me'", orderBy: ["start_time DESC", "attr.run_name"]);
        """), "QTRK915");
}

public class QTRK916_FilterUnknownKeyTests
{
    [Fact]
    public void QTRK916_Unknown_Reported() => Verify(UsageSources.Use("""
                R.SearchRecords(["1"], "metrics.{|QTRK916:los|} < 1 AND params.{|QTRK916:learning_rte|} = '0.1'");
                R.SearchRecords(["1"], "tags.`{|QTRK916:hostnme|}` = 'x'", orderBy: ["metrics.{|QTRK916:ICC|} DESC"]);
        """), "QTRK916");

    [Fact]
    public void QTRK916_Known_Clean() => Verify(UsageSources.Use("""
                R.SearchRecords(["1"], "metrics.`Rank IC` > 0 AND metrics.loss < 1 AND tags.mlflow.user = 'me'", orderBy: ["metrics.IC DESC"]);
        """), "QTRK916");

    [Fact]
    public async Task QTRK916_Fix_ReplacesKey()
    {
        var source = UsageSources.Use("""        R.SearchRecords(["1"], "metrics.los < 1");""");
        Assert.Contains("R.SearchRecords([\"1\"], \"metrics.loss < 1\");", await ApplyFix(source, "QTRK916"));
    }

    [Fact]
    public async Task QTRK916_Fix_QuotesKeyThatNeedsIt()
    {
        var source = UsageSources.Use("""        R.SearchRecords(["1"], "metrics.Rank_IC > 0");""");
        Assert.Contains("R.SearchRecords([\"1\"], \"metrics.`Rank IC` > 0\");", await ApplyFix(source, "QTRK916"));
    }
}

public class QTRK917_FilterInvalidComparatorTests
{
    [Fact]
    public void QTRK917_BadComparators_Reported() => Verify(UsageSources.Use("""
                R.SearchRecords(["1"], "params.learning_rate {|QTRK917:>|} '0.01'");
                R.SearchRecords(["1"], "metrics.loss {|QTRK917:LIKE|} 1");
        """), "QTRK917");

    [Fact]
    public void QTRK917_Good_Clean() => Verify(UsageSources.Use("""
                R.SearchRecords(["1"], "params.learning_rate ILIKE '0.0%' AND metrics.loss <= 1 AND end_time > 0");
        """), "QTRK917");
}

public class QTRK918_OrderByInvalidTests
{
    [Fact]
    public void QTRK918_Bad_Reported() => Verify(UsageSources.Use("""
                R.SearchRecords(["1"], orderBy: ["metrics.loss {|QTRK918:DOWN|}", "{|QTRK918:|}"]);
                client.SearchRuns(["1"], orderBy: new[] { "{|QTRK918:datasets.name|}" });
        """), "QTRK918");

    [Fact]
    public void QTRK918_Good_Clean() => Verify(UsageSources.Use("""
                R.SearchRecords(["1"], orderBy: ["metrics.loss ASC", "params.learning_rate desc", "created"]);
        """), "QTRK918");
}

/// <summary>A quoted entity type, as real MLflow accepts it (backticks in run filters; any quotes in an order_by with a direction).</summary>
public class QTRK91x_QuotedEntityTypeTests
{
    [Fact]
    public void QTRK91x_BacktickedType_Clean() => Verify(UsageSources.Use("""
                R.SearchRecords(["1"], "`metrics`.loss < 1 AND `params`.`learning_rate` = '0.1' AND `tags`.\"hostname\" = 'x'", orderBy: ["`metrics`.IC DESC", "\"metrics.loss\" ASC", "`params`.learning_rate"]);
        """), "QTRK910", "QTRK915", "QTRK916", "QTRK918");

    [Fact]
    public void QTRK916_UnknownKeyAfterBacktickedType_Reported() => Verify(UsageSources.Use("""
                R.SearchRecords(["1"], "`metrics`.{|QTRK916:los|} < 1", orderBy: ["`metrics`.{|QTRK916:ICC|} DESC"]);
        """), "QTRK916");

    [Fact]
    public void QTRK915_WrongCaseOrQuote_Reported() => Verify(UsageSources.Use("""
                R.SearchRecords(["1"], "{|QTRK915:Metrics|}.loss < 1");
                R.SearchRecords(["1"], "`{|QTRK915:Params|}`.learning_rate = '0.1'");
                client.SearchExperiments("{|QTRK915:`tags`|}.project = 'qlib'");
        """), "QTRK915");
}
