using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores;

namespace Qlib.Tracked.Web.Tests;

/// <summary>Experiments and runs through the JSON API, on the MLflow-written store and on a QuickStart store.</summary>
[Collection(QuickStartStoreCollection.Name)]
public sealed class RunsApiTests(QuickStartStore quickStart) : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Experiments_OnTheMlflowFixture_ListActiveOnesWithRunCountsInMlflowOrder()
    {
        var root = _temp.CopyMlflowFixture();
        using var factory = new QtrackFactory(root);
        var client = factory.CreateClient();

        var answer = await client.GetApiAsync("/api/experiments");
        Assert.Equal(200, answer.Status);
        var experiments = answer.Json.GetProperty("experiments").EnumerateArray().ToList();
        var expected = ExpectedStore().GetProperty("experiments").EnumerateArray()
            .Where(e => e.GetProperty("lifecycle_stage").GetString() == "active").ToList();
        Assert.Equal(expected.Select(e => e.GetProperty("name").GetString()).Order(), experiments.Select(e => e.GetProperty("name").GetString()).Order());
        foreach (var experiment in experiments)
        {
            var reference = expected.Single(e => e.GetProperty("experiment_id").GetString() == experiment.GetProperty("experiment_id").GetString());
            var runs = reference.GetProperty("runs").EnumerateArray().ToList();
            Assert.Equal(runs.Count(r => r.GetProperty("lifecycle_stage").GetString() == "active"), experiment.GetProperty("active_runs").GetInt32());
            Assert.Equal(runs.Count(r => r.GetProperty("lifecycle_stage").GetString() == "deleted"), experiment.GetProperty("deleted_runs").GetInt32());
            // MLflow recorded another machine's path; the UI shows where it is served from instead.
            Assert.Equal("./" + experiment.GetProperty("experiment_id").GetString(), experiment.GetProperty("artifact_location").GetString());
        }

        var deleted = await client.GetApiAsync("/api/experiments?view=deleted");
        Assert.Equal(["qlib_ref_deleted"], deleted.Json.GetProperty("experiments").EnumerateArray().Select(e => e.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task Runs_PagedWithTokens_VisitEveryRunOnceInTheOrderOfOneBigPage()
    {
        var root = _temp.CopyMlflowFixture();
        using var factory = new QtrackFactory(root);
        var client = factory.CreateClient();
        const string order = "order_by=attributes.start_time%20ASC";

        var all = await client.GetApiAsync($"/api/runs?view=all&max_results=1000&{order}");
        var expectedIds = RunIds(all.Json);
        Assert.True(expectedIds.Count >= 8, "the fixture has runs in several experiments");
        Assert.True(all.Json.GetProperty("next_page_token").ValueKind == JsonValueKind.Null);

        var paged = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var url = $"/api/runs?view=all&max_results=3&{order}" + (token is null ? "" : "&page_token=" + Uri.EscapeDataString(token));
            var page = await client.GetApiAsync(url);
            Assert.Equal(200, page.Status);
            Assert.True(RunIds(page.Json).Count <= 3);
            paged.AddRange(RunIds(page.Json));
            token = page.Json.GetProperty("next_page_token").GetString();
            pages++;
        } while (token is not null);
        Assert.Equal(expectedIds, paged);
        Assert.Equal((expectedIds.Count + 2) / 3, pages);
    }

    [Fact]
    public async Task Runs_FilterAndOrderBy_ArePassedToTheStore_AndMatchWhatMlflowAnswered()
    {
        var root = _temp.CopyMlflowFixture();
        using var factory = new QtrackFactory(root);
        var client = factory.CreateClient();
        var store = new FileStore(root);
        var active = store.SearchExperiments().Select(e => e.ExperimentId).ToList();
        var names = store.SearchExperiments(ViewType.All).ToDictionary(e => e.ExperimentId, e => e.Name);

        foreach (var search in ExpectedStore().GetProperty("searches").EnumerateArray())
        {
            var filter = search.GetProperty("filter").GetString()!;
            var orderBy = search.GetProperty("order_by").Strings().ToList();
            var url = "/api/runs?max_results=1000&filter=" + Uri.EscapeDataString(filter)
                + string.Concat(orderBy.Select(o => "&order_by=" + Uri.EscapeDataString(o)));
            var answer = await client.GetApiAsync(url);

            // Whatever grammar the store speaks, the API answers exactly what the store answers.
            PagedList<Run>? direct = null;
            TrackingException? refused = null;
            try { direct = store.SearchRuns(active, filter, ViewType.ActiveOnly, 1000, orderBy, null); }
            catch (TrackingException e) { refused = e; }
            if (refused is not null)
            {
                Assert.Equal(400, answer.Status);
                Assert.Equal(refused.MlflowErrorCode, answer.Error);
                Assert.Equal(refused.Message, answer.Message);
                continue;
            }
            Assert.Equal(200, answer.Status);
            Assert.Equal(direct!.Items.Select(r => r.Info.RunId), RunIds(answer.Json));

            // And where MLflow answered, the same runs in the same order.
            if (search.TryGetProperty("result", out var result) && result.ValueKind == JsonValueKind.Array)
            {
                var expected = result.EnumerateArray().Select(pair => pair[0].GetString() + "/" + pair[1].GetString());
                var actual = answer.Json.GetProperty("runs").EnumerateArray()
                    .Select(r => names[r.GetProperty("experiment_id").GetString()!] + "/" + r.GetProperty("run_name").GetString());
                Assert.Equal(expected, actual);
            }
        }
    }

    [Fact]
    public async Task Runs_BadFilter_Is400WithErrorCodeAndTheStoresMessage()
    {
        using var factory = new QtrackFactory(quickStart.Root);
        var client = factory.CreateClient();

        foreach (var bad in new[] { "metrics.IC >", "params.seed = 1", "metrics.IC > 0 OR metrics.IC < 0", "nonsense" })
        {
            var answer = await client.GetApiAsync("/api/runs?filter=" + Uri.EscapeDataString(bad));
            Assert.Equal(400, answer.Status);
            Assert.Equal("INVALID_PARAMETER_VALUE", answer.Error);
            var expected = Assert.Throws<TrackingException>(() => new FileStore(quickStart.Root).SearchRuns(["0"], bad, ViewType.ActiveOnly, 10, null, null));
            Assert.Equal(expected.Message, answer.Message);
        }

        var badView = await client.GetApiAsync("/api/runs?view=sometimes");
        Assert.Equal(400, badView.Status);
        Assert.Contains("'view'", badView.Message);
        var badMax = await client.GetApiAsync("/api/runs?max_results=0");
        Assert.Equal(400, badMax.Status);
        var badColumn = await client.GetApiAsync("/api/runs?columns=weights.x");
        Assert.Equal(400, badColumn.Status);
        Assert.Contains("weights.x", badColumn.Message);
    }

    [Fact]
    public async Task Runs_FilterOnQuickStartParams_FindsTheRunWithThatSeed_AndOrderByMetricSorts()
    {
        using var factory = new QtrackFactory(quickStart.Root);
        var client = factory.CreateClient();

        var seed2 = await client.GetApiAsync($"/api/runs?experiment_ids={quickStart.QuickStartExperimentId}&filter=" + Uri.EscapeDataString("params.dataset.seed = '2'"));
        Assert.Equal([quickStart.QuickStartRunIds[1]], RunIds(seed2.Json));

        foreach (var direction in new[] { "ASC", "DESC" })
        {
            var ordered = await client.GetApiAsync($"/api/runs?experiment_ids={quickStart.QuickStartExperimentId}&order_by=" + Uri.EscapeDataString("metrics.`Rank IC` " + direction));
            var values = ordered.Json.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("metrics").GetProperty("Rank IC").GetDouble()).ToList();
            Assert.Equal(2, values.Count);
            Assert.Equal(direction == "ASC" ? values.Order() : values.OrderDescending(), values);
        }
    }

    [Fact]
    public async Task Runs_ColumnChoice_ReturnsOnlyTheChosenKeys_ButOffersEveryKeyOfThePage()
    {
        using var factory = new QtrackFactory(quickStart.Root);
        var client = factory.CreateClient();

        var answer = await client.GetApiAsync($"/api/runs?experiment_ids={quickStart.QuickStartExperimentId}&columns=metrics.IC,params.dataset.seed&columns=tags.mlflow.user");
        foreach (var run in answer.Json.GetProperty("runs").EnumerateArray())
        {
            Assert.Equal(["IC"], run.GetProperty("metrics").EnumerateObject().Select(p => p.Name));
            Assert.Equal(["dataset.seed"], run.GetProperty("params").EnumerateObject().Select(p => p.Name));
            Assert.Equal(["mlflow.user"], run.GetProperty("tags").EnumerateObject().Select(p => p.Name));
        }
        var available = answer.Json.GetProperty("available_columns");
        Assert.Contains("valid.ic", available.GetProperty("metrics").Strings());
        Assert.Contains("model.class", available.GetProperty("params").Strings());

        var infoOnly = await client.GetApiAsync($"/api/runs?experiment_ids={quickStart.QuickStartExperimentId}&columns=none");
        foreach (var run in infoOnly.Json.GetProperty("runs").EnumerateArray())
            Assert.Empty(run.GetProperty("metrics").EnumerateObject().Concat(run.GetProperty("params").EnumerateObject()).Concat(run.GetProperty("tags").EnumerateObject()));
        Assert.NotEmpty(infoOnly.Json.GetProperty("available_columns").GetProperty("metrics").EnumerateArray());

        var everything = await client.GetApiAsync($"/api/runs?experiment_ids={quickStart.QuickStartExperimentId}");
        var run0 = everything.Json.GetProperty("runs")[0];
        var stored = new FileStore(quickStart.Root).GetRun(run0.GetProperty("run_id").GetString()!);
        Assert.Equal(stored.Data.Metrics.Keys.Order(StringComparer.Ordinal), run0.GetProperty("metrics").EnumerateObject().Select(p => p.Name));
        Assert.Equal(stored.Data.Params.Count, run0.GetProperty("params").EnumerateObject().Count());
    }

    [Fact]
    public async Task RunDetail_AndMetricHistory_AreWhatTheStoreHolds()
    {
        using var factory = new QtrackFactory(quickStart.Root);
        var client = factory.CreateClient();
        var runId = quickStart.QuickStartRunIds[0];
        var stored = new FileStore(quickStart.Root).GetRun(runId);

        var detail = await client.GetApiAsync("/api/runs/" + runId);
        Assert.Equal(200, detail.Status);
        Assert.Equal(runId, detail.Json.GetProperty("info").GetProperty("run_id").GetString());
        Assert.Equal("FINISHED", detail.Json.GetProperty("info").GetProperty("status").GetString());
        Assert.Equal(stored.Data.Params["model.kwargs.alphas"], detail.Json.GetProperty("params").GetProperty("model.kwargs.alphas").GetString());
        var ic = detail.Json.GetProperty("metrics").EnumerateArray().Single(m => m.GetProperty("key").GetString() == "IC");
        Assert.Equal(stored.Data.Metrics["IC"].Value, ic.GetProperty("value").GetDouble());

        var history = await client.GetApiAsync($"/api/runs/{runId}/metric-history?key=valid.ic");
        var points = history.Json.GetProperty("history").EnumerateArray().ToList();
        var expected = new FileStore(quickStart.Root).GetMetricHistory(runId, "valid.ic");
        Assert.Equal(expected.Select(m => m.Step), points.Select(p => p.GetProperty("step").GetInt64()));
        Assert.Equal(expected.Select(m => m.Value), points.Select(p => p.GetProperty("value").GetDouble()));

        // NaN has no JSON literal: it is the string "NaN".
        var nan = await client.GetApiAsync($"/api/runs/{quickStart.HostileRunId}/metric-history?key=nan_metric");
        Assert.Equal("NaN", nan.Json.GetProperty("history")[0].GetProperty("value").GetString());

        var missing = await client.GetApiAsync("/api/runs/0123456789abcdef0123456789abcdef");
        Assert.Equal(404, missing.Status);
        Assert.Equal("RESOURCE_DOES_NOT_EXIST", missing.Error);
        var noKey = await client.GetApiAsync($"/api/runs/{runId}/metric-history");
        Assert.Equal(400, noKey.Status);
    }

    private static List<string> RunIds(JsonElement page) =>
        page.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("run_id").GetString()!).ToList();

    private static JsonElement ExpectedStore() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "mlflow-filestore-reference", "expected_read_store.raw.json"))).RootElement;
}

