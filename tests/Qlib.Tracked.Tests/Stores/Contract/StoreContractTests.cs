using Qlib.Tracked.Artifacts;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores;

namespace Qlib.Tracked.Tests.Stores.Contract;

/// <summary>
/// The behaviour every tracking store must show, whatever its backend: one class per backend derives from this and
/// supplies a fresh, empty store. Where MLflow's own file and SQL stores answer differently, the test says so in its
/// name and asserts each side through <see cref="IsSql"/> (the list is in tests/Fixtures/mlflow-sqlite-reference/README.md).
/// </summary>
public abstract class StoreContractTests : IDisposable
{
    private ITrackingStore? _store;

    protected readonly TempDirectory Temp = new();

    /// <summary>A fresh store with no experiment but Default; skips (Skip.If) when the backend cannot run here.</summary>
    protected abstract ITrackingStore OpenStore();

    /// <summary>True for MLflow's SQL store semantics (SQLite, PostgreSQL).</summary>
    protected abstract bool IsSql { get; }

    /// <summary>
    /// True for a store that talks to a tracking server: MLflow's REST API 2.0 has no <c>deleted_time</c> field (so a run's
    /// deletion time is never known), and the server's refusals arrive as the same error code, not the same exception type.
    /// </summary>
    protected virtual bool ThroughServer => false;

    /// <summary>Where the store puts new experiments' artifacts (its default artifact root).</summary>
    protected string ArtifactRoot => Temp.Combine("artifacts");

    protected ITrackingStore Store => _store ??= OpenStore();

    /// <summary>Closes what <see cref="OpenStore"/> started besides the store (a server in front of it).</summary>
    protected virtual void DisposeBackend() { }

    public void Dispose()
    {
        (_store as IDisposable)?.Dispose();
        DisposeBackend();
        Temp.Dispose();
        GC.SuppressFinalize(this);
    }

    private const long T0 = 1_700_000_000_000;

    private Run NewRun(string? experimentId = null, string? name = "run-1", long start = T0) =>
        Store.CreateRun(experimentId ?? Store.CreateExperiment("exp-" + Guid.NewGuid().ToString("N")[..8]), null, start, null, name);

    private static TrackingException Fails(ErrorCode code, Action action)
    {
        var e = Assert.ThrowsAny<TrackingException>(action);
        Assert.Equal(code, e.Code);
        return e;
    }

    // ----- experiments -----

    [SkippableFact]
    public void NewStore_HasOnlyTheDefaultExperimentZero()
    {
        var all = Store.SearchExperiments(ViewType.All);
        var only = Assert.Single(all);
        Assert.Equal("0", only.ExperimentId);
        Assert.Equal("Default", only.Name);
        Assert.Equal(LifecycleStage.Active, only.LifecycleStage);
    }

    [SkippableFact]
    public void CreateExperiment_ReadBackByIdAndName_WithTagsAndDefaultArtifactLocation()
    {
        var id = Store.CreateExperiment("alpha", null, [new RunTag("project", "qlib"), new RunTag("mlflow.note.content", "notes")]);
        var experiment = Store.GetExperiment(id);
        Assert.Equal("alpha", experiment.Name);
        Assert.Equal(LifecycleStage.Active, experiment.LifecycleStage);
        Assert.NotNull(experiment.CreationTime);
        Assert.Equal(experiment.CreationTime, experiment.LastUpdateTime);
        Assert.Equal("qlib", experiment.Tags["project"]);
        Assert.Equal("notes", experiment.Tags["mlflow.note.content"]);
        Assert.EndsWith("/" + id, experiment.ArtifactLocation);
        Assert.Equal(id, Store.GetExperimentByName("alpha")!.ExperimentId);
        Assert.Null(Store.GetExperimentByName("no such experiment"));
    }

    [SkippableFact]
    public void CreateExperiment_TakenName_IsResourceAlreadyExists_EvenWhenDeleted()
    {
        var id = Store.CreateExperiment("taken");
        Assert.Contains("taken", Fails(ErrorCode.ResourceAlreadyExists, () => Store.CreateExperiment("taken")).Message);
        Store.DeleteExperiment(id);
        Fails(ErrorCode.ResourceAlreadyExists, () => Store.CreateExperiment("taken"));
    }

    [SkippableFact]
    public void UnknownAndMalformedIds_AreDoesNotExistAndInvalidParameter()
    {
        Fails(ErrorCode.ResourceDoesNotExist, () => Store.GetExperiment("987654"));
        Fails(ErrorCode.ResourceDoesNotExist, () => Store.GetRun("0123456789abcdef0123456789abcdef"));
        Fails(ErrorCode.ResourceDoesNotExist, () => Store.GetMetricHistory("0123456789abcdef0123456789abcdef", "m"));
        Fails(ErrorCode.InvalidParameterValue, () => Store.GetRun("../etc"));
        Fails(ErrorCode.InvalidParameterValue, () => Store.GetExperiment("../x"));
        Fails(ErrorCode.ResourceDoesNotExist, () => Store.CreateRun("987654", null, T0, null, "r"));
    }

    /// <summary>MLflow difference: the SQL store's get_experiment_by_name also finds a deleted experiment, the file store's does not.</summary>
    [SkippableFact]
    public void Difference_GetExperimentByName_OfADeletedExperiment_SqlFindsIt_FileDoesNot()
    {
        var id = Store.CreateExperiment("gone");
        Store.DeleteExperiment(id);
        var found = Store.GetExperimentByName("gone");
        if (IsSql) Assert.Equal(LifecycleStage.Deleted, found!.LifecycleStage);
        else Assert.Null(found);
    }

