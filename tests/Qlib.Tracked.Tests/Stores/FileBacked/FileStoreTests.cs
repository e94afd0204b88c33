using System.Text;
using Qlib.Tracked.Artifacts;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores;

namespace Qlib.Tracked.Tests;

public sealed class FileStoreTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _root;
    private readonly FileStore _store;

    public FileStoreTests()
    {
        _root = _temp.Combine("mlruns");
        _store = new FileStore(_root);
    }

    public void Dispose() => _temp.Dispose();

    private string NewExperiment(string name = "exp") => _store.CreateExperiment(name);

    private Run NewRun(string? experimentId = null, string? name = "run-1") =>
        _store.CreateRun(experimentId ?? NewExperiment(), null, 1700000000000, null, name);

    private string ReadFile(params string[] parts) => File.ReadAllText(Path.Combine([_root, .. parts]));

    [Fact]
    public void NewStore_CreatesTrashAndDefaultExperimentZero()
    {
        Assert.True(Directory.Exists(Path.Combine(_root, ".trash")));
        var meta = ReadFile("0", "meta.yaml");
        Assert.Matches($"^artifact_location: file://{_root}/0\ncreation_time: \\d+\nexperiment_id: '0'\nlast_update_time: \\d+\nlifecycle_stage: active\nname: Default\n$", meta);
        Assert.Equal("Default", _store.GetExperiment("0").Name);
        // Opening again does not add a second Default.
        _ = new FileStore(_root);
        Assert.Single(_store.SearchExperiments(), e => e.Name == "Default");
    }

    [Fact]
    public void CreateExperiment_WritesMlflowMetaByteForByte()
    {
        var id = _store.CreateExperiment("my exp: v2");
        Assert.Matches("^[1-9][0-9]{17}$", id);
        var experiment = _store.GetExperiment(id);
        var t = experiment.CreationTime;
        Assert.Equal(
            $"artifact_location: file://{_root}/{id}\ncreation_time: {t}\nexperiment_id: '{id}'\nlast_update_time: {t}\nlifecycle_stage: active\nname: 'my exp: v2'\n",
            ReadFile(id, "meta.yaml"));
        Assert.Equal([Path.Combine(_root, id, "meta.yaml")], Directory.GetFileSystemEntries(Path.Combine(_root, id)));
    }

    [Fact]
    public void CreateAndEndRun_WritesMlflowRunMetaByteForByte()
    {
        var experimentId = NewExperiment();
        var run = _store.CreateRun(experimentId, null, 1700000000000, null, "my-run");
        var id = run.Info.RunId;
        Assert.Matches("^[0-9a-f]{32}$", id);
        _store.UpdateRunInfo(id, RunStatus.Finished, 1700000000100, null);
        Assert.Equal(
            $"artifact_uri: file://{_root}/{experimentId}/{id}/artifacts\nend_time: 1700000000100\nentry_point_name: ''\n" +
            $"experiment_id: '{experimentId}'\nlifecycle_stage: active\nrun_id: {id}\nrun_name: my-run\nrun_uuid: {id}\n" +
            "source_name: ''\nsource_type: 4\nsource_version: ''\nstart_time: 1700000000000\nstatus: 3\ntags: []\nuser_id: unknown\n",
            ReadFile(experimentId, id, "meta.yaml"));
        Assert.Equal("my-run", ReadFile(experimentId, id, "tags", "mlflow.runName"));
        // MLflow 2.12 creates these three with the run (see the reference fixture); artifacts/ comes with the first artifact.
        Assert.Equal(["meta.yaml", "metrics", "params", "tags"],
            Directory.EnumerateFileSystemEntries(Path.Combine(_root, experimentId, id)).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void RunningRun_WritesNullEndTime()
    {
        var run = NewRun();
        Assert.Contains("\nend_time: null\n", ReadFile(run.Info.ExperimentId, run.Info.RunId, "meta.yaml"));
        Assert.Contains("\nstatus: 1\n", ReadFile(run.Info.ExperimentId, run.Info.RunId, "meta.yaml"));
    }

    [Fact]
    public void LogBatch_ThenGetRun_RoundTripsEverything()
    {
        var run = NewRun();
        var id = run.Info.RunId;
        _store.LogBatch(id,
            [new Metric("loss", 0.5, 1700000000001, 0), new Metric("train/loss", 0.25, 1700000000002, 1), new Metric("loss", 0.25, 1700000000003, 1)],
            [new Param("lr", "0.01"), new Param("train/window", "20"), new Param("empty", ""), new Param("desc", "späce and ünïcode")],
            [new RunTag("multi", "line1\nline2"), new RunTag("trailing_newline", "x\n"), new RunTag("a/b", "c")]);

        var read = _store.GetRun(id);
        Assert.Equal(0.25, read.Data.Metrics["loss"].Value);
        Assert.Equal(1, read.Data.Metrics["loss"].Step);
        Assert.Equal(0.25, read.Data.Metrics["train/loss"].Value);
        Assert.Equal("0.01", read.Data.Params["lr"]);
        Assert.Equal("20", read.Data.Params["train/window"]);
        Assert.Equal("", read.Data.Params["empty"]);
        Assert.Equal("späce and ünïcode", read.Data.Params["desc"]);
        Assert.Equal("line1\nline2", read.Data.Tags["multi"]);
        Assert.Equal("x\n", read.Data.Tags["trailing_newline"]);
        Assert.Equal("c", read.Data.Tags["a/b"]);
        Assert.Equal("run-1", read.Data.Tags["mlflow.runName"]);

        // Files hold values exactly (UTF-8, no newline added); '/' keys are sub-folders.
        var folder = Path.Combine(_root, run.Info.ExperimentId, id);
        Assert.Equal(0, new FileInfo(Path.Combine(folder, "params", "empty")).Length);
        Assert.Equal(Encoding.UTF8.GetBytes("späce and ünïcode"), File.ReadAllBytes(Path.Combine(folder, "params", "desc")));
        Assert.Equal("x\n", File.ReadAllText(Path.Combine(folder, "tags", "trailing_newline")));
        Assert.True(File.Exists(Path.Combine(folder, "params", "train", "window")));
        Assert.Equal("1700000000002 0.25 1\n", File.ReadAllText(Path.Combine(folder, "metrics", "train", "loss")));
    }

    [Fact]
    public void MetricLines_SpellValuesLikePythonStrFloat()
    {
        var run = NewRun();
        _store.LogBatch(run.Info.RunId,
        [
            new Metric("m", 2, 1, 0), new Metric("m", 1e-5, 2, -3), new Metric("m", double.NaN, 3, 1099511627776),
            new Metric("m", double.PositiveInfinity, 4, 0), new Metric("m", double.NegativeInfinity, 5, 0),
            new Metric("m", 0.1 + 0.2, 6, 0), new Metric("m", 1e16, 7, 0), new Metric("m", 1e-300, 8, 0),
        ], [], []);
        Assert.Equal(
            "1 2.0 0\n2 1e-05 -3\n3 nan 1099511627776\n4 inf 0\n5 -inf 0\n6 0.30000000000000004 0\n7 1e+16 0\n8 1e-300 0\n",
            ReadFile(run.Info.ExperimentId, run.Info.RunId, "metrics", "m"));
    }

    [Fact]
    public void LatestMetric_IsHighestStepThenTimestamp_HistoryKeepsFileOrderAndDuplicates()
    {
        var run = NewRun();
        var id = run.Info.RunId;
        _store.LogBatch(id, [new Metric("ic", 0.5, 100, 5), new Metric("ic", 0.9, 200, 2), new Metric("ic", 0.9, 200, 2), new Metric("ic", 0.1, 50, 5)], [], []);
        Assert.Equal(new Metric("ic", 0.5, 100, 5), _store.GetRun(id).Data.Metrics["ic"]);
        var history = _store.GetMetricHistory(id, "ic");
        Assert.Equal([0.5, 0.9, 0.9, 0.1], history.Select(m => m.Value));
        Assert.Empty(_store.GetMetricHistory(id, "never_logged"));
    }

    [Fact]
    public void LogBatch_InterleavedKeys_GroupedPerKeyInBatchOrder()
    {
        var run = NewRun();
        var metrics = Enumerable.Range(0, 1000).Select(i => new Metric(i % 3 == 0 ? "a" : i % 3 == 1 ? "b" : "c/d", i, 1000 + i, i)).ToArray();
        _store.LogBatch(run.Info.RunId, metrics, [], []);
        foreach (var key in new[] { "a", "b", "c/d" })
        {
            var history = _store.GetMetricHistory(run.Info.RunId, key);
            Assert.Equal(metrics.Where(m => m.Key == key), history);
        }
    }

    [Fact]
    public void CreateRun_NameFromArgumentOrTagMustAgree()
    {
        var experimentId = NewExperiment();
        var fromTag = _store.CreateRun(experimentId, "me", 1, [new RunTag("mlflow.runName", "tagged")], null);
        Assert.Equal("tagged", fromTag.Info.RunName);
        Assert.Equal("me", fromTag.Info.UserId);
        var both = _store.CreateRun(experimentId, null, 1, [new RunTag("mlflow.runName", "same")], "same");
        Assert.Equal("same", both.Info.RunName);
        var e = Assert.Throws<TrackingException>(() => _store.CreateRun(experimentId, null, 1, [new RunTag("mlflow.runName", "a")], "b"));
        Assert.Equal(ErrorCode.InvalidParameterValue, e.Code);
    }

    [Fact]
    public void CreateRun_WithoutName_GetsRandomMlflowStyleName()
    {
        var experimentId = NewExperiment();
        var names = Enumerable.Range(0, 20).Select(_ => _store.CreateRun(experimentId, null, 1, null, null).Info.RunName).ToList();
        Assert.All(names, n => Assert.Matches("^[a-z]+-[a-z]+-[0-9]{1,3}$", n));
        Assert.All(names, n => Assert.True(n.Length <= 20, n));
        Assert.True(names.Distinct().Count() > 1);
        var run = _store.SearchRuns([experimentId], null, ViewType.ActiveOnly, 100, null, null).Items[0];
        Assert.Equal(run.Info.RunName, run.Data.Tags["mlflow.runName"]);
    }

    [Fact]
    public void RunNameTagAndRunInfoName_StayInSyncBothWays()
    {
        var run = NewRun();
        var id = run.Info.RunId;
        _store.LogBatch(id, [], [], [new RunTag("mlflow.runName", "renamed-by-tag")]);
        Assert.Contains("\nrun_name: renamed-by-tag\n", ReadFile(run.Info.ExperimentId, id, "meta.yaml"));
        Assert.Equal("renamed-by-tag", _store.GetRun(id).Info.RunName);

        _store.UpdateRunInfo(id, RunStatus.Running, null, "renamed-by-update");
        Assert.Equal("renamed-by-update", ReadFile(run.Info.ExperimentId, id, "tags", "mlflow.runName"));
        Assert.Equal("renamed-by-update", _store.GetRun(id).Info.RunName);
    }

    [Fact]
    public void ParamImmutability_SameValueIsNoOp_DifferentValueFailsWithMlflowMessage()
    {
        var id = NewRun().Info.RunId;
        _store.LogParam(id, new Param("lr", "0.1"));
        _store.LogParam(id, new Param("lr", "0.1"));
        var e = Assert.Throws<TrackingException>(() => _store.LogParam(id, new Param("lr", "0.2")));
        Assert.Equal(ErrorCode.InvalidParameterValue, e.Code);
        Assert.Equal(
            $"Changing param values is not allowed. Param with key='lr' was already logged with value='0.1' for run ID='{id}'. Attempted logging new value '0.2'.",
            e.Message);
    }

    [Fact]
    public void ParamImmutability_FailingBatchWritesNothingOfThatBatch()
    {
        var run = NewRun();
        var id = run.Info.RunId;
        _store.LogParam(id, new Param("lr", "0.1"));
        Assert.Throws<TrackingException>(() => _store.LogBatch(id,
            [new Metric("loss", 1, 1, 0)], [new Param("new_param", "x"), new Param("lr", "0.2")], [new RunTag("t", "v")]));
        var read = _store.GetRun(id);
        Assert.False(read.Data.Params.ContainsKey("new_param"));
        Assert.Empty(read.Data.Metrics);
        Assert.False(read.Data.Tags.ContainsKey("t"));
    }

    [Fact]
    public void LogBatch_RejectsDuplicateParamKeysAndOversizedBatches()
    {
        var id = NewRun().Info.RunId;
        Assert.Throws<TrackingException>(() => _store.LogBatch(id, [], [new Param("a", "1"), new Param("a", "1")], []));
        Assert.Throws<TrackingException>(() => _store.LogBatch(id, Enumerable.Range(0, 1001).Select(i => new Metric("m", i, 1, i)).ToArray(), [], []));
        Assert.Throws<TrackingException>(() => _store.LogBatch(id, [], [new Param("p", new string('x', 6001))], []));
        Assert.Throws<TrackingException>(() => _store.LogBatch(id, [new Metric("m", 1, -1, 0)], [], []));
        Assert.Empty(_store.GetRun(id).Data.Params);
    }

    [Fact]
    public void DeletedRun_RefusesLogging_RestoreDropsDeletedTime()
    {
        var run = NewRun();
        var id = run.Info.RunId;
        _store.DeleteRun(id);
        var meta = ReadFile(run.Info.ExperimentId, id, "meta.yaml");
        Assert.Matches("^artifact_uri: .*\ndeleted_time: \\d+\nend_time: null\n", meta);
        Assert.Contains("\nlifecycle_stage: deleted\n", meta);
        Assert.Equal(LifecycleStage.Deleted, _store.GetRun(id).Info.LifecycleStage);
        var e = Assert.Throws<TrackingException>(() => _store.LogMetric(id, new Metric("m", 1, 1, 0)));
        Assert.Equal(ErrorCode.InvalidParameterValue, e.Code);
        Assert.Contains("must be in the 'active' state", e.Message);
        Assert.Throws<TrackingException>(() => _store.UpdateRunInfo(id, RunStatus.Finished, 5, null));

        _store.RestoreRun(id);
        Assert.DoesNotContain("deleted_time", ReadFile(run.Info.ExperimentId, id, "meta.yaml"));
        _store.LogMetric(id, new Metric("m", 1, 1, 0));
        Assert.Equal(LifecycleStage.Active, _store.GetRun(id).Info.LifecycleStage);
    }

    [Fact]
    public void UnknownIds_AreResourceDoesNotExist_BadIdsAreInvalid()
    {
        var e = Assert.Throws<TrackingException>(() => _store.GetRun("deadbeef"));
        Assert.Equal(ErrorCode.ResourceDoesNotExist, e.Code);
        Assert.Equal("Run 'deadbeef' not found", e.Message);
        var x = Assert.Throws<TrackingException>(() => _store.GetExperiment("12345"));
        Assert.Equal("Could not find experiment with ID 12345", x.Message);
        Assert.Equal(ErrorCode.InvalidParameterValue, Assert.Throws<TrackingException>(() => _store.GetRun("bad!id")).Code);
        Assert.Equal(ErrorCode.InvalidParameterValue, Assert.Throws<TrackingException>(() => _store.GetRun("../0")).Code);
    }

    [Fact]
    public void CreateExperiment_NamesAreUniqueAmongActiveAndDeleted()
    {
        var id = _store.CreateExperiment("e1");
        var e = Assert.Throws<TrackingException>(() => _store.CreateExperiment("e1"));
        Assert.Equal(ErrorCode.ResourceAlreadyExists, e.Code);
        Assert.Equal("Experiment 'e1' already exists.", e.Message);
        _store.DeleteExperiment(id);
        var deleted = Assert.Throws<TrackingException>(() => _store.CreateExperiment("e1"));
        Assert.Contains("already exists in deleted state", deleted.Message);
        Assert.Equal(ErrorCode.InvalidParameterValue, Assert.Throws<TrackingException>(() => _store.CreateExperiment("")).Code);
    }

    [Fact]
    public void GetExperimentByName_FindsActiveOnly_GetExperimentFindsDeletedToo()
    {
        var id = _store.CreateExperiment("named");
        Assert.Equal(id, _store.GetExperimentByName("named")!.ExperimentId);
        _store.DeleteExperiment(id);
        Assert.Null(_store.GetExperimentByName("named"));
        Assert.Equal(LifecycleStage.Deleted, _store.GetExperiment(id).LifecycleStage);
    }

    [Fact]
    public void GetExperimentByName_FollowsRenamesDeletesAndRecreations_MadeThroughAnotherStore()
    {
        var other = new FileStore(_store.RootDirectory); // another process, as far as this store can tell
        var first = _store.CreateExperiment("sweep");
        Assert.Equal(first, _store.GetExperimentByName("sweep")!.ExperimentId);

        other.RenameExperiment(first, "sweep-old");
        Assert.Null(_store.GetExperimentByName("sweep"));
        Assert.Equal(first, _store.GetExperimentByName("sweep-old")!.ExperimentId);

        var second = other.CreateExperiment("sweep");
        Assert.Equal(second, _store.GetExperimentByName("sweep")!.ExperimentId);
        other.SetExperimentTag(second, "team", "alpha");
        Assert.Equal("alpha", _store.GetExperimentByName("sweep")!.Tags["team"]);

        other.DeleteExperiment(second);
        Assert.Null(_store.GetExperimentByName("sweep"));
        other.RestoreExperiment(second);
        Assert.Equal(second, _store.GetExperimentByName("sweep")!.ExperimentId);
    }

    [Fact]
    public void DeleteExperiment_MovesToTrashAndDeletesItsRuns_RestoreUndoes()
    {
        var id = _store.CreateExperiment("doomed");
        _store.SetExperimentTag(id, "project", "qlib");
        var runId = _store.CreateRun(id, null, 1, null, "r").Info.RunId;
        _store.DeleteExperiment(id);

        Assert.False(Directory.Exists(Path.Combine(_root, id)));
        var trashed = ReadFile(".trash", id, "meta.yaml");
        Assert.Contains("\nlifecycle_stage: deleted\n", trashed);
        Assert.EndsWith("name: doomed\ntags:\n  project: qlib\n", trashed);
        var run = _store.GetRun(runId); // found in .trash
        Assert.Equal(LifecycleStage.Deleted, run.Info.LifecycleStage);
        Assert.NotNull(run.Info.DeletedTime);
        Assert.Equal(ErrorCode.InvalidState, Assert.Throws<TrackingException>(() => _store.CreateRun(id, null, 1, null, null)).Code);
        Assert.DoesNotContain(_store.SearchExperiments(), e => e.ExperimentId == id);
        Assert.Contains(_store.SearchExperiments(ViewType.DeletedOnly), e => e.ExperimentId == id);

        _store.RestoreExperiment(id);
        Assert.True(Directory.Exists(Path.Combine(_root, id)));
        Assert.Equal(LifecycleStage.Active, _store.GetExperiment(id).LifecycleStage);
        Assert.Equal("qlib", _store.GetExperiment(id).Tags["project"]);
        Assert.Equal(LifecycleStage.Active, _store.GetRun(runId).Info.LifecycleStage);
        Assert.Null(_store.GetRun(runId).Info.DeletedTime);
        _store.LogMetric(runId, new Metric("m", 1, 1, 0));
    }

    [Fact]
    public void DeleteDefaultExperiment_IsRefused() =>
        Assert.Contains("Cannot delete the default experiment '0'", Assert.Throws<TrackingException>(() => _store.DeleteExperiment("0")).Message);

    [Fact]
    public void RenameExperiment_RewritesNameAndRefusesTakenNames()
    {
        var id = _store.CreateExperiment("old");
        _store.CreateExperiment("taken");
        _store.RenameExperiment(id, "new name");
        Assert.Equal("new name", _store.GetExperiment(id).Name);
        Assert.Contains("\nname: new name\n", ReadFile(id, "meta.yaml"));
        Assert.Equal(ErrorCode.ResourceAlreadyExists, Assert.Throws<TrackingException>(() => _store.RenameExperiment(id, "taken")).Code);
    }

    [Fact]
    public void ExperimentTags_LiveInTagFiles_DescriptionIsNoteContent()
    {
        var id = _store.CreateExperiment("tagged", null, [new RunTag("mlflow.note.content", "the description")]);
        _store.SetExperimentTag(id, "team/a", "x");
        Assert.Equal("the description", ReadFile(id, "tags", "mlflow.note.content"));
        Assert.Equal("x", ReadFile(id, "tags", "team", "a"));
        Assert.Equal("the description", _store.GetExperiment(id).Tags["mlflow.note.content"]);
        Assert.DoesNotContain("tags", ReadFile(id, "meta.yaml"));
        Assert.Throws<TrackingException>(() => _store.SetExperimentTag(id, "k", new string('v', 5001)));
    }

    [Fact]
    public void SearchExperiments_OrdersByCreationTimeDescThenId()
    {
        // The default experiment was created with the store; created in the same millisecond as "a", the tie
        // would (rightly) put "0" first by id, so make the creation times differ.
        Thread.Sleep(5);
        var a = _store.CreateExperiment("a");
        Thread.Sleep(5);
        var b = _store.CreateExperiment("b");
        var order = _store.SearchExperiments().Select(e => e.ExperimentId).ToList();
        Assert.True(order.IndexOf(b) < order.IndexOf(a));
        Assert.Equal("0", order[^1]);

        // Same creation time: experiment id ascending decides (MLflow's file store order).
        var infos = _store.SearchExperiments().ToList();
        var expected = infos.OrderByDescending(e => e.CreationTime).ThenBy(e => e.ExperimentId, StringComparer.Ordinal).Select(e => e.ExperimentId);
        Assert.Equal(expected, infos.Select(e => e.ExperimentId));
    }

    [Fact]
    public void DeleteTag_RemovesTheFile_UnknownTagIsDoesNotExist()
    {
        var id = NewRun().Info.RunId;
        _store.SetTag(id, new RunTag("t", "v"));
        _store.DeleteTag(id, "t");
        Assert.False(_store.GetRun(id).Data.Tags.ContainsKey("t"));
        Assert.Equal(ErrorCode.ResourceDoesNotExist, Assert.Throws<TrackingException>(() => _store.DeleteTag(id, "t")).Code);
    }

    [Fact]
    public void RunsWrittenByAnotherStoreInstance_AreVisibleAndFoundAfterMoves()
    {
        var experimentId = NewExperiment();
        var other = new FileStore(_root);
        var runId = other.CreateRun(experimentId, null, 1, null, "elsewhere").Info.RunId;
        Assert.Equal("elsewhere", _store.GetRun(runId).Info.RunName);
        other.LogMetric(runId, new Metric("m", 3, 1, 0));
        Assert.Equal(3, _store.GetRun(runId).Data.Metrics["m"].Value);
        other.DeleteExperiment(experimentId); // moves the run folder into .trash behind _store's back
        Assert.Equal(LifecycleStage.Deleted, _store.GetRun(runId).Info.LifecycleStage);
    }

    [Fact]
    public void ArtifactRepository_DefaultLayoutUsesRunFolder_CustomLocationUsesItsPath()
    {
        var run = NewRun();
        var repository = Assert.IsType<LocalArtifactRepository>(_store.GetArtifactRepository(run.Info.RunId));
        Assert.Equal(Path.Combine(_root, run.Info.ExperimentId, run.Info.RunId, "artifacts"), repository.LocalRoot);

        var elsewhere = _temp.Combine("elsewhere");
        var allowing = new FileStore(_root, new FileStoreOptions { ArtifactRoots = [elsewhere] });
        var experimentId = allowing.CreateExperiment("custom", elsewhere);
        Assert.Equal("file://" + elsewhere, allowing.GetExperiment(experimentId).ArtifactLocation);
        var custom = allowing.CreateRun(experimentId, null, 1, null, null);
        Assert.Equal($"file://{elsewhere}/{custom.Info.RunId}/artifacts", custom.Info.ArtifactUri);
        var customRepository = Assert.IsType<LocalArtifactRepository>(allowing.GetArtifactRepository(custom.Info.RunId));
        Assert.Equal(Path.Combine(elsewhere, custom.Info.RunId, "artifacts"), customRepository.LocalRoot);
    }

    [Fact]
    public void GetExperimentByName_AfterTheMetaSettled_SeesAnotherStoresRenameAndInPlaceTagRewrite()
    {
        // R.Start looks its experiment up by name on every run, so the meta's parse is reused once meta.yaml has been
        // quiet for FileStamp.SettleTime; a rewrite by another process must still show on the next lookup.
        var id = NewExperiment("exp-a");
        _store.SetExperimentTag(id, "team", "alpha");
        var meta = Path.Combine(_root, id, "meta.yaml");
        File.SetLastWriteTimeUtc(meta, DateTime.UtcNow.AddMinutes(-5)); // settled: the next lookup may keep its parse
        Assert.Equal("alpha", _store.GetExperimentByName("exp-a")!.Tags["team"]);
        Assert.Equal("alpha", _store.GetExperimentByName("exp-a")!.Tags["team"]);

        var other = new FileStore(_root); // another process: this store hears nothing of its writes
        other.SetExperimentTag(id, "team", "gamma"); // same length, rewritten in place: meta.yaml's stamp is unchanged
        Assert.Equal("gamma", _store.GetExperimentByName("exp-a")!.Tags["team"]);
        other.RenameExperiment(id, "exp-b"); // same length, a new meta.yaml written now
        Assert.Null(_store.GetExperimentByName("exp-a"));
        Assert.Equal(id, _store.GetExperimentByName("exp-b")!.ExperimentId);
        other.DeleteExperiment(id);
        Assert.Null(_store.GetExperimentByName("exp-b"));
    }

    [Fact]
    public void GetExperimentByName_ARecentMetaIsReadAgain_EvenWhenARewriteKeepsItsTimeAndLength()
    {
        // A rewrite within the file system's timestamp tick can keep meta.yaml's time and length; a parse taken less
        // than FileStamp.SettleTime after the write is therefore never reused by a lookup.
        var id = NewExperiment("exp-0");
        _store.RenameExperiment(id, "exp-a"); // from now on each rename keeps the length (last_update_time is set)
        var meta = Path.Combine(_root, id, "meta.yaml");
        var recent = DateTime.UtcNow;
        File.SetLastWriteTimeUtc(meta, recent);
        Assert.Equal(id, _store.GetExperimentByName("exp-a")!.ExperimentId);
        var length = new FileInfo(meta).Length;

        new FileStore(_root).RenameExperiment(id, "exp-b"); // another process, a name of the same length
        File.SetLastWriteTimeUtc(meta, recent); // what a rewrite in the same tick looks like
        Assert.Equal(length, new FileInfo(meta).Length);
        Assert.Null(_store.GetExperimentByName("exp-a"));
        Assert.Equal(id, _store.GetExperimentByName("exp-b")!.ExperimentId);
    }
}
