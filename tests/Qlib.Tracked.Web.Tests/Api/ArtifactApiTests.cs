using Qlib.Tracked.Artifacts;
using Qlib.Tracked.Frames;
using Qlib.Tracked.Stores;

namespace Qlib.Tracked.Web.Tests;

/// <summary>Artifact listing, download, previews and path confinement.</summary>
[Collection(QuickStartStoreCollection.Name)]
public sealed class ArtifactApiTests(QuickStartStore store)
{
    [Fact]
    public async Task Listing_IsOneLevel_AndNeverAdvertisesLinksThatLeaveTheRun()
    {
        using var factory = new QtrackFactory(store.Root);
        var client = factory.CreateClient();

        var root = await client.GetApiAsync($"/api/runs/{store.HostileRunId}/artifacts");
        var paths = root.Json.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("path").GetString()).ToList();
        Assert.Equal(["config.json", "data.bin", "nested", "notes.txt"], paths);
        Assert.Equal($"./{store.HostileExperimentId}/{store.HostileRunId}/artifacts", root.Json.GetProperty("root_uri").GetString());

        var nested = await client.GetApiAsync($"/api/runs/{store.HostileRunId}/artifacts?path=nested/dir");
        Assert.Equal(["nested/dir/deep.txt"], nested.Json.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("path").GetString()));
    }

    [Theory]
    [InlineData("../meta.yaml")]
    [InlineData("..%2Fmeta.yaml")]
    [InlineData("%2E%2E/%2E%2E/mlruns")]
    [InlineData("nested/../../meta.yaml")]
    [InlineData("/etc/passwd")]
    [InlineData("%2Fetc%2Fpasswd")]
    [InlineData("..%5Cmeta.yaml")]
    [InlineData("escape.txt")]
    [InlineData("escape-dir/outside-secret.txt")]
    public async Task Download_RefusesPathsLeavingTheRun_WithA400ThatNamesNoServerPath(string path)
    {
        using var factory = new QtrackFactory(store.Root);
        var client = factory.CreateClient();

        foreach (var endpoint in new[] { "artifacts/download", "artifacts/preview", "artifacts" })
        {
            using var response = await client.GetAsync($"/api/runs/{store.HostileRunId}/{endpoint}?path={path}");
            var body = await response.Content.ReadAsStringAsync();
            Assert.Equal(400, (int)response.StatusCode);
            Assert.Contains("INVALID_PARAMETER_VALUE", body);
            Assert.DoesNotContain(QuickStartStore.SecretText, body);
            Assert.DoesNotContain(store.ServerFolder, body);
        }
    }

    [Fact]
    public async Task Download_ServesTheExactBytes_AsAnAttachmentThatBrowsersDoNotRender()
    {
        using var factory = new QtrackFactory(store.Root);
        var client = factory.CreateClient();
        var runId = store.QuickStartRunIds[0];

        using var response = await client.GetAsync($"/api/runs/{runId}/artifacts/download?path=sig_analysis/ic.parquet");
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("ic.parquet", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        var local = new FileStore(store.Root).GetArtifactRepository(runId).GetLocalPath("sig_analysis/ic.parquet")!;
        Assert.Equal(await File.ReadAllBytesAsync(local), await response.Content.ReadAsByteArrayAsync());

        var missing = await client.GetApiAsync($"/api/runs/{runId}/artifacts/download?path=nope.txt");
        Assert.Equal(404, missing.Status);
        var folder = await client.GetApiAsync($"/api/runs/{runId}/artifacts/download?path=sig_analysis");
        Assert.Equal(400, folder.Status);
    }

    [Fact]
    public async Task Preview_ShowsParquetAsATable_WithTheValuesTheFrameHolds()
    {
        using var factory = new QtrackFactory(store.Root);
        var client = factory.CreateClient();
        var runId = store.QuickStartRunIds[0];
        using var stream = new FileStore(store.Root).GetArtifactRepository(runId).OpenRead("pred.parquet");
        var pred = ArtifactSerializers.For<PredictionFrame>().Deserialize(stream, "pred.parquet");

        var preview = await client.GetApiAsync($"/api/runs/{runId}/artifacts/preview?path=pred.parquet&rows=7");
        Assert.Equal("table", preview.Json.GetProperty("kind").GetString());
        Assert.Equal(pred.RowCount, preview.Json.GetProperty("total_rows").GetInt32());
        Assert.True(preview.Json.GetProperty("truncated").GetBoolean());
        Assert.Equal(["datetime", "instrument", "score"], preview.Json.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        var rows = preview.Json.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(7, rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            Assert.Equal(pred.Datetime[i].ToString("yyyy-MM-dd"), rows[i][0].GetString());
            Assert.Equal(pred.Instrument[i], rows[i][1].GetString());
            Assert.Equal(pred.Score[i], double.Parse(rows[i][2].GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public async Task Preview_ShowsTextJsonAndBinaryForWhatTheyAre()
    {
        using var factory = new QtrackFactory(store.Root);
        var client = factory.CreateClient();
        var run = $"/api/runs/{store.HostileRunId}/artifacts/preview?path=";

        var text = await client.GetApiAsync(run + "notes.txt");
        Assert.Equal("text", text.Json.GetProperty("kind").GetString());
        Assert.Equal("line one\n<b>line two</b>\n", text.Json.GetProperty("text").GetString());

        var json = await client.GetApiAsync(run + "config.json");
        Assert.Equal("json", json.Json.GetProperty("kind").GetString());
        Assert.Contains("\n", json.Json.GetProperty("text").GetString());
        Assert.Equal("{\"a\":[1,2],\"b\":\"<x>\"}", System.Text.Json.JsonDocument.Parse(json.Json.GetProperty("text").GetString()!).RootElement.GetRawText().Replace(" ", "").Replace("\n", "").Replace("\r", ""));

        var binary = await client.GetApiAsync(run + "data.bin");
        Assert.Equal("binary", binary.Json.GetProperty("kind").GetString());
        Assert.Equal(6, binary.Json.GetProperty("file_size").GetInt32());

        // The MemoryPack model of a QuickStart run is binary too.
        var model = await client.GetApiAsync($"/api/runs/{store.QuickStartRunIds[0]}/artifacts/preview?path=params");
        Assert.Equal("binary", model.Json.GetProperty("kind").GetString());
    }
}
