using Qlib.Tracked.Entities;
using Qlib.Tracked.Search;
using Qlib.Tracked.Stores.Search;

namespace Qlib.Tracked.Tests.Search;

/// <summary>
/// Seeded random and mutated filter and order-by strings: parsing (and evaluating what parses) never throws
/// anything but INVALID_PARAMETER_VALUE, and every problem span the analyzers would underline lies inside the text.
/// </summary>
public sealed class FilterFuzzTests
{
    private static readonly string[] ValidFilters =
    [
        "params.lr = '0.01'", "param.lr != \"0.01\"", "metrics.loss < 0.5", "metric.ic >= 0.02 AND params.model_class LIKE '%GB%'",
        "params.model_class ILIKE 'lgb%'", "tags.`mlflow.runName` = 'alpha-lgb'", "tags.\"mlflow.runName\" = 'a'", "tags.mlflow.runName = 'a'",
        "`Run name` = 'alpha-lgb'", "status != 'FINISHED'", "attributes.run_id IN ('abc','def')", "run_id NOT IN ('abc')",
        "created >= 1700000000500", "attributes.end_time > 0", "metrics.inf_metric > 1e300", "params.empty = ''",
        "params.`train/window` = '20'", "datasets.name = 'train_ds' and datasets.context IN ('training')", "metrics.x <= -.5E-3",
    ];

    private static readonly string[] Pieces =
    [
        "metrics.", "params.", "tags.", "attributes.", "datasets.", "run.", "loss", "lr", "run_id", "start_time", "status", "name", "`", "\"", "'",
        " ", " AND ", " and ", " OR ", " NOT ", " IN ", " LIKE ", " ILIKE ", "=", "!=", "<", "<=", ">", ">=", "==", "<>", "!", "(", ")", ",", ".",
        "0.5", "-1", "1e300", "1e", ".", "+", "-", "''", "\\", "%", "_", "\n", "\t", "é", "🎉", "\0", "#", ";", "created", "`Run name`", "ASC", "DESC",
    ];

    private static readonly Run[] Runs =
    [
        new(new RunInfo("abc", "1", "a", "u", RunStatus.Finished, 1, 2, "file:///x", LifecycleStage.Active),
            new RunData(new Dictionary<string, Metric> { ["loss"] = new("loss", double.NaN, 0, 0) },
                new Dictionary<string, string> { ["lr"] = "0.01" }, new Dictionary<string, string> { ["mlflow.runName"] = "a" }),
            [new DatasetInput(new Dataset("train_ds", "d", "local", "{}", null, null), new Dictionary<string, string> { ["mlflow.data.context"] = "training" })]),
        new(new RunInfo("def", "1", "b", "u", RunStatus.Running, 3, null, "file:///y", LifecycleStage.Active), RunData.Empty, []),
    ];

    private static readonly ExperimentInfo[] Experiments =
    [
        new("1", "e", "file:///e", LifecycleStage.Active, 1, 2, new Dictionary<string, string> { ["t"] = "v" }),
        new("2", "f", "file:///f", LifecycleStage.Active, null, null, new Dictionary<string, string>()),
    ];

    [Fact]
    public void RandomAndMutatedText_OnlyEverThrowsInvalidParameterValue()
    {
        var random = new Random(20261126);
        var parsedCount = 0;
        for (var n = 0; n < 6000; n++)
        {
            var text = n % 3 == 0 ? RandomText(random) : Mutate(ValidFilters[random.Next(ValidFilters.Length)], random);
            if (Exercise(text)) parsedCount++;
        }
        // The mutations keep a good share valid, so evaluation is exercised too, not only error paths.
        Assert.InRange(parsedCount, 300, 5700);
    }

    [Fact]
    public void ValidFilters_AllParse()
    {
        foreach (var filter in ValidFilters) Assert.True(Exercise(filter), filter);
    }

    /// <summary>True when <paramref name="text"/> parsed as a run filter.</summary>
    private static bool Exercise(string text)
    {
        AssertSpansInside(SearchFilterParser.ParseFilter(text), text);
        AssertSpansInside(SearchFilterParser.ParseOrderBy(text), text);
        AssertSpansInside(SearchFilterParser.ParseFilter(text, SearchTarget.Experiments), text);
        var parsed = Guard(() =>
        {
            var filter = RunFilter.Parse(text);
            foreach (var run in Runs) filter.Matches(run);
        });
        Guard(() => RunOrdering.Parse([text]).Sort([.. Runs]));
        Guard(() => ExperimentSearch.Apply(Experiments, text, 10, null, null));
        Guard(() => ExperimentSearch.Apply(Experiments, null, 10, [text], null));
        Guard(() => SearchPageToken.Decode(text));
        return parsed;
    }

    private static bool Guard(Action action)
    {
        try
        {
            action();
            return true;
        }
        catch (TrackingException e) when (e.Code == ErrorCode.InvalidParameterValue)
        {
            Assert.False(string.IsNullOrWhiteSpace(e.Message));
            return false;
        }
        catch (Exception e)
        {
            Assert.Fail($"{e.GetType().Name} escaped: {e.Message}");
            return false;
        }
    }

    private static void AssertSpansInside(SearchParseResult result, string text)
    {
        foreach (var p in result.Problems)
            Assert.True(p.Start >= 0 && p.Length >= 0 && p.Start + p.Length <= text.Length, $"span {p.Start}+{p.Length} outside '{text}'");
        foreach (var k in result.Keys)
            Assert.True(k.Start >= 0 && k.Start + k.Length <= text.Length, $"key span {k.Start}+{k.Length} outside '{text}'");
    }

    private static string RandomText(Random random)
    {
        var parts = new System.Text.StringBuilder();
        var count = random.Next(1, 12);
        for (var i = 0; i < count; i++)
        {
            if (random.Next(5) == 0) parts.Append((char)random.Next(1, 0x2FF));
            else parts.Append(Pieces[random.Next(Pieces.Length)]);
        }
        return parts.ToString();
    }

    private static string Mutate(string text, Random random)
    {
        var s = new System.Text.StringBuilder(text);
        var edits = random.Next(1, 4);
        for (var e = 0; e < edits; e++)
        {
            var at = random.Next(s.Length + 1);
            switch (random.Next(4))
            {
                case 0 when s.Length > 0 && at < s.Length: s.Remove(at, 1); break;
                case 1: s.Insert(at, Pieces[random.Next(Pieces.Length)]); break;
                case 2 when s.Length > 0 && at < s.Length: s[at] = (char)random.Next(32, 127); break;
                default:
                    if (random.Next(8) == 0) return s.ToString();   // leave it valid sometimes
                    s.Insert(at, (char)random.Next(32, 127));
                    break;
            }
        }
        return s.ToString();
    }
}
