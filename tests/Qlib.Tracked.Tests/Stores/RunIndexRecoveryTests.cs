using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores;

namespace Qlib.Tracked.Tests.Stores;

/// <summary>
/// The persisted index is only ever a head start: missing, stale, torn, truncated or garbage copies give
/// the full scan's answers (the broken ones with a StoreWarning) and are replaced by a good copy; a store
/// that cannot be written is still searchable; MLflow's own store searches the same through the index.
/// </summary>
public sealed class RunIndexRecoveryTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _root;
    private readonly string _experimentId;
    private readonly string _indexFile;
    private readonly List<string> _runIds = [];

    private const string Filter = "params.group = 'g3' and metrics.score > 0.1";
    private static readonly string[] OrderBy = ["metrics.score DESC"];

    public RunIndexRecoveryTests()
    {
        _root = _temp.Combine("mlruns");
        var store = new FileStore(_root);
        _experimentId = store.CreateExperiment("recovery");
        _indexFile = RunIndexTestKit.IndexFile(Path.Combine(_root, _experimentId));
        for (var i = 0; i < 12; i++)
        {
            var id = store.CreateRun(_experimentId, "u", 100 + i, [new RunTag("team", "t" + (i % 3))], "run" + i).Info.RunId;
            store.LogBatch(id, [new Metric("score", i / 10.0, 1, 0), new Metric("nan_metric", double.NaN, 1, 0)],
                [new Param("group", "g" + (i % 4)), new Param("train/window", "20")], []);
            _runIds.Add(id);
        }
        RunIndexTestKit.Age(_root);
    }

    public void Dispose() => _temp.Dispose();

    private (string Answer, List<StoreWarning> Warnings) Search(FileStore store)
    {
        var warnings = new List<StoreWarning>();
        store.Warning += warnings.Add;
        var answer = RunIndexTestKit.Describe(store.SearchRuns([_experimentId], Filter, ViewType.ActiveOnly, 1000, OrderBy, null).Items);
        return (answer, warnings);
    }

    private string FullScanAnswer() => Search(RunIndexTestKit.FullScan(_root)).Answer;

    /// <summary>Something changed since the index was saved, so an index trusted as-is would answer wrongly.</summary>
    private void ChangeTheStore()
    {
        var store = new FileStore(_root);
        store.LogBatch(_runIds[3], [new Metric("score", 7, 2, 5)], [], []);
        store.DeleteRun(_runIds[11]);
        RunIndexTestKit.Age(_root);
    }

    [Fact]
    public void A_missing_index_is_built_and_saved()
    {
        Assert.False(File.Exists(_indexFile));
        var (answer, warnings) = Search(new FileStore(_root));
        Assert.Equal(FullScanAnswer(), answer);
        Assert.Contains("run3", answer, StringComparison.Ordinal);
        Assert.Empty(warnings);
        Assert.True(File.Exists(_indexFile));

        File.Delete(_indexFile);
        ChangeTheStore();
        Assert.Equal(FullScanAnswer(), Search(new FileStore(_root)).Answer);
        Assert.True(File.Exists(_indexFile));
    }

    [Fact]
    public void A_stale_but_intact_index_answers_as_the_files_say()
    {
        Search(new FileStore(_root));
        var before = Search(new FileStore(_root)).Answer;
        ChangeTheStore();
        var (answer, warnings) = Search(new FileStore(_root)); // loads the old copy
        Assert.NotEqual(before, answer);
        Assert.Equal(FullScanAnswer(), answer);
        Assert.Empty(warnings);
    }

    public static TheoryData<string> Damages => ["garbage", "truncated", "torn-tail", "flipped-byte", "empty", "wrong-version", "directory"];

    [Theory]
    [MemberData(nameof(Damages))]
    public void A_damaged_index_is_reported_rebuilt_and_replaced(string damage)
    {
        Search(new FileStore(_root));
        var good = File.ReadAllBytes(_indexFile);
        ChangeTheStore();
        switch (damage)
        {
            case "garbage": File.WriteAllBytes(_indexFile, [.. Enumerable.Range(0, 5000).Select(i => (byte)(i * 7919 % 251))]); break;
            case "truncated": File.WriteAllBytes(_indexFile, good[..(good.Length / 2)]); break;
            case "torn-tail": File.WriteAllBytes(_indexFile, [.. good, .. new byte[4096]]); break; // a crash after extending, before the rename
            case "flipped-byte":
                good[good.Length * 2 / 3] ^= 0x5A;
                File.WriteAllBytes(_indexFile, good);
                break;
            case "empty": File.WriteAllBytes(_indexFile, []); break;
            case "wrong-version":
                // A well-formed file of another format version: header and hash are right, the payload is not ours.
                File.WriteAllBytes(_indexFile, RunIndexTestKit.WithPayload(good, [9, 0, 0, 0, .. good[28..]]));
                break;
            default:
                File.Delete(_indexFile);
                Directory.CreateDirectory(_indexFile);
                break;
        }

        var (answer, warnings) = Search(new FileStore(_root));
        Assert.Equal(FullScanAnswer(), answer);
        Assert.Contains(warnings, w => w.Path.EndsWith(".qtrk-run-index", StringComparison.Ordinal) && w.Message.Contains("rebuilt", StringComparison.Ordinal));
        if (damage == "directory") return; // cannot be replaced; the index stays in memory

        var (again, warningsAgain) = Search(new FileStore(_root)); // the rebuilt copy was saved and loads cleanly
        Assert.Equal(answer, again);
        Assert.Empty(warningsAgain);
    }

    [Fact]
    public void A_store_that_cannot_be_written_is_searched_with_an_index_in_memory()
    {
        var experimentFolder = Path.Combine(_root, _experimentId);
        var asRoot = Environment.UserName == "root" || Environment.GetEnvironmentVariable("USER") == "root";
        if (asRoot || OperatingSystem.IsWindows())
        {
            // root ignores permission bits: block the index file's place with a folder instead (the write fails the same way).
            Directory.CreateDirectory(_indexFile);
        }
        else if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(experimentFolder, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        }
        try
        {
            var store = new FileStore(_root);
            Assert.Equal(FullScanAnswer(), Search(store).Answer);
            Assert.False(File.Exists(_indexFile));

            // The in-memory index still follows the files (here: another process appends in place).
            File.AppendAllText(Path.Combine(experimentFolder, _runIds[3], "metrics", "score"), "5 9.5 3\n");
            var answer = Search(store).Answer;
            Assert.StartsWith(_runIds[3], answer, StringComparison.Ordinal);
            Assert.Equal(FullScanAnswer(), answer);
        }
        finally
        {
            if (!asRoot && !OperatingSystem.IsWindows()) File.SetUnixFileMode(experimentFolder, (UnixFileMode)0b111_101_101);
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("params.lr = '0.01'")]
    [InlineData("metrics.loss < 0.5")]
    [InlineData("metrics.nan_metric != 0")]
    [InlineData("params.`train/window` = '20'")]
    [InlineData("tags.`mlflow.runName` = 'alpha-lgb'")]
    [InlineData("status != 'FINISHED'")]
    [InlineData("attributes.end_time > 0")]
    public void The_MLflow_fixture_searched_through_the_index_gives_the_full_scan_answer(string? filter)
    {
        var root = _temp.Combine("fixture");
        TempDirectory.CopyTree(Path.Combine(AppContext.BaseDirectory, "Fixtures", "mlflow-filestore-reference", "mlruns"), root);
        string[] experiments = [.. Directory.GetDirectories(root).Select(Path.GetFileName).Where(n => n != ".trash").Select(n => n!)];
        Assert.NotEmpty(experiments);
        string[][] orders = [[], ["metrics.loss ASC"], ["metrics.loss DESC"], ["params.lr"], ["attributes.run_name DESC"]];
        var matched = 0;
        foreach (var order in orders)
        {
            foreach (var view in new[] { ViewType.ActiveOnly, ViewType.DeletedOnly, ViewType.All })
            {
                var expected = RunIndexTestKit.FullScan(root).SearchRuns(experiments, filter, view, 1000, order, null).Items;
                Assert.Equal(RunIndexTestKit.Describe(expected), RunIndexTestKit.Describe(new FileStore(root).SearchRuns(experiments, filter, view, 1000, order, null).Items));
                matched += expected.Count;
            }
        }
        Assert.True(matched > 0, "the query matched nothing in the fixture, so it proves nothing");
    }
}
