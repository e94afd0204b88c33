using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores;

namespace Qlib.Tracked.Cli.Tests;

/// <summary>
/// Every read command on a <c>sqlite:///</c> store written through the store API: the same answers a file store
/// gives, no database created from a typo, no connection left open once a command returns.
/// </summary>
public sealed class SqliteStoreCommandTests : IDisposable
{
    private readonly TempStore _temp = new(copyFixture: false);
    private readonly string _database;
    private readonly string _uri;
    private readonly string _experimentId;
    private readonly string _good;
    private readonly string _bad;

    public SqliteStoreCommandTests()
    {
        _database = _temp.Combine("mlflow.db");
        _uri = "sqlite:///" + _database;
        using var store = TrackingStoreRegistry.Open(_uri, new TrackingStoreOptions { DefaultArtifactRoot = _temp.Combine("artifacts") });
        _experimentId = store.CreateExperiment("sql-exp");
        _good = Run(store, "good", 0.2, "0.01");
        _bad = Run(store, "bad", 0.9, "0.1");
    }

    private string Run(ITrackingStore store, string name, double loss, string lr)
    {
        var run = store.CreateRun(_experimentId, "tester", 1_000, [], name);
        var id = run.Info.RunId;
        store.LogBatch(id, [new Metric("loss", loss + 0.5, 1_001, 0), new Metric("loss", loss, 1_002, 1)], [new Param("lr", lr)], []);
        store.UpdateRunInfo(id, RunStatus.Finished, 2_000, null);
        var artifacts = TrackingUri.ToLocalPath(run.Info.ArtifactUri);
        Directory.CreateDirectory(Path.Combine(artifacts, "plots"));
        File.WriteAllText(Path.Combine(artifacts, "plots", "curve.txt"), "curve of " + name);
        return id;
    }

    public void Dispose() => _temp.Dispose();

    private CliResult Q(params string[] args) => CliRunner.Run([.. args, "--store", _uri]);

    [Fact]
    public void Runs_lists_filters_and_orders_the_database_runs()
    {
        Assert.Equal(["bad", "good"], Q("runs", "-e", _experimentId, "--format", "json", "--order-by", "metrics.loss DESC").RunNames());
        Assert.Equal(["good"], Q("runs", "-e", _experimentId, "--format", "json", "--filter", "params.lr = '0.01'").RunNames());
    }

    [Fact]
    public void Show_metrics_and_compare_answer_from_the_database()
    {
        var showResult = Q("show", _good, "--format", "json");
        Assert.True(showResult.ExitCode == 0, showResult.Error);
        using (var show = showResult.Json())
            Assert.Contains("\"good\"", show.RootElement.GetRawText(), StringComparison.Ordinal);
        using (var history = Q("metrics", _good, "loss", "--format", "json").Json())
        {
            var values = history.RootElement.GetProperty("history").EnumerateArray().Select(p => p.GetProperty("value").GetDouble()).ToArray();
            Assert.Equal([0.7, 0.2], values);
        }
        var compare = Q("compare", _good, _bad);
        Assert.Equal(0, compare.ExitCode);
        Assert.Contains("0.01", compare.Out, StringComparison.Ordinal);
        Assert.Contains("0.1", compare.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Artifacts_get_and_export_work_on_the_database_store()
    {
        // Artifacts outside MLflow's default root (./mlruns) are read only from folders the user allows.
        var refused = Q("artifacts", _good, "-r");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains(_temp.Combine("artifacts"), refused.Error, StringComparison.Ordinal);
        var listing = Q("artifacts", _good, "-r", "--artifact-root", _temp.Combine("artifacts"));
        Assert.Equal(0, listing.ExitCode);
        Assert.Contains("plots/curve.txt", listing.Out, StringComparison.Ordinal);
        var got = Q("get", _good, "plots/curve.txt", "--out", "-", "--artifact-root", _temp.Combine("artifacts"));
        Assert.Equal(0, got.ExitCode);
        Assert.Equal("curve of good", got.Out);

        var csv = _temp.Combine("runs.csv");
        Assert.Equal(0, Q("export", "-e", _experimentId, "--out", csv).ExitCode);
        var text = File.ReadAllText(csv);
        Assert.Contains(_good, text, StringComparison.Ordinal);
        Assert.Contains(_bad, text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_command_leaves_no_connection_open_so_the_database_can_go_at_once()
    {
        Assert.Equal(0, Q("runs", "-e", _experimentId).ExitCode);
        Assert.Equal(0, OpenDescriptorsOf(_database));
        File.Delete(_database);
        // And the next read names the missing file instead of creating an empty database.
        var after = Q("runs");
        Assert.Equal(1, after.ExitCode);
        Assert.Contains($"the SQLite database file '{_database}' does not exist", after.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_database));
    }

    [Fact]
    public void A_missing_sqlite_file_is_an_error_for_reads_and_the_ui_not_a_new_database()
    {
        var typo = _temp.Combine("mlfow.db");
        var runs = CliRunner.Run("runs", "--store", "sqlite:///" + typo);
        Assert.Equal(1, runs.ExitCode);
        Assert.Contains("RESOURCE_DOES_NOT_EXIST", runs.Error, StringComparison.Ordinal);
        Assert.Contains($"the SQLite database file '{typo}' does not exist", runs.Error, StringComparison.Ordinal);
        var ui = CliRunner.Run("ui", "--store", "sqlite:///" + typo, "--port", "0");
        Assert.Equal(1, ui.ExitCode);
        Assert.Contains(typo, ui.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(typo));
    }

    [Fact]
    public void Gc_names_the_backend_it_cannot_collect()
    {
        var gc = Q("gc", "--dry-run");
        Assert.Equal(1, gc.ExitCode);
        Assert.Contains("NOT_IMPLEMENTED", gc.Error, StringComparison.Ordinal);
        Assert.Contains("file stores (mlruns folders) only", gc.Error, StringComparison.Ordinal);
        Assert.Contains("sqlite: store", gc.Error, StringComparison.Ordinal);
        Assert.Equal(0, OpenDescriptorsOf(_database));
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
