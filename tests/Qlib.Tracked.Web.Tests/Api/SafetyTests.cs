using System.Net;
using System.Text.Json;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores;

namespace Qlib.Tracked.Web.Tests;

/// <summary>Read-only by default, writes only when enabled, no server path in any answer, markup escaped.</summary>
[Collection(QuickStartStoreCollection.Name)]
public sealed class SafetyTests(QuickStartStore store) : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task EveryApiAnswer_OverTheWholeStore_NamesNoServerPath()
    {
        using var factory = new QtrackFactory(store.Root);
        var client = factory.CreateClient();
        var bodies = new List<string>();
        async Task<JsonElement> Get(string url)
        {
            var answer = await client.GetApiAsync(url);
            bodies.Add(answer.Body);
            return answer.Json;
        }

        var experiments = await Get("/api/experiments?view=all");
        await Get("/api/info");
        foreach (var experiment in experiments.GetProperty("experiments").EnumerateArray())
        {
            var id = experiment.GetProperty("experiment_id").GetString();
            await Get("/api/experiments/" + id);
            var runs = await Get($"/api/runs?experiment_ids={id}&view=all&max_results=1000");
            foreach (var run in runs.GetProperty("runs").EnumerateArray())
            {
                var runId = run.GetProperty("run_id").GetString()!;
                var detail = await Get("/api/runs/" + runId);
                foreach (var metric in detail.GetProperty("metrics").EnumerateArray())
                    await Get($"/api/runs/{runId}/metric-history?key=" + Uri.EscapeDataString(metric.GetProperty("key").GetString()!));
                await Get($"/api/runs/{runId}/records");
                var folders = new Queue<string?>([null]);
                while (folders.TryDequeue(out var folder))
                {
                    var listing = await Get($"/api/runs/{runId}/artifacts" + (folder is null ? "" : "?path=" + Uri.EscapeDataString(folder)));
                    foreach (var file in listing.GetProperty("files").EnumerateArray())
                    {
                        var path = file.GetProperty("path").GetString()!;
                        if (file.GetProperty("is_dir").GetBoolean()) folders.Enqueue(path);
                        else await Get($"/api/runs/{runId}/artifacts/preview?path=" + Uri.EscapeDataString(path));
                    }
                }
                // Errors name paths too: a missing artifact, a link out of the run.
                await Get($"/api/runs/{runId}/artifacts/download?path=missing/file.txt");
                await Get($"/api/runs/{runId}/artifacts/preview?path=escape.txt");
            }
        }
        await Get($"/api/compare?run_ids={store.QuickStartRunIds[0]},{store.QuickStartRunIds[1]},{store.HostileRunId}");
        await Get("/api/runs/0123456789abcdef0123456789abcdef");

        Assert.True(bodies.Count > 40, "the walk covered the store");
        var leaks = bodies.Where(b => b.Contains(store.ServerFolder, StringComparison.Ordinal) || b.Contains(Path.GetTempPath().TrimEnd('/') + "/qtrk", StringComparison.Ordinal)).ToList();
        Assert.Empty(leaks);
        // The errors that would name a folder name the artifact root as the UI shows it instead.
        Assert.Contains(bodies, b => b.Contains("does not exist under \\u0027./", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ByDefault_WriteEndpointsAre403_OtherMethodsAre405_AndNothingChanges()
    {
        using var factory = new QtrackFactory(store.Root);
        var client = factory.CreateClient();
        var runId = store.QuickStartRunIds[0];

        var delete = await client.PostApiAsync($"/api/runs/{runId}/delete");
        Assert.Equal(403, delete.Status);
        Assert.Equal("PERMISSION_DENIED", delete.Error);
        Assert.Equal(403, (await client.PostApiAsync($"/api/runs/{runId}/restore")).Status);
        Assert.Equal(403, (await client.PostApiAsync($"/api/experiments/{store.QuickStartExperimentId}/rename", "{\"name\":\"x\"}")).Status);
        Assert.Equal(LifecycleStage.Active, new FileStore(store.Root).GetRun(runId).Info.LifecycleStage);
        Assert.Equal("quickstart", new FileStore(store.Root).GetExperiment(store.QuickStartExperimentId).Name);

        using var deleteVerb = await client.DeleteAsync($"/api/runs/{runId}");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, deleteVerb.StatusCode);
        using var putExperiments = await client.PutAsync("/api/experiments", new StringContent("{}"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, putExperiments.StatusCode);

        var info = await client.GetApiAsync("/api/info");
        Assert.True(info.Json.GetProperty("read_only").GetBoolean());
    }

    [Fact]
    public async Task WithAllowWrites_DeleteRestoreAndRenameWork_ButOnlyWithAJsonBody()
    {
        var root = store.CopyTo(_temp);
        using var factory = new QtrackFactory(root, allowWrites: true);
        var client = factory.CreateClient();
        var runId = store.QuickStartRunIds[1];

        var form = await client.PostApiAsync($"/api/runs/{runId}/delete", "a=1", "application/x-www-form-urlencoded");
        Assert.Equal(415, form.Status);
        Assert.Equal(LifecycleStage.Active, new FileStore(root).GetRun(runId).Info.LifecycleStage);

        Assert.Equal(200, (await client.PostApiAsync($"/api/runs/{runId}/delete")).Status);
        Assert.Equal(LifecycleStage.Deleted, new FileStore(root).GetRun(runId).Info.LifecycleStage);
        var active = await client.GetApiAsync($"/api/runs?experiment_ids={store.QuickStartExperimentId}");
        Assert.DoesNotContain(runId, active.Body);
        var deleted = await client.GetApiAsync($"/api/runs?experiment_ids={store.QuickStartExperimentId}&view=deleted");
        Assert.Contains(runId, deleted.Body);

        Assert.Equal(200, (await client.PostApiAsync($"/api/runs/{runId}/restore")).Status);
        Assert.Equal(LifecycleStage.Active, new FileStore(root).GetRun(runId).Info.LifecycleStage);

        Assert.Equal(200, (await client.PostApiAsync($"/api/experiments/{store.QuickStartExperimentId}/rename", "{\"name\":\"renamed\"}")).Status);
        Assert.Equal("renamed", new FileStore(root).GetExperiment(store.QuickStartExperimentId).Name);
        var badBody = await client.PostApiAsync($"/api/experiments/{store.QuickStartExperimentId}/rename", "{\"title\":1}");
        Assert.Equal(400, badBody.Status);
        var clash = await client.PostApiAsync($"/api/experiments/{store.HostileExperimentId}/rename", "{\"name\":\"renamed\"}");
        Assert.Equal(409, clash.Status);
    }

    [Fact]
    public async Task Markup_InNamesTagsAndParams_IsEscapedInJson_AndThePagesNeverParseDataAsHtml()
    {
        using var factory = new QtrackFactory(store.Root);
        var client = factory.CreateClient();

        var detail = await client.GetApiAsync("/api/runs/" + store.HostileRunId);
        Assert.Equal(QuickStartStore.ScriptTag, detail.Json.GetProperty("tags").GetProperty("note").GetString());
        Assert.Equal(QuickStartStore.MarkupParam, detail.Json.GetProperty("params").GetProperty("p").GetString());
        Assert.DoesNotContain("<script>", detail.Body);
        Assert.DoesNotContain("<svg", detail.Body);

        // The pages put data into the DOM as text only; none of them has a way to parse a string as HTML.
        foreach (var asset in new[] { "app.js", "pages.js", "dom.js", "charts.js" })
        {
            var script = await client.GetStringAsync("/assets/" + asset);
            foreach (var sink in new[] { "innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function" })
                Assert.DoesNotContain(sink, script);
        }
    }

    [Fact]
    public async Task Pages_AreServedFromTheAssembly_WithAPolicyThatForbidsInlineScript()
    {
        using var factory = new QtrackFactory(store.Root);
        var client = factory.CreateClient();

        using var index = await client.GetAsync("/");
        Assert.Equal("text/html", index.Content.Headers.ContentType?.MediaType);
        var csp = index.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        var html = await index.Content.ReadAsStringAsync();
        foreach (var script in new[] { "dom.js", "charts.js", "pages.js", "app.js" })
        {
            Assert.Contains($"/assets/{script}", html);
            using var asset = await client.GetAsync("/assets/" + script);
            Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
            Assert.Equal("text/javascript", asset.Content.Headers.ContentType?.MediaType);
        }
        using var missing = await client.GetAsync("/assets/nope.js");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var unknownApi = await client.GetApiAsync("/api/nothing/here");
        Assert.Equal(404, unknownApi.Status);
    }

    [Fact]
    public void CreateApp_OnAMissingStore_FailsWithTheFolderNamed_InsteadOfCreatingAStore()
    {
        var missing = Path.Combine(_temp.Path, "no-such-mlruns");
        var error = Assert.Throws<TrackingException>(() => QtrackWeb.CreateApp(new WebOptions { StorePath = missing, Port = 0 }));
        Assert.Equal(ErrorCode.ResourceDoesNotExist, error.Code);
        Assert.Contains("no-such-mlruns", error.Message);
        Assert.False(Directory.Exists(missing));
    }

    [Fact]
    public void ProgramOptions_ParseTheDocumentedSwitches_AndRejectUnknownOnes()
    {
        var hostArgs = new List<string>();
        var options = Program.Parse(["--store", "/data/mlruns", "--port", "8123", "--allow-writes", "--environment=Development"], hostArgs);
        Assert.Equal("/data/mlruns", options.StorePath);
        Assert.Equal(8123, options.Port);
        Assert.Equal("127.0.0.1", options.Host);
        Assert.True(options.AllowWrites);
        Assert.Equal(["--environment=Development"], hostArgs);
        Assert.False(Program.Parse(["--store=/x", "--allow-writes=false"], []).AllowWrites);
        Assert.Throws<ArgumentException>(() => Program.Parse(["--bind-everything"], []));
        Assert.Throws<ArgumentException>(() => Program.Parse(["--port", "70000"], []));
    }
}