    [SkippableFact]
    public void DeleteExperiment_DeletesItsRuns_RestoreBringsThemBack_DefaultCannotBeDeleted()
    {
        var id = Store.CreateExperiment("lifecycle");
        var run = NewRun(id);
        Store.DeleteExperiment(id);
        Assert.Equal(LifecycleStage.Deleted, Store.GetExperiment(id).LifecycleStage);
        Assert.DoesNotContain(Store.SearchExperiments(), e => e.ExperimentId == id);
        Assert.Contains(Store.SearchExperiments(ViewType.DeletedOnly), e => e.ExperimentId == id);
        var deleted = Store.GetRun(run.Info.RunId).Info;
        Assert.Equal(LifecycleStage.Deleted, deleted.LifecycleStage);
        if (!ThroughServer) Assert.NotNull(deleted.DeletedTime);
        Fails(ErrorCode.InvalidState, () => Store.CreateRun(id, null, T0, null, "late"));

        Store.RestoreExperiment(id);
        Assert.Equal(LifecycleStage.Active, Store.GetExperiment(id).LifecycleStage);
        var restored = Store.GetRun(run.Info.RunId).Info;
        Assert.Equal(LifecycleStage.Active, restored.LifecycleStage);
        Assert.Null(restored.DeletedTime);
        Fails(ErrorCode.InvalidParameterValue, () => Store.DeleteExperiment("0"));
    }

    [SkippableFact]
    public void RenameExperiment_ChangesTheName_RefusesATakenOne_AndDeletedExperiments()
    {
        var a = Store.CreateExperiment("a");
        Store.CreateExperiment("b");
        Store.RenameExperiment(a, "a2");
        Assert.Equal("a2", Store.GetExperiment(a).Name);
        Assert.Null(Store.GetExperimentByName("a"));
        Store.DeleteExperiment(a);
        Fails(ErrorCode.InvalidState, () => Store.RenameExperiment(a, "a3"));
        Fails(ErrorCode.InvalidParameterValue, () => Store.SetExperimentTag(a, "k", "v"));
    }

    /// <summary>
    /// MLflow difference: renaming to a taken name is RESOURCE_ALREADY_EXISTS on the file store, BAD_REQUEST on the SQL
    /// store (MLflow lets the UNIQUE constraint refuse it; the server answers both with HTTP 400). Nothing changes.
    /// </summary>
    [SkippableFact]
    public void Difference_RenameToATakenName_SqlAnswersBadRequest()
    {
        var a = Store.CreateExperiment("a");
        var b = Store.CreateExperiment("b");
        var e = Fails(IsSql ? ErrorCode.BadRequest : ErrorCode.ResourceAlreadyExists, () => Store.RenameExperiment(a, "b"));
        Assert.Equal(IsSql ? "BAD_REQUEST" : "RESOURCE_ALREADY_EXISTS", e.MlflowErrorCode);
        Assert.Contains("'b'", e.Message);
        Assert.Equal("a", Store.GetExperiment(a).Name);
        Assert.Equal(b, Store.GetExperimentByName("b")!.ExperimentId);
    }

    [SkippableFact]
    public void SetExperimentTag_Overwrites()
    {
        var id = Store.CreateExperiment("tagged");
        Store.SetExperimentTag(id, "k", "1");
        Store.SetExperimentTag(id, "k", "2");
        Assert.Equal("2", Store.GetExperiment(id).Tags["k"]);
    }

    [SkippableFact]
    public void SearchExperiments_FiltersOrdersAndPages()
    {
        foreach (var name in new[] { "exp-c", "exp-a", "exp-b", "other" }) Store.CreateExperiment(name);
        var page1 = Store.SearchExperiments("name LIKE 'exp-%'", ViewType.ActiveOnly, 2, ["name ASC"]);
        Assert.Equal(["exp-a", "exp-b"], page1.Items.Select(e => e.Name));
        Assert.NotNull(page1.NextPageToken);
        var page2 = Store.SearchExperiments("name LIKE 'exp-%'", ViewType.ActiveOnly, 2, ["name ASC"], page1.NextPageToken);
        Assert.Equal(["exp-c"], page2.Items.Select(e => e.Name));
        Assert.Null(page2.NextPageToken);
        Fails(ErrorCode.InvalidParameterValue, () => Store.SearchExperiments("name = ", ViewType.ActiveOnly, 10));
    }

    // ----- runs -----

    [SkippableFact]
    public void CreateRun_RecordsInfoAndNameTag_UnknownUserIsUnknown()
    {
        var experimentId = Store.CreateExperiment("runs");
        var run = Store.CreateRun(experimentId, null, T0, [new RunTag("origin", "test")], "my-run");
        Assert.Equal(32, run.Info.RunId.Length);
        var info = Store.GetRun(run.Info.RunId).Info;
        Assert.Equal(experimentId, info.ExperimentId);
        Assert.Equal("my-run", info.RunName);
        Assert.Equal("unknown", info.UserId);
        Assert.Equal(RunStatus.Running, info.Status);
        Assert.Equal(T0, info.StartTime);
        Assert.Null(info.EndTime);
        Assert.EndsWith($"/{experimentId}/{run.Info.RunId}/artifacts", info.ArtifactUri);
        var tags = Store.GetRun(run.Info.RunId).Data.Tags;
        Assert.Equal("my-run", tags["mlflow.runName"]);
        Assert.Equal("test", tags["origin"]);
    }

