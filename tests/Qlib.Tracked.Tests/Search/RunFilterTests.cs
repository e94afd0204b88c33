using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores.Search;

namespace Qlib.Tracked.Tests.Search;

/// <summary>The compiled filter on runs built in memory: the rules §3 states, one at a time, away from any store.</summary>
public sealed class RunFilterTests
{
    private static Run MakeRun(string id, string name, long start, long? end = null, RunStatus status = RunStatus.Finished,
        (string Key, double Value)[]? metrics = null, (string Key, string Value)[]? parameters = null,
        (string Key, string Value)[]? tags = null, DatasetInput[]? inputs = null) =>
        new(new RunInfo(id, "1", name, "alice", status, start, end, $"file:///m/1/{id}/artifacts", LifecycleStage.Active),
            new RunData(
                (metrics ?? []).ToDictionary(m => m.Key, m => new Metric(m.Key, m.Value, 0, 0)),
                (parameters ?? []).ToDictionary(p => p.Key, p => p.Value),
                (tags ?? []).ToDictionary(t => t.Key, t => t.Value)),
            inputs ?? []);

    private static readonly Run[] Runs =
    [
        MakeRun("aaa1", "one", 100, 110, metrics: [("m", 1), ("nan", double.NaN)], parameters: [("p", "it''s"), ("q", "50% off"), ("u", "ÄBC")],
            tags: [("t", "a\nb")]),
        MakeRun("bbb2", "two", 200, null, RunStatus.Running, metrics: [("m", double.PositiveInfinity)], parameters: [("p", "x.y"), ("q", "a_b")]),
        MakeRun("CCC3", "three", 300, 310, RunStatus.Killed, metrics: [("m", -0.0)], parameters: [("q", "abc")],
            inputs: [new DatasetInput(new Dataset("ds", "d1", "local", "{}", null, null), new Dictionary<string, string>()),
                     new DatasetInput(new Dataset("eval", "d2", "local", "{}", null, null), new Dictionary<string, string> { ["mlflow.data.context"] = "eval" })]),
    ];

    private static string[] Match(string filter)
    {
        var compiled = RunFilter.Parse(filter);
        return Runs.Where(compiled.Matches).Select(r => r.Info.RunName).ToArray();
    }

    [Theory]
    [InlineData("params.p = 'it''s'", new[] { "one" })]                 // MLflow strips the quotes and unescapes nothing
    [InlineData("params.p = \"it''s\"", new[] { "one" })]
    [InlineData("params.q LIKE '50%'", new[] { "one" })]
    [InlineData("params.q LIKE '50\\% off'", new string[0])]           // no escape character: '\' is literal
    [InlineData("params.q LIKE 'a_b'", new[] { "two" })]
    [InlineData("params.q LIKE '___'", new[] { "two", "three" })]
    [InlineData("params.q LIKE '%'", new[] { "one", "two", "three" })]
    [InlineData("params.q LIKE '%%b%'", new[] { "two", "three" })]
    [InlineData("params.q LIKE ''", new string[0])]
    [InlineData("params.p LIKE 'x.y'", new[] { "two" })]
    [InlineData("params.p LIKE 'x_y'", new[] { "two" })]
    [InlineData("params.p LIKE 'x*y'", new string[0])]
    [InlineData("params.u ILIKE 'äbc'", new[] { "one" })]               // ILIKE folds case beyond ASCII
    [InlineData("params.u LIKE 'äbc'", new string[0])]
    [InlineData("params.q ilike 'ABC'", new[] { "three" })]            // keywords in any case
    [InlineData("tags.t LIKE 'a%b'", new[] { "one" })]                  // '%' crosses a newline (SQL)
    [InlineData("tags.t = 'a\nb'", new[] { "one" })]
    [InlineData("metrics.m > 0", new[] { "one", "two" })]
    [InlineData("metrics.m >= 1E+308", new[] { "two" })]               // +inf compares as +inf
    [InlineData("metrics.m = 0", new[] { "three" })]                    // -0.0 = 0, as Python
    [InlineData("metrics.m = -0.0", new[] { "three" })]
    [InlineData("metrics.m != 1", new[] { "two", "three" })]
    [InlineData("metrics.m <= .5", new[] { "three" })]
    [InlineData("metrics.nan != 1", new[] { "one" })]                   // NaN: only != matches
    [InlineData("metrics.nan = 1", new string[0])]
    [InlineData("metrics.nan <= 1", new string[0])]
    [InlineData("metrics.missing != 1", new string[0])]                // missing never matches
    [InlineData("params.missing != 'x'", new string[0])]
    [InlineData("tags.missing != 'x'", new string[0])]
    [InlineData("attributes.end_time != 0", new[] { "one", "three" })] // a running run has no end time
    [InlineData("end_time <= 310 AND start_time >= 100", new[] { "one", "three" })]
    [InlineData("start_time = 200", new[] { "two" })]
    [InlineData("status = 'KILLED'", new[] { "three" })]
    [InlineData("status = 'killed'", new string[0])]                    // case-sensitive, as MLflow
    [InlineData("status ILIKE 'killed'", new[] { "three" })]
    [InlineData("user_id = 'alice' AND artifact_uri LIKE '%/bbb2/%'", new[] { "two" })]
    [InlineData("run_id = 'CCC3'", new[] { "three" })]
    [InlineData("run_id IN ('aaa1', 'bbb2')", new[] { "one", "two" })]
    [InlineData("run_id IN ('aaa1', 'CCC3')", new[] { "one" })]        // MLflow drops list items that are not lower-case
    [InlineData("run_id NOT IN ('aaa1')", new[] { "two", "three" })]
    [InlineData("run_id not in ('AAA1')", new[] { "one", "two", "three" })]
    [InlineData("datasets.name = 'eval'", new[] { "three" })]          // ANY input
    [InlineData("datasets.name = 'ds' AND datasets.digest = 'd2'", new[] { "three" })]
    [InlineData("datasets.context = 'eval'", new[] { "three" })]
    [InlineData("datasets.context != 'eval'", new string[0])]          // the input without a context is not compared
    [InlineData("datasets.digest NOT IN ('d1')", new[] { "three" })]
    [InlineData("  metrics.m > 0   AND   params.q = 'a_b'  ", new[] { "two" })]
    [InlineData("", new[] { "one", "two", "three" })]
    [InlineData("   ", new[] { "one", "two", "three" })]
    public void Filter_Matches(string filter, string[] expected) => Assert.Equal(expected, Match(filter));

