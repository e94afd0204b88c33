using System.Globalization;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores;
using Qlib.Tracked.Stores.Search;
using Qlib.Tracked.Stores.Sql;
using Qlib.Tracked.Tests.Stores.Contract;

namespace Qlib.Tracked.Tests.Stores.Sql;

/// <summary>
/// The SQL store narrows a search's candidates in the database (<see cref="SqlRunPrefilter"/>) before evaluating the
/// filter: over randomized filters and orders on one set of runs (NaN, ±inf, missing keys, look-alike values, a deleted
/// run), every page it returns must be the page the in-memory evaluator computes from all the runs under MLflow's
/// SQL-store rules. Runs on a real SQLite file and a real PostgreSQL server.
/// </summary>
public abstract class SqlSearchPrefilterTests : IDisposable
{
    private const long T0 = 1_700_000_000_000;
    private static readonly double[] MetricValues = [0, 1, -1, 0.5, 2.5, double.NaN, double.PositiveInfinity, double.NegativeInfinity, 1e300];
    private static readonly string[] TextValues = ["a", "A", "ab", "a%b", "a_b", "b", "", "Ab", "x y", "é"];
    private static readonly string[] NumberLiterals = ["0", "1", "-1", "0.5", "2.5", "1e300", "-1e309", "1e309", "3"];
    private static readonly string[] Comparators = ["=", "!=", "<", "<=", ">", ">="];
    private static readonly string[] TextComparators = ["=", "!=", "LIKE", "ILIKE"];
    private static readonly string[] Patterns = ["a", "A", "a%", "%b", "a_b", "%", "_", "", "x%", "é"];

    protected readonly TempDirectory Temp = new();
    private SqlStore? _store;

    protected abstract SqlStore OpenStore();

    public void Dispose()
    {
        _store?.Dispose();
        Temp.Dispose();
        GC.SuppressFinalize(this);
    }

    private SqlStore Store => _store ??= OpenStore();

    /// <summary>60 runs: each key present or missing at random, values from small pools so comparisons hit and miss.</summary>
    private string Fill(Random random)
    {
        var experimentId = Store.CreateExperiment("prefilter");
        for (var i = 0; i < 60; i++)
        {
            var runId = Store.CreateRun(experimentId, "u", T0 + random.Next(0, 20), null, "r" + i.ToString(CultureInfo.InvariantCulture)).Info.RunId;
            var metrics = new List<Metric>();
            foreach (var key in new[] { "m1", "m2" })
            {
                if (random.Next(4) == 0) continue;
                metrics.Add(new Metric(key, MetricValues[random.Next(MetricValues.Length)], T0, random.Next(3)));
            }
            var parameters = new List<Param>();
            foreach (var key in new[] { "p1", "p2" })
            {
                if (random.Next(4) != 0) parameters.Add(new Param(key, TextValues[random.Next(TextValues.Length)]));
            }
            var tags = new List<RunTag>();
            if (random.Next(4) != 0) tags.Add(new RunTag("t1", TextValues[random.Next(TextValues.Length)]));
            Store.LogBatch(runId, metrics, parameters, tags);
            if (i % 3 == 0) Store.UpdateRunInfo(runId, RunStatus.Finished, T0 + 100, null);
            if (i == 7) Store.DeleteRun(runId);
        }
        return experimentId;
    }

    private static string Quote(string value) => "'" + value + "'";

    private static string RandomComparison(Random random) => random.Next(7) switch
    {
        0 or 1 => $"metrics.m{random.Next(1, 3)} {Comparators[random.Next(Comparators.Length)]} {NumberLiterals[random.Next(NumberLiterals.Length)]}",
        2 or 3 => $"params.p{random.Next(1, 3)} {Pick(random, TextComparators)} {Quote(random.Next(2) == 0 ? Pick(random, TextValues) : Pick(random, Patterns))}",
        4 => $"tags.t1 {Pick(random, TextComparators)} {Quote(random.Next(2) == 0 ? Pick(random, TextValues) : Pick(random, Patterns))}",
        5 => $"attributes.start_time {Comparators[random.Next(Comparators.Length)]} {T0 + random.Next(0, 20)}",
        _ => random.Next(2) == 0 ? "attributes.status = 'FINISHED'" : $"attributes.run_name LIKE 'r{random.Next(1, 6)}%'",
    };

    private static string Pick(Random random, string[] from) => from[random.Next(from.Length)];

    private static readonly string[] OrderFields =
        ["metrics.m1", "metrics.m2", "params.p1", "params.p2", "tags.t1", "attributes.start_time", "attributes.run_name"];

    private static readonly string[] Directions = ["", " ASC", " DESC"];