    [SkippableFact]
    public void CreateRun_NameArgumentAndTagMustAgree_NoNameGetsAGeneratedOne()
    {
        var experimentId = Store.CreateExperiment("names");
        Fails(ErrorCode.InvalidParameterValue, () => Store.CreateRun(experimentId, null, T0, [new RunTag("mlflow.runName", "x")], "y"));
        var generated = Store.CreateRun(experimentId, "alice", T0, null, null);
        Assert.Matches("^[a-z]+-[a-z]+-[0-9]+$", generated.Info.RunName);
        Assert.Equal("alice", Store.GetRun(generated.Info.RunId).Info.UserId);
    }

    [SkippableFact]
    public void UpdateRunInfo_SetsStatusEndTimeAndName_KeepingTheNameTagInSync()
    {
        var run = NewRun();
        Store.UpdateRunInfo(run.Info.RunId, RunStatus.Finished, T0 + 5, "renamed");
        var read = Store.GetRun(run.Info.RunId);
        Assert.Equal(RunStatus.Finished, read.Info.Status);
        Assert.Equal(T0 + 5, read.Info.EndTime);
        Assert.Equal("renamed", read.Info.RunName);
        Assert.Equal("renamed", read.Data.Tags["mlflow.runName"]);
        Store.SetTag(run.Info.RunId, new RunTag("mlflow.runName", "by-tag"));
        Assert.Equal("by-tag", Store.GetRun(run.Info.RunId).Info.RunName);
    }

    [SkippableFact]
    public void UpdateRunInfo_ReturnsTheStoredInfo_KeepsTheNameWhenNoneIsGiven_UnknownRunIsDoesNotExist()
    {
        var run = NewRun();
        var returned = Store.UpdateRunInfo(run.Info.RunId, RunStatus.Failed, T0 + 7, null);
        Assert.Equal(RunStatus.Failed, returned.Status);
        Assert.Equal(T0 + 7, returned.EndTime);
        Assert.Equal(run.Info.RunName, returned.RunName);
        if (IsSql) Assert.Equal(Store.GetRun(run.Info.RunId).Info, returned);
        Assert.Equal(run.Info.RunName, Store.GetRun(run.Info.RunId).Data.Tags["mlflow.runName"]);
        Fails(ErrorCode.ResourceDoesNotExist, () => Store.UpdateRunInfo("0123456789abcdef0123456789abcdef", RunStatus.Finished, T0, null));
    }

    [SkippableFact]
    public void DeleteRun_SetsStageAndDeletedTime_RefusesWrites_RestoreClearsIt()
    {
        var run = NewRun();
        var id = run.Info.RunId;
        Store.DeleteRun(id);
        var deleted = Store.GetRun(id).Info;
        Assert.Equal(LifecycleStage.Deleted, deleted.LifecycleStage);
        if (!ThroughServer) Assert.NotNull(deleted.DeletedTime);
        var e = Fails(ErrorCode.InvalidParameterValue, () => Store.LogMetric(id, new Metric("m", 1, T0, 0)));
        Assert.Contains("must be in the 'active' state", e.Message);
        Fails(ErrorCode.InvalidParameterValue, () => Store.UpdateRunInfo(id, RunStatus.Finished, T0, null));
        Assert.Empty(Store.SearchRuns([run.Info.ExperimentId], null, ViewType.ActiveOnly, 10, null, null).Items);
        Assert.Single(Store.SearchRuns([run.Info.ExperimentId], null, ViewType.DeletedOnly, 10, null, null).Items);
        Store.RestoreRun(id);
        Assert.Null(Store.GetRun(id).Info.DeletedTime);
        Assert.Equal(LifecycleStage.Active, Store.GetRun(id).Info.LifecycleStage);
        Fails(ErrorCode.ResourceDoesNotExist, () => Store.DeleteRun("0123456789abcdef0123456789abcdef"));
    }

    [SkippableFact]
    public void DeleteTag_RemovesIt_UnknownTagIsDoesNotExist()
    {
        var run = NewRun();
        Store.SetTag(run.Info.RunId, new RunTag("k", "v"));
        Store.DeleteTag(run.Info.RunId, "k");
        Assert.False(Store.GetRun(run.Info.RunId).Data.Tags.ContainsKey("k"));
        Fails(ErrorCode.ResourceDoesNotExist, () => Store.DeleteTag(run.Info.RunId, "k"));
    }

    [SkippableFact]
    public void CountRuns_ByView()
    {
        var experimentId = Store.CreateExperiment("counted");
        var runs = Enumerable.Range(0, 3).Select(i => NewRun(experimentId, "r" + i)).ToList();
        Store.DeleteRun(runs[0].Info.RunId);
        Assert.Equal(2, Store.CountRuns(experimentId, ViewType.ActiveOnly));
        Assert.Equal(new RunCounts(2, 1), Store.CountRunsByStage(experimentId));
    }

    // ----- LogBatch -----