    [Theory]
    [InlineData("metrics.m > 0 AND", "is not followed by a comparison", 14)]
    [InlineData("metrics.m > 0 params.q = 'x'", "expected AND", 14)]
    [InlineData("metrics.m >", "needs a value", 10)]
    [InlineData("metrics.m 5", "expected a comparator", 10)]
    [InlineData("params.q = 'abc", "unterminated ' quote", 11)]
    [InlineData("params.q = abc", "Parameter value is either not quoted", 11)]
    [InlineData("tags.t = 5", "Expected a quoted string value for tag", 9)]
    [InlineData("run_name = 5", "Expected a quoted string value for attributes", 11)]
    [InlineData("params.q = `abc`", "unidentified quote types", 11)]
    [InlineData("start_time > 1.5", "Expected numeric value type for numeric attribute: start_time. Found 1.5", 13)]
    [InlineData("start_time > '5'", "Expected numeric value type for numeric attribute: start_time", 13)]
    [InlineData("metrics.m > nan", "Expected numeric value type for metric. Found nan", 12)]
    [InlineData("metrics.m LIKE '1'", "Invalid comparator 'LIKE' not one of '{'=', '!=', '<', '<=', '>', '>='}'", 10)]
    [InlineData("status < 'X'", "Invalid comparator '<'", 7)]
    [InlineData("metricz.m > 1", "Invalid entity type 'metricz'", 0)]
    [InlineData("attributes.foo = 'x'", "Invalid attribute key 'foo' specified", 11)]
    [InlineData("datasets.size = 'x'", "Invalid dataset key 'size' specified", 9)]
    [InlineData("params. = 'x'", "names no key", 0)]
    [InlineData("run_id IN ()", "expected a non-empty list of string values, but got empty list", 10)]
    [InlineData("run_id IN ('a', \"b\")", "expected string value, punctuation, or whitespace", 16)]
    [InlineData("run_id IN ('a' 'b')", "expected ',' or ')'", 15)]
    [InlineData("run_id IN 'a'", "parenthesised list", 10)]
    [InlineData("(metrics.m > 1)", "Invalid clause(s) in filter string", 0)]
    [InlineData("metrics.m > 1 # x", "unexpected character '#'", 14)]
    [InlineData("metrics.m == 1", "Invalid comparator '=='", 10)]
    [InlineData("NOT metrics.m > 1", "Invalid clause(s) in filter string", 0)]
    public void InvalidFilter_SaysWhatAndWhere(string filter, string message, int offset)
    {
        var error = Assert.Throws<TrackingException>(() => RunFilter.Parse(filter));
        Assert.Equal(ErrorCode.InvalidParameterValue, error.Code);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Contains($"at offset {offset}", error.Message, StringComparison.Ordinal);
        Assert.Contains(filter, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Error_StartsWithMlflowsMessage_ThenSaysWhere() =>
        Assert.Equal("Invalid comparator '>' not one of '{'=', '!=', 'ILIKE', 'LIKE'}' for parameter 'lr' (at offset 10: '>' of the filter \"params.lr > '0.01'\")",
            Assert.Throws<TrackingException>(() => RunFilter.Parse("params.lr > '0.01'")).Message);

    [Fact]
    public void Filter_IsReusableAcrossSequences()
    {
        var filter = RunFilter.Parse("metrics.m > 0");
        Assert.Equal(2, Runs.Count(filter.Matches));
        Assert.Equal(2, Runs.Reverse().Count(filter.Matches));
        Assert.Same(RunFilter.MatchAll, RunFilter.Parse(null));
        Assert.Equal("metrics.m > 0", filter.Text);
    }

    [Fact]
    public void Ordering_ParamsAsStrings_MissingLast_NaNBeforeMissing()
    {
        var runs = new List<Run>
        {
            MakeRun("r1", "ten", 1, parameters: [("lr", "10")], metrics: [("x", double.NaN)]),
            MakeRun("r2", "nine", 2, parameters: [("lr", "9")], metrics: [("x", 2)]),
            MakeRun("r3", "none", 3, metrics: [("x", double.NegativeInfinity)]),
            MakeRun("r4", "one", 4, parameters: [("lr", "1")]),
        };
        string[] Sorted(params string[] orderBy)
        {
            var copy = runs.ToList();
            RunOrdering.Parse(orderBy).Sort(copy);
            return copy.Select(r => r.Info.RunName).ToArray();
        }
        Assert.Equal(["one", "ten", "nine", "none"], Sorted("params.lr"));
        Assert.Equal(["nine", "ten", "one", "none"], Sorted("params.lr DESC"));
        Assert.Equal(["none", "nine", "ten", "one"], Sorted("metrics.x ASC"));           // -inf, 2, NaN, missing
        Assert.Equal(["nine", "none", "ten", "one"], Sorted("metrics.x DESC"));          // 2, -inf, NaN, missing
        Assert.Equal(["one", "none", "nine", "ten"], Sorted());                          // start_time DESC
        Assert.Equal(["ten", "nine", "none", "one"], Sorted("created"));
        Assert.Equal(["nine", "none", "one", "ten"], Sorted("attr.run_name asc"));
        Assert.Equal(["one", "none", "nine", "ten"], Sorted("status", "user_id DESC"));  // ties fall to the natural order
        Assert.Equal(["nine", "ten", "one", "none"], Sorted("tags.absent", "params.lr DESC", "metrics.x"));
        var comparer = RunOrdering.Parse(["params.lr"]);
        Assert.Equal(["one", "ten", "nine", "none"], runs.Order(comparer).Select(r => r.Info.RunName));
    }

    [Theory]
    [InlineData("metrics.loss DOWN", "Invalid ordering key in order_by clause 'metrics.loss DOWN'.")]
    [InlineData("metrics.loss ASC DESC", "Invalid order_by clause 'metrics.loss ASC DESC'. Could not be parsed")]
    [InlineData("", "Invalid order_by clause ''. Could not be parsed")]
    [InlineData("loss", "Invalid attribute key 'loss' specified")]
    [InlineData("`Run name`", "Invalid attribute key 'Run name' specified")]         // a filter alias only
    [InlineData("lifecycle_stage DESC", "Invalid attribute key 'lifecycle_stage' specified")]
    [InlineData("datasets.name", "Invalid order_by entity type 'dataset'")]
    [InlineData("foo.bar", "Invalid entity type 'foo'")]
    public void InvalidOrderBy_IsInvalidParameterValue(string clause, string message)
    {
        var error = Assert.Throws<TrackingException>(() => RunOrdering.Parse([clause]));
        Assert.Equal(ErrorCode.InvalidParameterValue, error.Code);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Contains("at offset", error.Message, StringComparison.Ordinal);
    }
}
