using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores;

namespace Qlib.Tracked.Tests.Stores;

/// <summary>
/// Files written behind the index's back, the way MLflow's Python file store writes them (a new run folder,
/// a line appended in place, a tag file overwritten in place, meta.yaml rewritten), are in the next search's
/// answer: through the same store instance, whose index is warm, and through a new one that starts from
/// the persisted index.
/// </summary>
public sealed class RunIndexExternalWriterTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _root;
    private readonly FileStore _store;
    private readonly string _experimentId;
    private readonly string _experimentFolder;
    private readonly Dictionary<string, string> _ids = [];

    public RunIndexExternalWriterTests()
    {
        _root = _temp.Combine("mlruns");
        _store = new FileStore(_root);
        _experimentId = _store.CreateExperiment("external");
        _experimentFolder = Path.Combine(_root, _experimentId);
        foreach (var (name, score, group) in new[] { ("a", 0.3, "g1"), ("b", 0.6, "g3"), ("c", 0.9, "g3") })
        {
            var id = _store.CreateRun(_experimentId, "u", 100, [new RunTag("team", "t1")], name).Info.RunId;
            _store.LogBatch(id, [new Metric("score", score, 1, 0)], [new Param("group", group)], []);
            _store.UpdateRunInfo(id, RunStatus.Finished, 200, null);
            _ids[name] = id;
        }
        RunIndexTestKit.Age(_root);
        Assert.Equal(["c", "b"], Names(_store, "params.group = 'g3'", "metrics.score DESC")); // builds and saves the index
        Assert.True(File.Exists(RunIndexTestKit.IndexFile(_experimentFolder)));
    }

    public void Dispose() => _temp.Dispose();

    private string[] Names(FileStore store, string? filter, params string[] orderBy) =>
        [.. store.SearchRuns([_experimentId], filter, ViewType.ActiveOnly, 1000, orderBy, null).Items.Select(r => r.Info.RunName)];

    /// <summary>The same query through the warm store, a cold store (persisted index) and a full scan: all three must agree.</summary>
    private string[] Everywhere(string? filter, params string[] orderBy)
    {
        var warm = Names(_store, filter, orderBy);
        Assert.Equal(warm, Names(new FileStore(_root), filter, orderBy));
        Assert.Equal(warm, Names(RunIndexTestKit.FullScan(_root), filter, orderBy));
        return warm;
    }

    private string RunFolder(string name) => Path.Combine(_experimentFolder, _ids[name]);

    [Fact]
    public void A_run_folder_written_by_MLflow_is_found_by_the_next_search()
    {
        var runId = "0123456789abcdef0123456789abcdef";
        var folder = Path.Combine(_experimentFolder, runId);
        Directory.CreateDirectory(Path.Combine(folder, "metrics", "train"));
        Directory.CreateDirectory(Path.Combine(folder, "params"));
        Directory.CreateDirectory(Path.Combine(folder, "tags"));
        File.WriteAllText(Path.Combine(folder, "meta.yaml"),
            $"artifact_uri: file:///elsewhere/{runId}/artifacts\nend_time: 300\nentry_point_name: ''\nexperiment_id: '{_experimentId}'\n" +
            $"lifecycle_stage: active\nrun_id: {runId}\nrun_name: py-run\nrun_uuid: {runId}\nsource_name: ''\nsource_type: 4\n" +
            "source_version: ''\nstart_time: 150\nstatus: 3\ntags: []\nuser_id: python\n");
        File.WriteAllText(Path.Combine(folder, "metrics", "score"), "1700000000000 0.95 0\n1700000000001 0.2 1\n");
        File.WriteAllText(Path.Combine(folder, "metrics", "train", "loss"), "1700000000000 nan 0\n");
        File.WriteAllText(Path.Combine(folder, "params", "group"), "g3");
        File.WriteAllText(Path.Combine(folder, "tags", "mlflow.runName"), "py-run");

        Assert.Equal(["c", "b", "py-run"], Everywhere("params.group = 'g3'", "metrics.score DESC")); // latest = step 1: 0.2
        var run = _store.SearchRuns([_experimentId], "run_name = 'py-run'", ViewType.ActiveOnly, 10, null, null).Items.Single();
        Assert.True(double.IsNaN(run.Data.Metrics["train/loss"].Value));
        Assert.Equal("python", run.Info.UserId);
    }

    [Fact]
    public void A_line_appended_in_place_to_a_metric_file_changes_the_order()
    {
        var path = Path.Combine(RunFolder("a"), "metrics", "score");
        var folderTime = Directory.GetLastWriteTimeUtc(Path.GetDirectoryName(path)!);
        File.AppendAllText(path, "1700000000009 0.99 5\n");
        Assert.Equal(folderTime, Directory.GetLastWriteTimeUtc(Path.GetDirectoryName(path)!)); // only the file itself tells
        Assert.Equal(["a", "c", "b"], Everywhere(null, "metrics.score DESC"));
        Assert.Equal(["a"], Everywhere("metrics.score > 0.95"));
    }

    [Fact]
    public void A_tag_overwritten_in_place_with_a_value_of_the_same_length_is_seen()
    {
        File.WriteAllText(Path.Combine(RunFolder("b"), "tags", "team"), "t2");
        Assert.Equal(["b"], Everywhere("tags.team = 't2'"));
        var returned = _store.SearchRuns([_experimentId], "run_name = 'b'", ViewType.ActiveOnly, 10, null, null).Items.Single();
        Assert.Equal("t2", returned.Data.Tags["team"]);
    }

    [Fact]
    public void Meta_rewritten_in_place_to_end_or_delete_a_run_is_seen()
    {
        var meta = Path.Combine(RunFolder("a"), "meta.yaml");
        File.WriteAllText(meta, File.ReadAllText(meta).Replace("status: 3", "status: 4", StringComparison.Ordinal));
        Assert.Equal(["a"], Everywhere("status = 'FAILED'"));

        var metaC = Path.Combine(RunFolder("c"), "meta.yaml");
        File.WriteAllText(metaC, File.ReadAllText(metaC).Replace("lifecycle_stage: active", "deleted_time: 500\nlifecycle_stage: deleted", StringComparison.Ordinal));
        Assert.Equal(["b"], Everywhere("params.group = 'g3'"));
        Assert.Equal(["c"], _store.SearchRuns([_experimentId], null, ViewType.DeletedOnly, 10, null, null).Items.Select(r => r.Info.RunName));
    }

    [Fact]
    public void A_run_folder_removed_by_hand_disappears_and_a_param_added_by_hand_appears()
    {
        Directory.Delete(RunFolder("b"), recursive: true);
        File.WriteAllText(Path.Combine(RunFolder("a"), "params", "window"), "20"); // a new param file, as MLflow logs one
        Assert.Equal(["c"], Everywhere("params.group = 'g3'", "metrics.score DESC"));
        Assert.Equal(["a"], Everywhere("params.window = '20'"));
        Assert.Equal("20", _store.SearchRuns([_experimentId], "params.window = '20'", ViewType.ActiveOnly, 10, null, null).Items[0].Data.Params["window"]);
    }

    [Fact]
    public void A_param_removed_or_replaced_by_rename_is_seen_even_when_its_folder_looks_old()
    {
        // Params are checked by their folder's stamp (MLflow never rewrites a param file), so what must be seen
        // is every change that touches the folder: a removed file, and a file replaced by rename.
        var paramsA = Path.Combine(RunFolder("a"), "params");
        var temp = Path.Combine(paramsA, ".group.tmp");
        File.WriteAllText(temp, "g3");
        File.Move(temp, Path.Combine(paramsA, "group"), overwrite: true);
        File.Delete(Path.Combine(RunFolder("c"), "params", "group"));
        RunIndexTestKit.Age(_root); // every stamp looks old again: only the changed folder times tell
        Assert.Equal(["b", "a"], Everywhere("params.group = 'g3'", "metrics.score DESC"));
        Assert.Equal(["b"], Everywhere("metrics.score > 0.4 AND params.group != 'g1'"));
        Assert.DoesNotContain("group", _store.SearchRuns([_experimentId], "attributes.run_name = 'c'", ViewType.ActiveOnly, 10, null, null).Items[0].Data.Params.Keys);
    }

    [Fact]
    public void Writes_through_another_store_instance_are_seen_by_the_warm_index()
    {
        var other = new FileStore(_root);
        other.LogBatch(_ids["b"], [new Metric("score", 5, 2, 3)], [], [new RunTag("team", "winners")]);
        other.DeleteRun(_ids["c"]);
        Assert.Equal(["b"], Everywhere("tags.team = 'winners' AND metrics.score >= 5"));
        Assert.Equal(["b", "a"], Everywhere(null, "metrics.score DESC"));
    }
}