    [SkippableFact]
    public void LogBatch_RoundTripsMetricsParamsTags_LatestIsHighestStepThenTimestampThenValue()
    {
        var id = NewRun().Info.RunId;
        Store.LogBatch(id,
            [new Metric("loss", 0.5, T0 + 1, 1), new Metric("loss", 0.9, T0 + 9, 0), new Metric("loss", 0.4, T0 + 2, 1), new Metric("acc", 0.7, T0, 3)],
            [new Param("lr", "0.01"), new Param("layers", "3")],
            [new RunTag("model", "LGB")]);
        Store.LogBatch(id, [new Metric("loss", 0.3, T0 + 2, 1)], [], []); // same step and time, higher value? no: lower value loses
        var run = Store.GetRun(id);
        Assert.Equal(new Metric("loss", 0.4, T0 + 2, 1), run.Data.Metrics["loss"]);
        Assert.Equal(0.7, run.Data.Metrics["acc"].Value);
        Assert.Equal("0.01", run.Data.Params["lr"]);
        Assert.Equal("3", run.Data.Params["layers"]);
        Assert.Equal("LGB", run.Data.Tags["model"]);
        Assert.Equal([0.5, 0.9, 0.4, 0.3], Store.GetMetricHistory(id, "loss").Select(m => m.Value));
        Assert.Empty(Store.GetMetricHistory(id, "never-logged"));
    }

    [SkippableFact]
    public void LogBatch_InterleavedKeys_EachHistoryKeepsTheOrderLogged()
    {
        var id = NewRun().Info.RunId;
        // Keys interleaved, steps and times out of order within each key.
        Store.LogBatch(id,
            [new Metric("b", 1, T0 + 5, 9), new Metric("a", 2, T0 + 1, 3), new Metric("c", 3, T0, 0), new Metric("a", 4, T0, 1),
             new Metric("b", 5, T0 + 2, 2), new Metric("a", 6, T0 + 3, 2)], [], []);
        Store.LogBatch(id, [new Metric("a", 7, T0, 0), new Metric("c", 8, T0 + 1, 5), new Metric("b", 9, T0, 1)], [], []);
        Assert.Equal([2.0, 4, 6, 7], Store.GetMetricHistory(id, "a").Select(m => m.Value));
        Assert.Equal([1.0, 5, 9], Store.GetMetricHistory(id, "b").Select(m => m.Value));
        Assert.Equal([3.0, 8], Store.GetMetricHistory(id, "c").Select(m => m.Value));
        Assert.Equal([T0 + 5, T0 + 2, T0], Store.GetMetricHistory(id, "b").Select(m => m.Timestamp));
        var latest = Store.GetRun(id).Data.Metrics;
        Assert.Equal(new Metric("a", 2, T0 + 1, 3), latest["a"]);
        Assert.Equal(new Metric("b", 1, T0 + 5, 9), latest["b"]);
        Assert.Equal(new Metric("c", 8, T0 + 1, 5), latest["c"]);
    }

    /// <summary>MLflow difference: the SQL store's primary key drops an exact duplicate point; the file store appends it again.</summary>
    [SkippableFact]
    public void Difference_ExactDuplicatePoint_SqlIgnoresIt_FileKeepsIt()
    {
        var id = NewRun().Info.RunId;
        Store.LogMetric(id, new Metric("m", 1.5, T0, 2));
        Store.LogBatch(id, [new Metric("m", 1.5, T0, 2), new Metric("m", 1.5, T0, 2), new Metric("m", 2.5, T0, 2)], [], []);
        var history = Store.GetMetricHistory(id, "m").Select(m => m.Value).ToArray();
        Assert.Equal(IsSql ? [1.5, 2.5] : [1.5, 1.5, 1.5, 2.5], history);
        Assert.Equal(2.5, Store.GetRun(id).Data.Metrics["m"].Value);
    }

    /// <summary>
    /// The ranged read behind <c>metrics/get-history</c>'s pages: pages of any size concatenate to the whole history in
    /// its order — with equal steps and timestamps, NaN and ±inf, another key interleaved and two batches — and
    /// the edges (past the end, size 0, a key never logged, negative arguments, an unknown run) answer as the whole read would.
    /// </summary>
    [SkippableFact]
    public void GetMetricHistoryRange_PagesConcatenateToTheWholeHistoryInOrder()
    {
        var id = NewRun().Info.RunId;
        var logged = Enumerable.Range(0, 23).Select(i => new Metric("m", i switch
        {
            3 => double.NaN,
            7 => double.PositiveInfinity,
            11 => double.NegativeInfinity,
            _ => 100 - (i * 0.5),
        }, T0 + (i % 3), i / 4)).ToList();
        Store.LogBatch(id, [.. logged.Take(13), new Metric("other", 1, T0, 0)], [], []);
        Store.LogBatch(id, [new Metric("other", 2, T0, 1), .. logged.Skip(13)], [], []);

        var whole = Store.GetMetricHistory(id, "m");
        double Stored(double value) => IsSql && double.IsInfinity(value) ? Math.CopySign(double.MaxValue, value) : value;
        Assert.Equal(logged.Select(m => m with { Value = Stored(m.Value) }), whole);
        foreach (var size in new[] { 1, 4, 22, 23, 50 })
        {
            var pages = new List<Metric>();
            for (var offset = 0; ; offset += size)
            {
                var page = Store.GetMetricHistory(id, "m", offset, size);
                Assert.True(page.Count <= size, $"a page of {size} held {page.Count} points");
                pages.AddRange(page);
                if (page.Count < size) break;
            }
            Assert.Equal(whole, pages);
        }
        Assert.Equal(whole.Skip(5).Take(7), Store.GetMetricHistory(id, "m", 5, 7));
        Assert.Empty(Store.GetMetricHistory(id, "m", 23, 5));
        Assert.Empty(Store.GetMetricHistory(id, "m", int.MaxValue, int.MaxValue));
        Assert.Empty(Store.GetMetricHistory(id, "m", 0, 0));
        Assert.Empty(Store.GetMetricHistory(id, "never-logged", 0, 10));
        Assert.Contains("-1", Fails(ErrorCode.InvalidParameterValue, () => Store.GetMetricHistory(id, "m", -1, 5)).Message);
        Assert.Contains("-2", Fails(ErrorCode.InvalidParameterValue, () => Store.GetMetricHistory(id, "m", 0, -2)).Message);
        Fails(ErrorCode.ResourceDoesNotExist, () => Store.GetMetricHistory("0123456789abcdef0123456789abcdef", "m", 0, 10));
    }