/// <summary>Starting the UI loads the run index of every active experiment before the first page asks for it.</summary>
public sealed class RunIndexWarmUpTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Start_BuildsEveryActiveExperimentsRunIndex_WithoutARequest()
    {
        var root = _temp.CopyMlflowFixture();
        // Counted by reading the folders (index off: this store writes no index of its own).
        var store = new FileStore(root, new FileStoreOptions { RunIndex = RunIndexMode.Off });
        var active = store.SearchExperiments(ViewType.ActiveOnly).Select(e => e.ExperimentId).ToList();
        var runCounts = active.ToDictionary(id => id, id => store.CountRuns(id, ViewType.All));
        Assert.All(active, id => Assert.False(File.Exists(Path.Combine(root, id, ".qtrk-run-index"))));

        using var factory = new QtrackFactory(root);
        _ = factory.Services; // starts the host, and with it the warm-up
        var context = factory.Services.GetRequiredService<StoreContext>();
        var finished = await Task.WhenAny(context.WarmedUp.Task, Task.Delay(TimeSpan.FromSeconds(60)));
        Assert.Same(context.WarmedUp.Task, finished);

        // Experiments with runs now have a persisted index (an empty experiment has nothing to persist).
        foreach (var id in active) Assert.Equal(runCounts[id] > 0, File.Exists(Path.Combine(root, id, ".qtrk-run-index")));
        Assert.Contains(active, id => File.Exists(Path.Combine(root, id, ".qtrk-run-index")));
    }
}
