using System.Text;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores;

namespace Qlib.Tracked.Web.Tests;

/// <summary>
/// The web API over a <c>sqlite:///</c> store: the same pages as over a file store, the database path and the
/// artifact root kept out of every answer, and the store closed with the app.
/// </summary>
public sealed class SqliteStoreApiTests : IDisposable
{
    private readonly TempDirectory _folder = new();
    private readonly string _database;
    private readonly string _uri;
    private readonly string _artifacts;
    private readonly string _experimentId;
    private readonly string _good;
    private readonly string _bad;

    public SqliteStoreApiTests()
    {
        _database = Path.Combine(_folder.Path, "mlflow.db");
        _uri = "sqlite:///" + _database;
        _artifacts = Path.Combine(_folder.Path, "artifacts");
        using var store = TrackingStoreRegistry.Open(_uri, new TrackingStoreOptions { DefaultArtifactRoot = _artifacts });
        _experimentId = store.CreateExperiment("sql-exp");
        _good = Run(store, "good", 0.2, "0.01");
        _bad = Run(store, "bad", 0.9, "0.1");
    }

    private string Run(ITrackingStore store, string name, double loss, string lr)
    {
        var id = store.CreateRun(_experimentId, "tester", 1_000, [], name).Info.RunId;
        store.LogBatch(id, [new Metric("loss", loss + 0.5, 1_001, 0), new Metric("loss", loss, 1_002, 1)], [new Param("lr", lr)], []);
        store.UpdateRunInfo(id, RunStatus.Finished, 2_000, null);
        store.GetArtifactRepository(id).Write("plots/curve.txt", Encoding.UTF8.GetBytes("curve of " + name));
        return id;
    }

    public void Dispose() => _folder.Dispose();

    private QtrackFactory Factory() => new(_uri, artifactRoot: _artifacts);

    private void AssertNoServerPath(ApiAnswer answer)
    {
        Assert.DoesNotContain(_folder.Path, answer.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Experiments_runs_and_a_filter_answer_from_the_database()
    {
        using var factory = Factory();
        using var client = factory.CreateClient();
        var experiments = await client.GetApiAsync("/api/experiments");
        Assert.Equal(200, experiments.Status);
        var names = experiments.Json.GetProperty("experiments").EnumerateArray().Select(e => e.GetProperty("name").GetString()).ToList();
        Assert.Contains("sql-exp", names);
        Assert.Contains("Default", names);
        AssertNoServerPath(experiments);

        var runs = await client.GetApiAsync($"/api/runs?experiment_ids={_experimentId}&order_by=" + Uri.EscapeDataString("metrics.loss ASC"));
        Assert.Equal(200, runs.Status);
        Assert.Equal(["good", "bad"], runs.Json.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("run_name").GetString()!).ToArray());
        AssertNoServerPath(runs);

        var filtered = await client.GetApiAsync($"/api/runs?experiment_ids={_experimentId}&filter=" + Uri.EscapeDataString("params.lr = '0.1'"));
        Assert.Equal([_bad], filtered.Json.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("run_id").GetString()!).ToArray());
    }

    [Fact]
    public async Task Run_page_metric_history_and_compare_answer_from_the_database()
    {
        using var factory = Factory();
        using var client = factory.CreateClient();
        var run = await client.GetApiAsync("/api/runs/" + _good);
        Assert.Equal(200, run.Status);
        Assert.Contains("\"good\"", run.Body, StringComparison.Ordinal);
        Assert.Contains($"\"./{_experimentId}/{_good}/artifacts\"", run.Body, StringComparison.Ordinal);
        AssertNoServerPath(run);

        var history = await client.GetApiAsync($"/api/runs/{_good}/metric-history?key=loss");
        Assert.Equal(200, history.Status);
        Assert.Equal([0.7, 0.2], history.Json.GetProperty("history").EnumerateArray().Select(p => p.GetProperty("value").GetDouble()).ToArray());

        var compare = await client.GetApiAsync($"/api/compare?run_ids={_good},{_bad}");
        Assert.Equal(200, compare.Status);
        Assert.Contains("0.01", compare.Body, StringComparison.Ordinal);
        Assert.Contains("\"0.1\"", compare.Body, StringComparison.Ordinal);
        AssertNoServerPath(compare);
    }

    [Fact]
    public async Task Artifacts_are_listed_and_downloaded_from_the_runs_artifact_folders()
    {
        using var factory = Factory();
        using var client = factory.CreateClient();
        var listing = await client.GetApiAsync($"/api/runs/{_bad}/artifacts?path=plots");
        Assert.Equal(200, listing.Status);
        Assert.Equal(["plots/curve.txt"], listing.Json.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("path").GetString()!).ToArray());
        AssertNoServerPath(listing);
        var download = await client.GetStringAsync($"/api/runs/{_bad}/artifacts/download?path=plots/curve.txt");
        Assert.Equal("curve of bad", download);
    }

    [Fact]
    public async Task An_error_names_the_store_without_its_path_and_the_app_closes_the_database()
    {
        using (var factory = Factory())
        {
            using var client = factory.CreateClient();
            var missing = await client.GetApiAsync("/api/runs/0123456789abcdef0123456789abcdef");
            Assert.Equal(404, missing.Status);
            AssertNoServerPath(missing);
            Assert.True(OpenDescriptorsOf(_database) > 0 || !OperatingSystem.IsLinux(), "the app should hold its database open while it serves");
        }
        Assert.Equal(0, OpenDescriptorsOf(_database));
    }

    [Fact]
    public void A_missing_database_file_is_refused_not_created()
    {
        var typo = Path.Combine(_folder.Path, "mlfow.db");
        var error = Assert.Throws<TrackingException>(() => QtrackWeb.CreateApp(new WebOptions { StorePath = "sqlite:///" + typo, Port = 0 }));
        Assert.Equal(ErrorCode.ResourceDoesNotExist, error.Code);
        Assert.Contains($"the SQLite database file '{typo}' does not exist", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(typo));
    }

    [Fact]
    public void The_redactor_hides_the_database_path_and_shows_locations_under_the_artifact_root_relative_to_it()
    {
        var redactor = new PathRedactor(_artifacts, [_database, _uri]);
        Assert.Equal("cannot open <store>", redactor.Redact("cannot open " + _database));
        Assert.Equal("store <store> is read-only", redactor.Redact($"store {_uri} is read-only"));
        Assert.Equal("./1/abc/artifacts", redactor.PresentLocation(Path.Combine(_artifacts, "1", "abc", "artifacts")));
        Assert.Equal(PathRedactor.Redacted, redactor.PresentLocation("/etc/passwd"));
    }

    private static int OpenDescriptorsOf(string path)
    {
        if (!OperatingSystem.IsLinux()) return 0;
        return Directory.EnumerateFiles("/proc/self/fd").Count(fd =>
        {
            try { return new FileInfo(fd).LinkTarget is { } target && target.StartsWith(path, StringComparison.Ordinal); }
            catch (IOException) { return false; }
        });
    }
}