    [SkippableFact]
    public void ParamImmutability_SameValueIsANoOp_AnotherValueFailsTheWholeBatchWithMlflowsMessage()
    {
        var id = NewRun().Info.RunId;
        Store.LogParam(id, new Param("lr", "0.1"));
        Store.LogParam(id, new Param("lr", "0.1"));
        var e = Fails(ErrorCode.InvalidParameterValue, () => Store.LogBatch(id,
            [new Metric("m", 1, T0, 0)], [new Param("fresh", "x"), new Param("lr", "0.2")], [new RunTag("t", "v")]));
        // A store in front of a server adds where the message came from after MLflow's words.
        Assert.StartsWith(
            $"Changing param values is not allowed. Param with key='lr' was already logged with value='0.1' for run ID='{id}'. Attempted logging new value '0.2'.",
            e.Message);
        var run = Store.GetRun(id);
        Assert.Equal("0.1", run.Data.Params["lr"]);
        Assert.False(run.Data.Params.ContainsKey("fresh"));
        Assert.Empty(run.Data.Metrics);
        Assert.False(run.Data.Tags.ContainsKey("t"));
    }

    [SkippableFact]
    public void LogBatch_DuplicateParamKeysOversizedBatchesAndBadValues_AreRefusedWritingNothing()
    {
        var id = NewRun().Info.RunId;
        Fails(ErrorCode.InvalidParameterValue, () => Store.LogBatch(id, [], [new Param("a", "1"), new Param("a", "2")], []));
        Fails(ErrorCode.InvalidParameterValue, () => Store.LogBatch(id, Enumerable.Range(0, 1001).Select(i => new Metric("m", i, T0, i)).ToList(), [], []));
        // A server cuts such a value to 6,000 characters instead, as MLflow's server does (ServerSafetyTests checks it).
        if (!ThroughServer) Fails(ErrorCode.InvalidParameterValue, () => Store.LogBatch(id, [new Metric("ok", 1, T0, 0)], [new Param("big", new string('x', 6001))], []));
        Fails(ErrorCode.InvalidParameterValue, () => Store.LogMetric(id, new Metric("m", 1, -1, 0)));
        var run = Store.GetRun(id);
        Assert.Empty(run.Data.Metrics);
        Assert.Empty(run.Data.Params);
    }

    [SkippableFact]
    public void Limits_AtTheMaximumAreStored()
    {
        var id = NewRun().Info.RunId;
        var metrics = Enumerable.Range(0, 999).Select(i => new Metric("k" + (i % 10), i, T0 + i, i / 10)).ToList(); // + 1 param = 1,000 items
        var value = new string('p', 6000);
        Store.LogBatch(id, metrics, [new Param("long", value)], []);
        Store.SetTag(id, new RunTag("long", new string('t', 5000)));
        var run = Store.GetRun(id);
        Assert.Equal(10, run.Data.Metrics.Count);
        Assert.Equal(989, run.Data.Metrics["k9"].Value);
        Assert.Equal(100, Store.GetMetricHistory(id, "k3").Count);
        Assert.Equal(value, run.Data.Params["long"]);
        Assert.Equal(5000, run.Data.Tags["long"].Length);
    }

    [SkippableFact]
    public void Unicode_KeysValuesAndNames_RoundTrip()
    {
        var experimentId = Store.CreateExperiment("实验 ✓ ü");
        var id = Store.CreateRun(experimentId, "José", T0, null, "läuft-🚀").Info.RunId;
        Store.LogBatch(id, [new Metric("损失", 0.25, T0, 0)], [new Param("模型", "LightGBM — ✓ 🚀")], [new RunTag("note", "naïve ☃ \u00e9\u0301")]);
        var run = Store.GetRun(id);
        Assert.Equal("läuft-🚀", run.Info.RunName);
        Assert.Equal("José", run.Info.UserId);
        Assert.Equal(0.25, run.Data.Metrics["损失"].Value);
        Assert.Equal("LightGBM — ✓ 🚀", run.Data.Params["模型"]);
        Assert.Equal("naïve ☃ \u00e9\u0301", run.Data.Tags["note"]);
        Assert.Equal(experimentId, Store.GetExperimentByName("实验 ✓ ü")!.ExperimentId);
        Assert.Single(Store.SearchRuns([experimentId], "params.`模型` LIKE '%🚀'", ViewType.ActiveOnly, 10, null, null).Items);
    }

