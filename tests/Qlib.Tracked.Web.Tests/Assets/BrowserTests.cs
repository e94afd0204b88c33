using System.Diagnostics;
using Microsoft.Playwright;
using Qlib.Tracked.Stores;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Qlib.Tracked.Web.Tests;

/// <summary>
/// What a person does in the UI, in Chromium, on a QuickStart store: experiments → filtered runs → a run with
/// its charts → compare two runs → download an artifact; and markup in a run shown as text. A screenshot of
/// each page is kept in the test output's <c>screenshots/</c> folder.
/// </summary>
[Collection(QuickStartStoreCollection.Name)]
public sealed class BrowserTests(QuickStartStore store, ITestOutputHelper output)
{
    [SkippableFact]
    public async Task Scenario_ExperimentsFilterRunChartCompareAndDownload()
    {
        BrowserSession.SkipUnlessChromium();
        var clock = Stopwatch.StartNew();
        await using var session = await BrowserSession.StartAsync(store.Root);
        var page = session.Page;

        // 1. Experiments list.
        await session.OpenAsync("#/");
        var quickstart = page.Locator("#experiments a.experiment-link", new() { HasText = "quickstart" });
        await Expect(quickstart).ToBeVisibleAsync();
        await Expect(page.Locator($"#experiments tr[data-experiment-id='{store.QuickStartExperimentId}'] td").Nth(2)).ToHaveTextAsync("2");
        await session.ScreenshotAsync("1-experiments");

        // 2. Runs of the experiment, filtered with MLflow's grammar; a bad filter shows the store's message inline.
        await quickstart.ClickAsync();
        await session.WaitRenderedAsync();
        await Expect(page.Locator("#runs tbody tr[data-run-id]")).ToHaveCountAsync(2);
        await page.Locator("#filter").FillAsync("metrics.IC >");
        await page.Locator("#apply-filter").ClickAsync();
        await session.WaitRenderedAsync();
        await Expect(page.Locator("#filter-error .error")).ToContainTextAsync("INVALID_PARAMETER_VALUE");
        await page.Locator("#filter").FillAsync("params.dataset.seed = '2'");
        await page.Locator("#apply-filter").ClickAsync();
        await session.WaitRenderedAsync();
        await Expect(page.Locator("#runs tbody tr[data-run-id]")).ToHaveCountAsync(1);
        await Expect(page.Locator($"#runs tbody tr[data-run-id='{store.QuickStartRunIds[1]}']")).ToHaveCountAsync(1);
        await Expect(page.Locator("#filter-error .error")).ToHaveCountAsync(0);
        await session.ScreenshotAsync("2-runs-filtered");

        // 3. The run page: a metric history chart with real content (valid.ic has one point per candidate penalty).
        await page.Locator("#runs a.run-link").First.ClickAsync();
        await session.WaitRenderedAsync();
        await Expect(page.Locator("h1")).ToContainTextAsync("Run");
        var line = page.Locator("#metric-charts path.series-line[data-name]").First;
        await Expect(line).ToBeVisibleAsync();
        var validIc = page.Locator("#metric-charts figure[data-chart='valid.ic']").Locator("path.series-line");
        var expectedPoints = new FileStore(store.Root).GetMetricHistory(store.QuickStartRunIds[1], "valid.ic").Count;
        Assert.Equal(expectedPoints.ToString(), await validIc.GetAttributeAsync("data-points"));
        var d = await validIc.GetAttributeAsync("d") ?? "";
        Assert.Equal(expectedPoints - 1, d.Count(c => c == 'L'));
        var xTicks = await page.Locator("#metric-charts figure[data-chart='valid.ic'] text.x-tick").AllTextContentsAsync();
        Assert.True(xTicks.Count >= 2, "the x axis has tick labels");
        Assert.All(xTicks, t => Assert.True(int.TryParse(t, out _), $"step tick '{t}' is a whole step"));
        Assert.True(await page.Locator("#metric-charts figure[data-chart='valid.ic'] text.y-tick").CountAsync() >= 2, "the y axis has tick labels");
        // Record-template charts: IC / Rank IC and the cumulative excess return with and without cost.
        var cumulative = page.Locator("#records figure[data-chart='Cumulative excess return']");
        await Expect(cumulative.Locator("path.series-line")).ToHaveCountAsync(2);
        await Expect(cumulative.Locator("text.legend-label")).ToHaveTextAsync(["without cost", "with cost"]);
        await Expect(page.Locator("#records figure[data-chart='Drawdown of the cumulative excess return'] path.series-line")).ToHaveCountAsync(2);
        await Expect(page.Locator("#records figure[data-chart='IC / Rank IC by day']").Locator("path.series-line")).ToHaveCountAsync(2);
        await session.ScreenshotAsync("3-run");

        // 4. Download an artifact from the run's tree: the bytes are the stored file's.
        var download = await page.RunAndWaitForDownloadAsync(() =>
            page.Locator("#artifact-tree li.file[data-path='pred.parquet'] a.download").ClickAsync());
        Assert.Equal("pred.parquet", download.SuggestedFilename);
        using var downloads = new TempDirectory("downloads");
        var saved = downloads.Combine("pred.parquet");
        await download.SaveAsAsync(saved);
        var stored = new FileStore(store.Root).GetArtifactRepository(store.QuickStartRunIds[1]).GetLocalPath("pred.parquet")!;
        Assert.Equal(await File.ReadAllBytesAsync(stored), await File.ReadAllBytesAsync(saved));
        // And a Parquet preview as a table.
        await page.Locator("#artifact-tree li.file[data-path='pred.parquet'] button.preview").ClickAsync();
        await Expect(page.Locator("#artifact-preview table.preview-table th")).ToHaveTextAsync(["datetime", "instrument", "score"]);

        // 5. Compare the two runs: pick both in the runs table.
        await session.OpenAsync($"#/runs?exp={store.QuickStartExperimentId}");
        foreach (var box in await page.Locator("#runs input.select-run").AllAsync()) await box.CheckAsync();
        await page.Locator("#compare-selected").ClickAsync();
        await session.WaitRenderedAsync();
        await Expect(page.Locator("#param-diff tr.differs", new() { HasText = "dataset.seed" })).ToHaveCountAsync(1);
        var compareChart = page.Locator("#compare-charts figure[data-chart='valid.ic']");
        await Expect(compareChart.Locator("path.series-line")).ToHaveCountAsync(2);
        await Expect(compareChart.Locator("text.legend-label")).ToHaveCountAsync(2);
        foreach (var path in await compareChart.Locator("path.series-line").AllAsync())
            Assert.Equal(expectedPoints.ToString(), await path.GetAttributeAsync("data-points"));
        await session.ScreenshotAsync("4-compare");

        output.WriteLine($"browser scenario took {clock.Elapsed.TotalSeconds:F1} s; screenshots in {BrowserSession.ScreenshotFolder}");
    }

