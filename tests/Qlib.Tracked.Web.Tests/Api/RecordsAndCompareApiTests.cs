using System.Text.Json;
using Qlib.Tracked.Artifacts;
using Qlib.Tracked.Backtest;
using Qlib.Tracked.Frames;
using Qlib.Tracked.Stores;

namespace Qlib.Tracked.Web.Tests;

/// <summary>Record-template series and the compare view, checked against the stored frames and metrics.</summary>
[Collection(QuickStartStoreCollection.Name)]
public sealed class RecordsAndCompareApiTests(QuickStartStore store)
{
    [Fact]
    public async Task Records_IcSeriesAreTheStoredOnes_AndTheReportCurvesAgreeWithPortAnaRecordsMetrics()
    {
        using var factory = new QtrackFactory(store.Root);
        var client = factory.CreateClient();
        var runId = store.QuickStartRunIds[0];
        var files = new FileStore(store.Root);
        var repository = files.GetArtifactRepository(runId);
        var run = files.GetRun(runId);

        var records = await client.GetApiAsync($"/api/runs/{runId}/records");
        Assert.Equal(200, records.Status);
        Assert.Empty(records.Json.GetProperty("problems").EnumerateArray());

        using (var stream = repository.OpenRead("sig_analysis/ic.parquet"))
        {
            var ic = ArtifactSerializers.For<DateSeries>().Deserialize(stream, "ic");
            var json = records.Json.GetProperty("ic");
            Assert.Equal(ic.Datetime.Select(d => d.ToString("yyyy-MM-dd")), json.GetProperty("dates").Strings());
            Assert.Equal(ic.Value, json.GetProperty("values").EnumerateArray().Select(v => v.GetDouble()));
            // SigAnaRecord's logged IC is the mean of this series.
            Assert.Equal(run.Data.Metrics["IC"].Value, json.GetProperty("mean").GetDouble(), 12);
        }
        Assert.Equal(run.Data.Metrics["Rank IC"].Value, records.Json.GetProperty("rank_ic").GetProperty("mean").GetDouble(), 12);

        var report = records.Json.GetProperty("report");
        using var reportStream = repository.OpenRead("portfolio_analysis/report_normal_1day.parquet");
        var frame = ArtifactSerializers.For<BacktestReport>().Deserialize(reportStream, "report");
        var cum = Doubles(report, "cum_excess_return_without_cost");
        var cumCost = Doubles(report, "cum_excess_return_with_cost");
        Assert.Equal(frame.RowCount, cum.Length);
        var ret = frame.Column("return");
        var bench = frame.Column("bench");
        var cost = frame.Column("cost");
        Assert.Equal(Enumerable.Range(0, frame.RowCount).Sum(i => ret[i] - bench[i]), cum[^1], 12);
        Assert.Equal(Enumerable.Range(0, frame.RowCount).Sum(i => ret[i] - bench[i] - cost[i]), cumCost[^1], 12);
        // PortAnaRecord's risk analysis computed max_drawdown on its own; the curve's minimum must agree.
        Assert.Equal(run.Data.Metrics["1day.excess_return_without_cost.max_drawdown"].Value, Doubles(report, "drawdown_without_cost").Min(), 12);
        Assert.Equal(run.Data.Metrics["1day.excess_return_with_cost.max_drawdown"].Value, Doubles(report, "drawdown_with_cost").Min(), 12);
        Assert.All(Doubles(report, "drawdown_with_cost"), d => Assert.True(d <= 0));

        // A run without record artifacts has none of them.
        var plain = await client.GetApiAsync($"/api/runs/{store.HostileRunId}/records");
        Assert.Equal(JsonValueKind.Null, plain.Json.GetProperty("ic").ValueKind);
        Assert.Equal(JsonValueKind.Null, plain.Json.GetProperty("report").ValueKind);
    }

    [Fact]
    public async Task Compare_FlagsTheParamsThatDiffer_AndAlignsMetricHistoriesByStep()
    {
        using var factory = new QtrackFactory(store.Root);
        var client = factory.CreateClient();
        var (a, b) = (store.QuickStartRunIds[0], store.QuickStartRunIds[1]);

        var compare = await client.GetApiAsync($"/api/compare?run_ids={a},{b}");
        Assert.Equal(200, compare.Status);
        Assert.Equal([a, b], compare.Json.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("run_id").GetString()));
        var parameters = compare.Json.GetProperty("params").EnumerateArray().ToDictionary(p => p.GetProperty("key").GetString()!);
        Assert.True(parameters["dataset.seed"].GetProperty("differs").GetBoolean());
        Assert.Equal(["1", "2"], parameters["dataset.seed"].GetProperty("values").Strings());
        Assert.False(parameters["model.class"].GetProperty("differs").GetBoolean());

        var histories = compare.Json.GetProperty("histories").EnumerateArray().ToDictionary(h => h.GetProperty("key").GetString()!);
        Assert.Contains("valid.ic", histories.Keys);
        // Charted: exactly the metrics some run logged at two or more distinct steps.
        var files = new FileStore(store.Root);
        var keys = files.GetRun(a).Data.Metrics.Keys.Union(files.GetRun(b).Data.Metrics.Keys);
        var multiPoint = keys.Where(k => new[] { a, b }.Any(r => files.GetMetricHistory(r, k).Select(m => m.Step).Distinct().Count() > 1)).Order(StringComparer.Ordinal);
        Assert.Equal(multiPoint, histories.Keys.Order(StringComparer.Ordinal));
        Assert.True(histories.Count < keys.Count(), "single-step metrics (IC re-logged at step 0 included) are not charted");
        Assert.DoesNotContain("IC", histories.Keys);
        var series = histories["valid.ic"].GetProperty("series").EnumerateArray().ToList();
        Assert.Equal(2, series.Count);
        foreach (var (runId, points) in new[] { a, b }.Zip(series))
        {
            var expected = files.GetMetricHistory(runId, "valid.ic");
            Assert.Equal(expected.Select(m => m.Step), points.EnumerateArray().Select(p => p.GetProperty("step").GetInt64()));
            Assert.Equal(expected.Select(m => m.Value), points.EnumerateArray().Select(p => p.GetProperty("value").GetDouble()));
        }

        var one = await client.GetApiAsync($"/api/compare?run_ids={a}");
        Assert.Equal(400, one.Status);
        var unknown = await client.GetApiAsync($"/api/compare?run_ids={a},0123456789abcdef0123456789abcdef");
        Assert.Equal(404, unknown.Status);
    }

    private static double[] Doubles(JsonElement parent, string name) =>
        parent.GetProperty(name).EnumerateArray().Select(v => v.GetDouble()).ToArray();
}