    /// <summary>
    /// NaN round-trips as NaN everywhere. MLflow difference: the SQL store keeps ±inf as ±1.7976931348623157e308 (its
    /// FLOAT column), the file store as ±inf.
    /// </summary>
    [SkippableFact]
    public void Difference_NaNAndInfinities_InfinityIsMaxDoubleOnSql()
    {
        var id = NewRun().Info.RunId;
        Store.LogBatch(id, [new Metric("nan", double.NaN, T0, 0), new Metric("pinf", double.PositiveInfinity, T0, 0), new Metric("ninf", double.NegativeInfinity, T0, 0)], [], []);
        var metrics = Store.GetRun(id).Data.Metrics;
        Assert.True(double.IsNaN(metrics["nan"].Value));
        Assert.True(double.IsNaN(Store.GetMetricHistory(id, "nan")[0].Value));
        Assert.Equal(IsSql ? double.MaxValue : double.PositiveInfinity, metrics["pinf"].Value);
        Assert.Equal(IsSql ? -double.MaxValue : double.NegativeInfinity, metrics["ninf"].Value);
        Assert.Equal(IsSql ? double.MaxValue : double.PositiveInfinity, Store.GetMetricHistory(id, "pinf")[0].Value);
    }

    // ----- dataset inputs -----

    private static DatasetInput Input(string name, string digest = "3efaaf32", string source = "{\"uri\": \"file:///data/train.npy\"}",
        string? schema = "{\"mlflow_tensorspec\": {}}", string? profile = "{\"features_shape\": [3, 2]}", string context = "training") =>
        new(new Dataset(name, digest, "local", source, schema, profile), new Dictionary<string, string> { ["mlflow.data.context"] = context });

    private static DatasetInput[] Sorted(IEnumerable<DatasetInput> inputs) => [.. inputs.OrderBy(i => i.Dataset.Name, StringComparer.Ordinal)];

    private static void SameInput(DatasetInput expected, DatasetInput actual)
    {
        Assert.Equal(expected.Dataset, actual.Dataset);
        Assert.Equal(expected.Tags.OrderBy(t => t.Key, StringComparer.Ordinal), actual.Tags.OrderBy(t => t.Key, StringComparer.Ordinal));
    }

    [SkippableFact]
    public void LogInputs_ReadBackThroughGetRunAndSearch_WhichFiltersOnDatasets()
    {
        var experimentId = Store.CreateExperiment("inputs");
        var run = NewRun(experimentId, "with-inputs").Info.RunId;
        var other = NewRun(experimentId, "without").Info.RunId;
        var train = Input("train_ds");
        var eval = Input("eval_ds", "0a1b2c3d", schema: null, profile: null, context: "eval");
        Store.LogInputs(run, [train, eval]);

        var read = Sorted(Store.GetRun(run).Inputs);
        Assert.Equal(2, read.Length);
        SameInput(eval, read[0]);
        SameInput(train, read[1]);
        Assert.Empty(Store.GetRun(other).Inputs);

        var found = Store.SearchRuns([experimentId], "datasets.name = 'train_ds'", ViewType.ActiveOnly, 10, null, null).Items;
        Assert.Equal([run], found.Select(r => r.Info.RunId));
        Assert.Equal(2, found[0].Inputs.Count);
        Assert.Equal(["with-inputs"], Names(experimentId, "datasets.context = 'eval'"));
        Assert.Equal(["with-inputs"], Names(experimentId, "datasets.digest IN ('0a1b2c3d', 'ffff')"));
        Assert.Empty(Names(experimentId, "datasets.name LIKE 'test%'"));
        // A search returns whole runs, inputs included, whatever the filter names.
        SameInput(train, Sorted(Store.SearchRuns([experimentId], "attributes.run_name = 'with-inputs'", ViewType.ActiveOnly, 10, null, null).Items[0].Inputs)[1]);
    }

    [SkippableFact]
    public void LogInputs_TheSameDatasetAgain_IsStoredOnce_KeepingWhatWasLoggedFirst()
    {
        var experimentId = Store.CreateExperiment("dedup");
        var first = NewRun(experimentId, "first").Info.RunId;
        var second = NewRun(experimentId, "second").Info.RunId;
        var original = Input("train_ds");
        Store.LogInputs(first, [original, Input("train_ds", context: "eval")]);
        Store.LogInputs(first, [Input("train_ds", source: "{\"uri\": \"elsewhere\"}", context: "eval")]);
        SameInput(original, Assert.Single(Store.GetRun(first).Inputs));

        // The experiment holds one dataset per name and digest: another run's input of it reads the first source,
        // with its own tags; another digest is another dataset.
        Store.LogInputs(second, [Input("train_ds", source: "{\"uri\": \"elsewhere\"}", context: "eval"), Input("train_ds", digest: "99999999")]);
        var seen = Store.GetRun(second).Inputs.OrderBy(i => i.Dataset.Digest, StringComparer.Ordinal).ToArray();
        Assert.Equal(2, seen.Length);
        Assert.Equal(original.Dataset, seen[0].Dataset);
        Assert.Equal("eval", seen[0].Tags["mlflow.data.context"]);
        Assert.Equal("99999999", seen[1].Dataset.Digest);

        // Datasets belong to their experiment: the same name and digest elsewhere keeps its own source.
        var elsewhere = NewRun(Store.CreateExperiment("dedup-2"), "elsewhere").Info.RunId;
        var own = Input("train_ds", source: "{\"uri\": \"s3://bucket/train\"}");
        Store.LogInputs(elsewhere, [own]);
        SameInput(own, Assert.Single(Store.GetRun(elsewhere).Inputs));
    }

