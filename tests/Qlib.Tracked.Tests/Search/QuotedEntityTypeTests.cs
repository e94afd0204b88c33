using Qlib.Tracked.Search;

namespace Qlib.Tracked.Tests.Search;

/// <summary>
/// The entity-type part of an identifier may be quoted, as real MLflow 2.12 accepts it (every expectation below is
/// what <c>mlflow.utils.search_utils</c> answered for the same text): a backticked type in run filters and order_by
/// clauses; no quoted type in experiment filters; and an order_by clause with a direction has every quote dropped
/// first (MLflow reads it through shlex), so <c>"metrics.acc" DESC</c> orders by a metric. Types are case-sensitive.
/// </summary>
public sealed class QuotedEntityTypeTests
{
    [Theory]
    [InlineData("`metrics`.acc > 1", "Metric", "acc")]
    [InlineData("`metrics`.`a b` > 1", "Metric", "a b")]
    [InlineData("`params`.\"lr\" = '1'", "Param", "lr")]
    [InlineData("`metric`.a.b > 1", "Metric", "a.b")]
    [InlineData("`attributes`.status = 'FINISHED'", "Attribute", "status")]
    [InlineData("`attribute`.run_name = 'x'", "Attribute", "run_name")]
    [InlineData("`datasets`.name = 'x'", "Dataset", "name")]
    [InlineData("`tags`.`mlflow.runName` = 'x'", "Tag", "mlflow.runName")]
    public void RunFilter_BacktickedType_Parses(string filter, string type, string key)
    {
        var result = SearchFilterParser.ParseFilter(filter);
        Assert.True(result.IsValid, string.Join("; ", result.Problems.Select(p => p.Message)));
        var comparison = Assert.Single(result.Comparisons);
        Assert.Equal(type, comparison.Type.ToString());
        Assert.Equal(key, comparison.Key);
    }

    [Fact]
    public void RunFilter_TwoBacktickedClauses_BothParse()
    {
        var result = SearchFilterParser.ParseFilter("`metrics`.acc>1 and `params`.x='1'");
        Assert.True(result.IsValid, string.Join("; ", result.Problems.Select(p => p.Message)));
        Assert.Equal(["Metric acc", "Param x"], result.Comparisons.Select(c => c.Type + " " + c.Key));
    }

    [Theory]
    [InlineData("\"metrics\".acc > 1", "Invalid entity type '\"metrics\"'")]
    [InlineData("`metrics.acc` > 1", "")]                 // one quoted name: not a type at all
    [InlineData("`Metrics`.acc > 1", "Invalid entity type 'Metrics'")]
    [InlineData("Metrics.acc > 1", "Invalid entity type 'Metrics'")]
    [InlineData("PARAMS.x = '1'", "Invalid entity type 'PARAMS'")]
    [InlineData("`tags` .x = 'a'", "")]
    public void RunFilter_OtherQuotings_Refused(string filter, string message)
    {
        var result = SearchFilterParser.ParseFilter(filter);
        Assert.False(result.IsValid);
        Assert.Contains(message, result.Problems[0].Message);
    }

    [Theory]
    [InlineData("`metrics`.acc DESC", "Metric", "acc", true)]
    [InlineData("`metrics`.acc", "Metric", "acc", false)]
    [InlineData("`params`.`a b`", "Param", "a b", false)]
    [InlineData("`attributes`.start_time ASC", "Attribute", "start_time", false)]
    [InlineData("`run`.start_time", "Attribute", "start_time", false)]
    [InlineData("`metrics`.`a.b` desc", "Metric", "a.b", true)]
    [InlineData("`metrics`.\"a b\"", "Metric", "a b", false)]
    [InlineData("\"metrics\".acc DESC", "Metric", "acc", true)]       // shlex drops the quotes
    [InlineData("\"metrics.acc\" ASC", "Metric", "acc", false)]
    [InlineData("`metrics.acc` DESC", "Metric", "acc", true)]
    [InlineData("\"metrics\".\"acc\" DESC", "Metric", "acc", true)]
    [InlineData("`status` DESC", "Attribute", "status", true)]
    [InlineData("`start_time`", "Attribute", "start_time", false)]
    public void RunOrderBy_QuotedType_Parses(string clause, string type, string key, bool descending)
    {
        var result = SearchFilterParser.ParseOrderBy(clause);
        Assert.True(result.IsValid, string.Join("; ", result.Problems.Select(p => p.Message)));
        Assert.Equal(type, result.Order!.Type.ToString());
        Assert.Equal(key, result.Order.Key);
        Assert.Equal(descending, result.Order.Descending);
    }

    [Theory]
    [InlineData("\"metrics\".acc", "Invalid entity type '\"metrics\"'")]   // no direction: the quotes stay
    [InlineData("`Metrics`.acc DESC", "Invalid entity type 'Metrics'")]
    [InlineData("`Metrics`.acc", "Invalid entity type 'Metrics'")]
    [InlineData("`metrics` DESC", "Invalid attribute key 'metrics'")]
    [InlineData("`tags` .x", "")]
    public void RunOrderBy_OtherQuotings_Refused(string clause, string message)
    {
        var result = SearchFilterParser.ParseOrderBy(clause);
        Assert.False(result.IsValid);
        Assert.Contains(message, result.Problems[0].Message);
    }

    [Theory]
    [InlineData("`tags`.x = 'a'", "Invalid entity type '`tags`'")]
    [InlineData("`attribute`.name = 'x'", "Invalid entity type '`attribute`'")]
    public void ExperimentFilter_QuotedType_Refused(string filter, string message)
    {
        var result = SearchFilterParser.ParseFilter(filter, SearchTarget.Experiments);
        Assert.False(result.IsValid);
        Assert.Contains(message, result.Problems[0].Message);
    }

    [Theory]
    [InlineData("`attribute`.name DESC", "name", true)]     // with a direction shlex unquotes it
    [InlineData("\"attribute\".name DESC", "name", true)]
    [InlineData("`attribute`.`name` ASC", "name", false)]
    [InlineData("`name` DESC", "name", true)]
    public void ExperimentOrderBy_QuotedTypeWithDirection_Parses(string clause, string key, bool descending)
    {
        var result = SearchFilterParser.ParseOrderBy(clause, SearchTarget.Experiments);
        Assert.True(result.IsValid, string.Join("; ", result.Problems.Select(p => p.Message)));
        Assert.Equal("Attribute", result.Order!.Type.ToString());
        Assert.Equal(key, result.Order.Key);
        Assert.Equal(descending, result.Order.Descending);
    }

    [Theory]
    [InlineData("`attribute`.name", "Invalid entity type '`attribute`'")]
    [InlineData("\"attribute\".name", "Invalid entity type '\"attribute\"'")]
    public void ExperimentOrderBy_QuotedTypeWithoutDirection_Refused(string clause, string message)
    {
        var result = SearchFilterParser.ParseOrderBy(clause, SearchTarget.Experiments);
        Assert.False(result.IsValid);
        Assert.Contains(message, result.Problems[0].Message);
    }
}
