using Microsoft.AspNetCore.Builder;
using Microsoft.Playwright;

namespace Qlib.Tracked.Web.Tests;

/// <summary>
/// The UI started the way <c>qtrack ui</c> starts it (<see cref="QtrackWeb.CreateApp"/> on 127.0.0.1, port 0,
/// real Kestrel) and Debian's Chromium driven headless by Playwright's bundled Node driver (no browser
/// download). Without /usr/bin/chromium the browser tests are skipped, except under CI, where that fails.
/// </summary>
public sealed class BrowserSession : IAsyncDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private BrowserSession(WebApplication app, IPlaywright playwright, IBrowser browser, IBrowserContext context, IPage page, string baseUrl)
        => (App, Playwright, Browser, Context, Page, BaseUrl) = (app, playwright, browser, context, page, baseUrl);

    public WebApplication App { get; }
    public IPlaywright Playwright { get; }
    public IBrowser Browser { get; }
    public IBrowserContext Context { get; }
    public IPage Page { get; }
    public string BaseUrl { get; }

    /// <summary>Where screenshots are kept (the test's output folder), one file per page visited.</summary>
    public static string ScreenshotFolder { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public static void SkipUnlessChromium()
    {
        if (File.Exists(ChromiumPath)) return;
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            Assert.Fail($"{ChromiumPath} is missing under CI; .ci/run installs Debian's chromium package before the tests.");
        Skip.If(true, $"{ChromiumPath} is not installed (apt-get install -y chromium); the browser tests need Debian's Chromium.");
    }

    public static async Task<BrowserSession> StartAsync(string storePath, bool allowWrites = false)
    {
        var app = QtrackWeb.CreateApp(new WebOptions { StorePath = storePath, Port = 0, AllowWrites = allowWrites });
        await app.StartAsync();
        var baseUrl = QtrackWeb.GetListeningUrls(app).Single();
        Assert.StartsWith("http://127.0.0.1:", baseUrl);
        var playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            AcceptDownloads = true,
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        // Generous waits: CI shares two cores with the rest of the test run; nothing here is a timing assertion.
        context.SetDefaultTimeout(30_000);
        Assertions.SetDefaultExpectTimeout(30_000);
        var page = await context.NewPageAsync();
        Directory.CreateDirectory(ScreenshotFolder);
        return new BrowserSession(app, playwright, browser, context, page, baseUrl);
    }

    /// <summary>Opens <paramref name="hash"/> (e.g. <c>#/runs?exp=1</c>) and waits until the page has rendered.</summary>
    public async Task OpenAsync(string hash)
    {
        await Page.GotoAsync(BaseUrl + "/" + hash);
        await WaitRenderedAsync();
    }

    /// <summary>The router marks <c>main</c> with data-ready = the hash once that page has finished rendering.</summary>
    public async Task WaitRenderedAsync()
    {
        await Page.WaitForFunctionAsync("() => document.getElementById('page').getAttribute('data-ready') === (location.hash || '#/')");
    }

    public async Task<string> ScreenshotAsync(string name)
    {
        var path = Path.Combine(ScreenshotFolder, name + ".png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        Assert.True(new FileInfo(path).Length > 5_000, $"screenshot {name} is not empty");
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await Context.CloseAsync();
        await Browser.CloseAsync();
        Playwright.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