    [SkippableFact]
    public void LogInputs_UnknownOrDeletedRunsAndFieldsOverMlflowsLimits_AreRefusedWritingNothing()
    {
        Fails(ErrorCode.ResourceDoesNotExist, () => Store.LogInputs("0123456789abcdef0123456789abcdef", [Input("train_ds")]));
        var run = NewRun();
        var id = run.Info.RunId;
        var name = Fails(ErrorCode.InvalidParameterValue, () => Store.LogInputs(id, [Input("ok"), Input(new string('n', 501))]));
        Assert.Contains("Dataset name exceeds the maximum length of 500", name.Message);
        var digest = Fails(ErrorCode.InvalidParameterValue, () => Store.LogInputs(id, [Input("ok", digest: new string('d', 37))]));
        Assert.Contains("Dataset digest exceeds the maximum length of 36", digest.Message);
        var tag = Fails(ErrorCode.InvalidParameterValue, () => Store.LogInputs(id, [Input("ok", context: new string('c', 501))]));
        Assert.Contains("InputTag value exceeds the maximum length of 500", tag.Message);
        Assert.Empty(Store.GetRun(id).Inputs);
        // At the limits, everything is stored.
        var longest = Input(new string('n', 500), digest: new string('d', 36), context: new string('c', 500));
        Store.LogInputs(id, [longest]);
        SameInput(longest, Assert.Single(Store.GetRun(id).Inputs));

        Store.DeleteRun(id);
        var deleted = Fails(ErrorCode.InvalidParameterValue, () => Store.LogInputs(id, [Input("late")]));
        Assert.Contains("must be in the 'active' state", deleted.Message);
        Assert.Single(Store.GetRun(id).Inputs);
    }

    // ----- search -----

    private (string ExperimentId, Dictionary<string, string> Ids) SearchCorpus()
    {
        var experimentId = Store.CreateExperiment("search");
        var ids = new Dictionary<string, string>();
        void Add(string name, long start, double? loss, string? lr, string? model)
        {
            var id = Store.CreateRun(experimentId, null, start, null, name).Info.RunId;
            ids[name] = id;
            var metrics = loss is { } l ? new List<Metric> { new("loss", l, start, 0) } : [];
            var parameters = lr is { } p ? new List<Param> { new("lr", p) } : [];
            var tags = model is { } m ? new List<RunTag> { new("model", m) } : [];
            Store.LogBatch(id, metrics, parameters, tags);
        }
        Add("a", T0 + 1, 0.5, "0.1", "LGBModel");
        Add("b", T0 + 2, 0.2, "0.01", "XGBModel");
        Add("c", T0 + 3, null, "0.1", "Linear");
        Add("d", T0 + 4, 0.9, null, null);
        Add("e", T0 + 5, double.NaN, "1", "lgb");
        Store.UpdateRunInfo(ids["b"], RunStatus.Finished, T0 + 100, null);
        return (experimentId, ids);
    }

    private string[] Names(string experimentId, string? filter, params string[] orderBy) =>
        Store.SearchRuns([experimentId], filter, ViewType.ActiveOnly, 100, orderBy, null).Items.Select(r => r.Info.RunName).ToArray();

    [SkippableFact]
    public void Search_NaturalOrderIsStartTimeDesc_FiltersOnEveryKind()
    {
        var (exp, _) = SearchCorpus();
        Assert.Equal(["e", "d", "c", "b", "a"], Names(exp, null));
        Assert.Equal(["c", "a"], Names(exp, "params.lr = '0.1'"));
        Assert.Equal(["b", "a"], Names(exp, "metrics.loss < 0.6 AND metrics.loss > 0.1"));
        Assert.Equal(["b"], Names(exp, "attributes.status = 'FINISHED'"));
        Assert.Equal(["b"], Names(exp, "attributes.end_time > 0"));
        Assert.Equal(["d", "c"], Names(exp, "attributes.start_time >= 1700000000003 AND attributes.start_time < 1700000000005"));
        Assert.Equal(["a"], Names(exp, "attributes.run_name = 'a'"));
        Assert.Equal(["e", "d", "b", "a"], Names(exp, "tags.`mlflow.runName` != 'c'"));
    }

    [SkippableFact]
    public void Search_LikeIsCaseSensitive_ILikeIsNot_OnEveryBackend()
    {
        var (exp, _) = SearchCorpus();
        Assert.Equal(["e"], Names(exp, "tags.model LIKE '%gb%'"));
        Assert.Equal(["e", "b", "a"], Names(exp, "tags.model ILIKE '%gb%'"));
    }

    [SkippableFact]
    public void Search_OrderByMetricAndParam_MissingValuesLastInBothDirections_RunIdIn()
    {
        var (exp, ids) = SearchCorpus();
        Assert.Equal(["b", "a", "d", "e", "c"], Names(exp, null, "metrics.loss ASC"));
        Assert.Equal(["d", "a", "b", "e", "c"], Names(exp, null, "metrics.loss DESC"));
        Assert.Equal(["b", "c", "a", "e", "d"], Names(exp, null, "params.lr ASC", "attributes.start_time DESC"));
        Assert.Equal(["a", "d"], Names(exp, $"attributes.run_id IN ('{ids["a"]}', '{ids["d"]}')", "attributes.run_name ASC"));
    }