    /// <summary>Up to two distinct fields (the SQL store refuses one field twice), each with a random direction.</summary>
    private static List<string> RandomOrder(Random random) =>
        OrderFields.OrderBy(_ => random.Next()).Take(random.Next(0, 3)).Select(field => field + Pick(random, Directions)).ToList();

    /// <summary>The page the in-memory evaluator gives over every run of the view (MLflow's SQL-store rules).</summary>
    private static PagedList<Run> Expected(List<Run> all, string filter, List<string> order, int maxResults, string? token)
    {
        var query = RunSearch.Prepare(filter, order, maxResults, token);
        var matches = all.Where(run => SqlSearchRules.Matches(query.Filter, run)).ToList();
        query.Ordering.SortTop(matches, query.Offset + query.MaxResults);
        return RunSearch.Page(matches, query.Offset, query.MaxResults);
    }

    [SkippableFact]
    public void RandomFiltersAndOrders_GiveTheInMemoryEvaluatorsPages()
    {
        var random = new Random(20261207);
        var experimentId = Fill(random);
        var all = Store.SearchRuns([experimentId], null, ViewType.ActiveOnly, RunSearch.MaxResultsLimit, null, null).Items.ToList();
        Assert.Equal(59, all.Count); // one of the 60 is deleted
        var narrowed = 0;
        for (var round = 0; round < 150; round++)
        {
            var filter = string.Join(" AND ", Enumerable.Range(0, random.Next(1, 4)).Select(_ => RandomComparison(random)));
            var order = RandomOrder(random);
            if (SqlRunPrefilter.For(RunFilter.Parse(filter)).Condition is not null) narrowed++;
            string? token = null;
            for (var page = 0; page < 3; page++)
            {
                var expected = Expected(all, filter, order, 7, token);
                var actual = Store.SearchRuns([experimentId], filter, ViewType.ActiveOnly, 7, order, token);
                Assert.True(expected.Items.Select(r => r.Info.RunId).SequenceEqual(actual.Items.Select(r => r.Info.RunId)),
                    $"filter \"{filter}\", order [{string.Join(", ", order)}], page {page}: expected [{string.Join(", ", expected.Items.Select(r => r.Info.RunName))}] " +
                    $"but the store answered [{string.Join(", ", actual.Items.Select(r => r.Info.RunName))}]");
                Assert.Equal(expected.NextPageToken, actual.NextPageToken);
                // The page's runs come back whole, not just with the keys the filter named.
                foreach (var run in actual.Items)
                    Assert.Equal(all.Single(r => r.Info.RunId == run.Info.RunId).Data.Params.Count, run.Data.Params.Count);
                token = actual.NextPageToken;
                if (token is null) break;
            }
        }
        Assert.True(narrowed > 75, $"only {narrowed} of 150 filters were narrowed in SQL"); // the database did real work
    }

    [SkippableFact]
    public void AParamEqualityIsAnsweredByTheDatabase_AndTheFilterTextNeverReachesSql()
    {
        var prefilter = SqlRunPrefilter.For(RunFilter.Parse("params.group = 'g''; DROP TABLE runs; --' AND metrics.ic > 0.5 AND attributes.status = 'RUNNING'"));
        Assert.NotNull(prefilter.Condition);
        Assert.DoesNotContain("DROP", prefilter.Condition, StringComparison.Ordinal);
        Assert.DoesNotContain("group", prefilter.Condition, StringComparison.Ordinal);
        Assert.DoesNotContain("0.5", prefilter.Condition, StringComparison.Ordinal);

        var experimentId = Store.CreateExperiment("injection");
        var runId = Store.CreateRun(experimentId, "u", T0, null, "r").Info.RunId;
        Store.LogBatch(runId, [new Metric("ic", 0.9, T0, 0)], [new Param("group", "g''; DROP TABLE runs; --")], []);
        var found = Store.SearchRuns([experimentId], "params.group = 'g''; DROP TABLE runs; --' AND metrics.ic > 0.5", ViewType.ActiveOnly, 10, null, null);
        Assert.Equal(runId, Assert.Single(found.Items).Info.RunId);
        Assert.Single(Store.SearchRuns([experimentId], null, ViewType.ActiveOnly, 10, null, null).Items);
    }
}

public sealed class SqliteSearchPrefilterTests : SqlSearchPrefilterTests
{
    protected override SqlStore OpenStore() =>
        new("sqlite:///" + Temp.Combine("mlflow.db"), new TrackingStoreOptions { DefaultArtifactRoot = Temp.Combine("artifacts") });
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresSearchPrefilterTests(PostgresCluster cluster) : SqlSearchPrefilterTests
{
    protected override SqlStore OpenStore()
    {
        Skip.If(cluster.Unavailable is not null, cluster.Unavailable);
        return new SqlStore(cluster.CreateSchema(GetType()), new TrackingStoreOptions { DefaultArtifactRoot = Temp.Combine("artifacts") });
    }
}
