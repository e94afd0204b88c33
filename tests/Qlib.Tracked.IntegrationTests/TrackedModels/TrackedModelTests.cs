using Qlib.Tracked.Frames;
using Qlib.Tracked.Stores;

namespace Qlib.Tracked.IntegrationTests;

/// <summary>
/// Generated [Tracked] code against the real file store: log, reload by run id through a fresh
/// recorder, compare every value (doubles bit for bit, NaN and infinities included).
/// </summary>
[Collection("ambient R")]
public class TrackedModelTests
{
    private static FullModel Trained() => new()
    {
        LearningRate = 0.1 + 0.2, // 0.30000000000000004: shortest round-trip digits must survive
        Leaves = -7,
        Seed = long.MaxValue,
        EarlyStop = false,
        Subsample = 0.1f,
        Objective = "None",        // a non-nullable string keeps the text "None"
        Comment = null,            // a nullable one comes back null
        Fee = 0.10m,
        Start = new DateTime(2021, 1, 4, 9, 30, 0).AddTicks(1230),
        Booster = Booster.Goss,
        Clip = double.NegativeInfinity,
        Alphas = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0, double.Epsilon, double.MaxValue, 1e-300, 1.0 / 3],
        Features = ["a", "it's", "say \"hi\", 'you'", "line\nbreak", "[x, y]", ""],
        Boosters = [Booster.Dart, Booster.Gbdt],
        Dataset = new DatasetConfig { Class = "Alpha158", Segments = new Segments { Train = "train", Test = "test" }, Horizon = 5 },
        Window = new Window { Size = 20, Decay = double.NaN },
        Ic = double.NaN,
        TrainLoss = 0.25f,
        BestIteration = 17,
        Weights = new TreeWeights { Values = [1.5, double.NaN, -0.0], Kind = "gbdt" },
        Pred = new PredictionFrame([new DateTime(2020, 1, 2), new DateTime(2020, 1, 3)], ["SH600000", "SH600001"], [0.5, double.NaN]),
        Notes = "notes ünïcode\n",
        Blob = [0, 1, 2, 255],
        Config = new RunConfig { Name = "cfg", Folds = [1, 2, 3] },
    };

    private static string Record(TempStore store, FullModel model, int steps = 1)
    {
        string? runId = null;
        R.Run(exp =>
        {
            var recorder = exp.ActiveRecorder!;
            model.LogParams(recorder);
            for (var step = 0; step < steps; step++) model.LogMetrics(recorder, step);
            model.SaveArtifacts(recorder);
            runId = recorder.Id;
        }, experimentName: FullModel.Schema.Experiment, uri: store.Uri);
        return runId!;
    }

    private static Recorder Reopen(TempStore store, string runId)
    {
        using var _ = R.UriContext(store.Uri);
        return R.GetRecorder(recorderId: runId, experimentName: FullModel.Schema.Experiment);
    }

    private static void AssertSameBits(double expected, double actual) =>
        Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(actual));

    [Fact]
    public void Tracked_LogThenLoadByRunId_EveryValueRoundTrips()
    {
        using var store = new TempStore();
        var model = Trained();
        var runId = Record(store, model);

        var loaded = FullModel.Load(Reopen(store, runId));

        AssertSameBits(model.LearningRate, loaded.LearningRate);
        Assert.Equal(model.Leaves, loaded.Leaves);
        Assert.Equal(model.Seed, loaded.Seed);
        Assert.Equal(model.EarlyStop, loaded.EarlyStop);
        Assert.Equal(model.Subsample, loaded.Subsample);
        Assert.Equal("None", loaded.Objective);
        Assert.Null(loaded.Comment);
        Assert.Equal(model.Fee, loaded.Fee);
        Assert.Equal("0.10", loaded.Fee.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(model.Start, loaded.Start);
        Assert.Equal(model.Booster, loaded.Booster);
        Assert.Equal(model.Clip, loaded.Clip);
        Assert.Equal(model.Alphas.Length, loaded.Alphas.Length);
        for (var i = 0; i < model.Alphas.Length; i++) AssertSameBits(model.Alphas[i], loaded.Alphas[i]);
        Assert.Equal(model.Features, loaded.Features);
        Assert.Equal(model.Boosters, loaded.Boosters);
        Assert.Equal(model.Dataset with { Segments = loaded.Dataset.Segments }, loaded.Dataset);
        Assert.Equal(("train", "test"), (loaded.Dataset.Segments.Train, loaded.Dataset.Segments.Test));
        Assert.Equal(20, loaded.Window.Size);
        AssertSameBits(double.NaN, loaded.Window.Decay);

        AssertSameBits(model.Ic, loaded.Ic);
        Assert.Equal(model.TrainLoss, loaded.TrainLoss);
        Assert.Equal(model.BestIteration, loaded.BestIteration);

        Assert.Equal(model.Weights.Kind, loaded.Weights.Kind);
        Assert.Equal(model.Weights.Values.Select(BitConverter.DoubleToInt64Bits), loaded.Weights.Values.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(model.Pred!.Instrument, loaded.Pred!.Instrument);
        Assert.Equal(model.Pred.Datetime, loaded.Pred.Datetime);
        Assert.Equal(model.Pred.Score, loaded.Pred.Score);
        Assert.Equal(model.Notes, loaded.Notes);
        Assert.Equal(model.Blob, loaded.Blob);
        Assert.Equal(model.Config!.Name, loaded.Config!.Name);
        Assert.Equal(model.Config.Folds, loaded.Config.Folds);
    }

    [Fact]
    public void Tracked_LogParams_StoresPythonSpellingUnderFlattenedKeys()
    {
        using var store = new TempStore();
        var runId = Record(store, Trained());
        var stored = new FileStore(store.Root).GetRun(runId).Data.Params;

        Assert.Equal("0.30000000000000004", stored[FullModel.Names.LearningRate]);
        Assert.Equal("learning_rate", FullModel.Names.LearningRate);
        Assert.Equal("-7", stored["num_leaves"]);
        Assert.Equal("False", stored["early_stop"]);
        Assert.Equal("0.1", stored["subsample"]);
        Assert.Equal("None", stored["comment"]);
        Assert.Equal("0.10", stored["fee"]);
        Assert.Equal("2021-01-04 09:30:00.000123", stored["start"]);
        Assert.Equal("Goss", stored["booster"]);
        Assert.Equal("-inf", stored["clip"]);
        Assert.Equal("[nan, inf, -inf, -0.0, 5e-324, 1.7976931348623157e+308, 1e-300, 0.3333333333333333]", stored["alphas"]);
        Assert.Equal("['a', \"it's\", 'say \"hi\", \\'you\\'', 'line\\nbreak', '[x, y]', '']", stored["features"]);
        Assert.Equal("[Dart, Gbdt]", stored["boosters"]);
        Assert.Equal("Alpha158", stored["dataset.class"]);
        Assert.Equal("train", stored["dataset.segments.train"]);
        Assert.Equal("5", stored["dataset.horizon"]);
        Assert.Equal("nan", stored["window.decay"]);
        Assert.Equal(FullModel.Schema.Params.Order(StringComparer.Ordinal),
            stored.Keys.Where(k => k != Recorder.CommandLineParam && !k.StartsWith("_QLIB", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Tracked_LogMetrics_OneBatchPerStep_HistoryKept()
    {
        using var store = new TempStore();
        var model = Trained();
        model.Ic = 0.05;
        model.BestIteration = null; // a null metric is not logged
        var runId = Record(store, model, steps: 3);
        var files = new FileStore(store.Root);

        Assert.Equal([0L, 1, 2], files.GetMetricHistory(runId, "IC").Select(m => m.Step));
        Assert.Empty(files.GetMetricHistory(runId, "best_iteration"));
        var history = files.GetMetricHistory(runId, "train_loss");
        Assert.Equal(3, history.Count);
        Assert.Equal(0.25, history[0].Value);
    }

    [Fact]
    public void Tracked_TypedLoaders_ReadEachArtifactAsItsDeclaredType()
    {
        using var store = new TempStore();
        var runId = Record(store, Trained());
        var recorder = Reopen(store, runId);

        TreeWeights weights = FullModel.LoadWeights(recorder);
        PredictionFrame pred = FullModel.LoadPred(recorder);
        string notes = FullModel.LoadNotes(recorder);
        byte[] blob = FullModel.LoadBlob(recorder);
        RunConfig config = FullModel.LoadConfig(recorder);
        Assert.Equal("gbdt", weights.Kind);
        Assert.Equal(2, pred.RowCount);
        Assert.Equal("notes ünïcode\n", notes);
        Assert.Equal([0, 1, 2, 255], blob);
        Assert.Equal([1, 2, 3], config.Folds);
        Assert.Equal(["blob.bin", "config.json", "model", "notes.txt", "pred.parquet"],
            recorder.ListArtifacts().Where(a => !a.StartsWith("code_", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.Equal(
            [("model", "memorypack"), ("pred.parquet", "parquet"), ("notes.txt", "text"), ("blob.bin", "bytes"), ("config.json", "json")],
            FullModel.Schema.Artifacts.Select(a => (a.Name, a.Format)));
    }

    [Fact]
    public void Tracked_NullableArtifactsMissing_LoadAsNull_ParamsMissing_KeepDefaults()
    {
        using var store = new TempStore();
        var model = new FullModel { Pred = null, Notes = null, Blob = null, Config = null };
        var runId = Record(store, model);

        var loaded = FullModel.Load(Reopen(store, runId));
        Assert.Null(loaded.Pred);
        Assert.Null(loaded.Config);

        var partial = FullModel.FromParams(new Dictionary<string, string> { ["num_leaves"] = "31", ["dataset.segments.test"] = "t" });
        Assert.Equal(31, partial.Leaves);
        Assert.Equal(0.2, partial.LearningRate);
        Assert.Equal("default comment", partial.Comment);
        Assert.Equal("t", partial.Dataset.Segments.Test);
        Assert.Equal(new Segments().Train, partial.Dataset.Segments.Train);

        var bad = Assert.Throws<TrackingException>(() => FullModel.FromParams(new Dictionary<string, string> { ["num_leaves"] = "many" }));
        Assert.Contains("num_leaves", bad.Message);
    }

    [Fact]
    public void Registry_HoldsTheAssemblysTrackedTypes_FactoryBuildsFromParamsAndRuns()
    {
        var registry = TrackedModelRegistry.Default;
        Assert.Contains("it_full", registry.Names);
        Assert.Contains("Qlib.Tracked.IntegrationTests.SmallStruct", registry.Names);
        Assert.Equal(typeof(FullModel), registry.Get("it_full").ModelType);

        var built = Assert.IsType<FullModel>(registry.Create("it_full", new Dictionary<string, string> { ["learning_rate"] = "0.05", ["booster"] = "Dart" }));
        Assert.Equal(0.05, built.LearningRate);
        Assert.Equal(Booster.Dart, built.Booster);
        var small = Assert.IsType<SmallStruct>(registry.Create("Qlib.Tracked.IntegrationTests.SmallStruct", new Dictionary<string, string> { ["depth"] = "9" }));
        Assert.Equal(9, small.Depth);

        using var store = new TempStore();
        var runId = Record(store, Trained());
        var reloaded = Assert.IsType<FullModel>(registry.Get("it_full").Load(Reopen(store, runId)));
        Assert.Equal(Booster.Goss, reloaded.Booster);
        Assert.Throws<TrackingException>(() => registry.Get("nope"));
    }

    [Fact]
    public void RecordGlue_RecordSignal_SavesPredParquet_LoadSignalReadsIt()
    {
        using var store = new TempStore();
        var model = new FullModel { LearningRate = 0.5 };
        DateTime[] days = [new(2020, 1, 2), new(2020, 1, 3), new(2020, 1, 6)];
        string? runId = null;
        R.Run(exp =>
        {
            var pred = model.RecordSignal(exp.ActiveRecorder!, days);
            Assert.Equal([0.0, 0.5, 1.0], pred.Score);
            runId = exp.ActiveRecorder!.Id;
        }, experimentName: "it_signal", uri: store.Uri);

        using var _ = R.UriContext(store.Uri);
        var recorder = R.GetRecorder(recorderId: runId, experimentName: "it_signal");
        var loaded = FullModel.LoadSignal(recorder);
        Assert.Equal(days, loaded.Datetime);
        Assert.Equal(RecordArtifacts.Pred, "pred.parquet");
        IPredictor<DateTime[]> predictor = model;
        Assert.Equal(3, predictor.Predict(days).RowCount);
    }
}