    [SkippableFact]
    public void Search_ReturnsWholeRuns_WhateverKeysTheFilterAndOrderName()
    {
        var (exp, ids) = SearchCorpus();
        var found = Store.SearchRuns([exp], "params.lr = '0.1'", ViewType.ActiveOnly, 10, ["metrics.loss DESC"], null).Items;
        Assert.Equal(["a", "c"], found.Select(r => r.Info.RunName));
        foreach (var run in found)
        {
            var whole = Store.GetRun(run.Info.RunId);
            Assert.Equal(whole.Info, run.Info);
            Assert.Equal(whole.Data.Params.OrderBy(p => p.Key, StringComparer.Ordinal), run.Data.Params.OrderBy(p => p.Key, StringComparer.Ordinal));
            Assert.Equal(whole.Data.Tags.OrderBy(p => p.Key, StringComparer.Ordinal), run.Data.Tags.OrderBy(p => p.Key, StringComparer.Ordinal));
            Assert.Equal(whole.Data.Metrics.OrderBy(p => p.Key, StringComparer.Ordinal), run.Data.Metrics.OrderBy(p => p.Key, StringComparer.Ordinal));
        }
        Assert.Equal("LGBModel", found[0].Data.Tags["model"]); // a tag neither the filter nor the order names
        Assert.Equal(ids["a"], found[0].Info.RunId);
    }

    [SkippableFact]
    public void Search_PagesWithTokens_AndRefusesBadInputWithInvalidParameter()
    {
        var (exp, _) = SearchCorpus();
        var seen = new List<string>();
        string? token = null;
        do
        {
            var page = Store.SearchRuns([exp], null, ViewType.ActiveOnly, 2, null, token);
            Assert.True(page.Items.Count <= 2);
            seen.AddRange(page.Items.Select(r => r.Info.RunName));
            token = page.NextPageToken;
        } while (token is not null);
        Assert.Equal(["e", "d", "c", "b", "a"], seen);
        Fails(ErrorCode.InvalidParameterValue, () => Store.SearchRuns([exp], "metrics.loss >", ViewType.ActiveOnly, 10, null, null));
        Fails(ErrorCode.InvalidParameterValue, () => Store.SearchRuns([exp], null, ViewType.ActiveOnly, 0, null, null));
        Fails(ErrorCode.InvalidParameterValue, () => Store.SearchRuns([exp], null, ViewType.ActiveOnly, 10, ["metrics.loss SIDEWAYS"], null));
        Fails(ErrorCode.InvalidParameterValue, () => Store.SearchRuns([exp], null, ViewType.ActiveOnly, 10, null, "not a token"));
        Assert.Empty(Store.SearchRuns(["987654"], null, ViewType.ActiveOnly, 10, null, null).Items);
    }

    /// <summary>MLflow difference: the SQL store compares a NaN metric through its stored 0; the file store as IEEE NaN (only != matches).</summary>
    [SkippableFact]
    public void Difference_NaNMetricInFilters_SqlComparesItsStoredZero()
    {
        var (exp, _) = SearchCorpus();
        Assert.Equal(IsSql ? ["e", "d", "b", "a"] : ["d", "b", "a"], Names(exp, "metrics.loss > -1"));
        Assert.Equal(IsSql ? ["d", "b", "a"] : ["e", "d", "b", "a"], Names(exp, "metrics.loss != 0"));
        Assert.Equal(IsSql ? ["e"] : [], Names(exp, "metrics.loss = 0"));
    }

    /// <summary>MLflow difference: the SQL store refuses an order_by naming one field twice; the file store accepts it.</summary>
    [SkippableFact]
    public void Difference_DuplicateOrderByField_SqlRefusesIt()
    {
        var (exp, _) = SearchCorpus();
        string[] orderBy = ["metrics.loss ASC", "metrics.loss DESC"];
        if (IsSql)
            Assert.Contains("`order_by` contains duplicate fields", Fails(ErrorCode.InvalidParameterValue, () => Names(exp, null, orderBy)).Message);
        else
            Assert.Equal(["b", "a", "d", "e", "c"], Names(exp, null, orderBy));
    }

    // ----- artifacts -----

    [SkippableFact]
    public void Artifacts_DefaultLocationIsUnderTheDefaultRoot_ExplicitLocationsOutsideTheRootsAreRefused()
    {
        var run = NewRun();
        var repository = Assert.IsType<LocalArtifactRepository>(Store.GetArtifactRepository(run.Info.RunId));
        Assert.EndsWith(Path.Combine(run.Info.ExperimentId, run.Info.RunId, "artifacts"), repository.LocalRoot);
        var source = Temp.Combine("model.txt");
        File.WriteAllText(source, "weights");
        repository.LogArtifact(source, null);
        Assert.Equal("weights", File.ReadAllText(Path.Combine(repository.LocalRoot, "model.txt")));
        var outside = Path.Combine(TempDirectory.Parent, "outside-" + Guid.NewGuid().ToString("N")); // named only: the store must refuse it
        var denied = Fails(ErrorCode.PermissionDenied, () => Store.CreateExperiment("escapes", outside));
        if (!ThroughServer) Assert.IsType<ArtifactLocationNotAllowedException>(denied);
    }
}
