using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores.Search;

namespace Qlib.Tracked.Tests.Search;

/// <summary>
/// The bounded selection a search uses when the page ends well before the last match must give exactly the
/// runs, in exactly the order, that sorting everything gives — ties included (few distinct values, equal start
/// times, even equal run ids, where only the input order decides).
/// </summary>
public sealed class PartialSortTests
{
    private static readonly string[] Orders = ["metrics.m DESC", "metrics.m", "params.p", "tags.t DESC", "attributes.start_time", "attributes.run_name DESC"];

    private static List<Run> RandomRuns(Random rng, int count)
    {
        var runs = new List<Run>(count);
        for (var i = 0; i < count; i++)
        {
            var id = "r" + rng.Next(count / 2 + 1).ToString("000", System.Globalization.CultureInfo.InvariantCulture); // duplicate ids on purpose
            var metrics = new Dictionary<string, Metric>();
            if (rng.Next(5) != 0) metrics["m"] = new Metric("m", rng.Next(6) switch { 0 => double.NaN, 1 => double.NegativeInfinity, _ => rng.Next(4) }, 0, 0);
            var parameters = new Dictionary<string, string>();
            if (rng.Next(4) != 0) parameters["p"] = rng.Next(3).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var tags = new Dictionary<string, string>();
            if (rng.Next(3) != 0) tags["t"] = rng.Next(2) == 0 ? "a" : "b";
            runs.Add(new Run(
                new RunInfo(id, "1", "n" + rng.Next(3), "u", RunStatus.Finished, rng.Next(4), null, "file:///a", LifecycleStage.Active),
                new RunData(metrics, parameters, tags), []));
        }
        return runs;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void The_top_of_a_partial_sort_is_the_top_of_the_full_sort(int seed)
    {
        var rng = new Random(seed);
        for (var round = 0; round < 200; round++)
        {
            var runs = RandomRuns(rng, rng.Next(0, 300));
            var orderBy = Enumerable.Range(0, rng.Next(3)).Select(_ => Orders[rng.Next(Orders.Length)]).ToArray();
            var ordering = RunOrdering.Parse(orderBy);
            var full = runs.ToList();
            ordering.Sort(full);
            var top = rng.Next(0, runs.Count + 2);
            var partial = runs.ToList();
            ordering.SortTop(partial, top);

            var shown = Math.Min(top, runs.Count);
            Assert.True(full.Take(shown).SequenceEqual(partial.Take(shown), ReferenceEqualityComparer.Instance),
                $"seed {seed} round {round}: order [{string.Join(", ", orderBy)}], top {top} of {runs.Count}");
            Assert.True(partial.Count == runs.Count && new HashSet<Run>(runs, ReferenceEqualityComparer.Instance).SetEquals(partial),
                "the partial sort lost or duplicated a run");
        }
    }

    [Fact]
    public void Every_page_of_a_search_is_the_slice_of_the_fully_sorted_matches()
    {
        var rng = new Random(42);
        var runs = RandomRuns(rng, 2000);
        var query = RunSearch.Prepare("metrics.m >= 0", ["metrics.m DESC", "params.p"], 37, null);
        var expected = runs.Where(query.Filter.Matches).ToList();
        query.Ordering.Sort(expected);
        var seen = new List<Run>();
        string? token = null;
        do
        {
            var page = RunSearch.Apply(runs, RunSearch.Prepare("metrics.m >= 0", ["metrics.m DESC", "params.p"], 37, token));
            seen.AddRange(page.Items);
            token = page.NextPageToken;
        }
        while (token is not null);
        Assert.True(expected.Count > 37 * 10, "the query should span many pages");
        Assert.True(expected.SequenceEqual(seen, ReferenceEqualityComparer.Instance));
    }
}