    [SkippableFact]
    public async Task Markup_InRunNamesTagsAndParams_IsShownAsText_AndNeverRuns()
    {
        BrowserSession.SkipUnlessChromium();
        await using var session = await BrowserSession.StartAsync(store.Root);
        var page = session.Page;

        await session.OpenAsync("#/run/" + store.HostileRunId);
        await Expect(page.Locator("h1 .run-name")).ToHaveTextAsync(QuickStartStore.MarkupRunName);
        await Expect(page.Locator("table.tags td", new() { HasText = "window.__qtrackXss" })).ToHaveTextAsync(QuickStartStore.ScriptTag);
        await Expect(page.Locator("table.params td", new() { HasText = "onload" })).ToHaveTextAsync(QuickStartStore.MarkupParam);
        Assert.Equal(0, await page.Locator("main script, main img, main table.tags b, main table.params svg").CountAsync());
        Assert.True(await page.EvaluateAsync<bool>("() => window.__qtrackXss === undefined"));

        await session.OpenAsync("#/");
        await Expect(page.Locator("#experiments a.experiment-link", new() { HasText = "hostile" })).ToHaveTextAsync("hostile <b>experiment</b>");
        await session.ScreenshotAsync("5-markup-as-text");

        await session.OpenAsync("#/run/" + store.HostileRunId);
        await page.Locator("#artifact-tree li.file[data-path='notes.txt'] button.preview").ClickAsync();
        await Expect(page.Locator("#artifact-preview pre")).ToHaveTextAsync("line one\n<b>line two</b>\n");
        Assert.True(await page.EvaluateAsync<bool>("() => window.__qtrackXss === undefined"));
        await session.ScreenshotAsync("6-text-preview");
    }

    [SkippableFact]
    public async Task WithAllowWrites_TheRunPageDeletesAndRestores_ThroughTheOriginCheck()
    {
        BrowserSession.SkipUnlessChromium();
        using var temp = new TempDirectory();
        var root = store.CopyTo(temp);
        var runId = store.QuickStartRunIds[0];
        await using var session = await BrowserSession.StartAsync(root, allowWrites: true);
        var page = session.Page;

        // Chromium sends Origin on these POSTs; the UI's own origin passes the cross-origin write check.
        await session.OpenAsync("#/run/" + runId);
        await page.Locator("#delete-run").ClickAsync();
        await session.WaitRenderedAsync();
        await Expect(page.Locator("#restore-run")).ToBeVisibleAsync();
        Assert.Equal(Entities.LifecycleStage.Deleted, new FileStore(root).GetRun(runId).Info.LifecycleStage);

        await page.Locator("#restore-run").ClickAsync();
        await session.WaitRenderedAsync();
        await Expect(page.Locator("#delete-run")).ToBeVisibleAsync();
        Assert.Equal(Entities.LifecycleStage.Active, new FileStore(root).GetRun(runId).Info.LifecycleStage);
    }
}
