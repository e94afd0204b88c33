using Qlib.Tracked;
using Qlib.Tracked.Frames;
using Qlib.Tracked.Records;

// Ad hoc tags this sample sets with R.SetTags (the analyzers check tag names against the known ones).
[assembly: KnownTrackingNames(TrackingNameKind.Tag, "hostname", "sample")]

namespace QuickStart;

/// <summary>Settings of one QuickStart run (all have command-line switches).</summary>
public sealed record QuickStartOptions
{
    public string? Uri { get; init; }
    public string ExperimentName { get; init; } = "quickstart";
    public int Seed { get; init; } = 42;
    public int Instruments { get; init; } = 300;
    public int Days { get; init; } = 250;
    public int Features { get; init; } = 6;
    public double[] Alphas { get; init; } = [0.1, 1, 10, 100, 1000, 10000];
}

/// <summary>What a QuickStart run produced, for printing and for tests.</summary>
public sealed record QuickStartResult(
    string RunId,
    string ExperimentId,
    string RunFolder,
    double BestAlpha,
    IReadOnlyDictionary<string, double> Metrics,
    RidgeModel Model,
    IReadOnlyList<KeyValuePair<string, double>> RecordMetrics);

/// <summary>
/// The newcomer's first workflow: make a seeded market panel, choose a ridge penalty on a validation
/// window (one step per candidate), refit, evaluate on the test window, and record everything as one
/// run through generated [Tracked] code (<see cref="QuickStartTask"/>, <see cref="ValidationStep"/>):
/// params, per-step and final metrics, the model (MemoryPack) and its predictions (Parquet). Then Qlib's
/// record templates: SignalRecord (pred, label) → SigAnaRecord (IC, ICIR, Rank IC, Rank ICIR) →
/// PortAnaRecord (a TopkDropout backtest on <see cref="SyntheticPrices"/>, its risk and indicator analyses).
/// </summary>
public static class QuickStartWorkflow
{
    public static QuickStartResult Run(QuickStartOptions options)
    {
        var market = SyntheticMarket.Generate(options.Seed, options.Instruments, options.Days, options.Features);
        var n = options.Instruments;
        var trainDays = options.Days * 6 / 10;
        var validDays = options.Days * 2 / 10;
        var testDays = options.Days - trainDays - validDays;
        var train = Range(0, trainDays * n);
        var valid = Range(trainDays * n, validDays * n);
        var trainValid = Range(0, (trainDays + validDays) * n);
        var test = Range((trainDays + validDays) * n, testDays * n);

        var task = new QuickStartTask
        {
            Model = new ModelParams { Kwargs = new RidgeKwargs { Alphas = options.Alphas } },
            Dataset = new DatasetParams
            {
                Seed = options.Seed,
                Instruments = options.Instruments,
                Days = options.Days,
                Features = options.Features,
                Segments = new SegmentParams
                {
                    Train = Segment(market, 0, trainDays),
                    Valid = Segment(market, trainDays, validDays),
                    Test = Segment(market, trainDays + validDays, testDays),
                },
            },
        };

        QuickStartResult? result = null;
        R.Run(experiment =>
        {
            var recorder = experiment.ActiveRecorder!;
            task.LogParams(recorder); // model.class, model.kwargs.alphas, dataset.seed, ..., dataset.segments.test

            // One step per candidate penalty, as Qlib's models log one step per epoch.
            double bestIc = double.NegativeInfinity, bestAlpha = options.Alphas[0];
            for (var step = 0; step < options.Alphas.Length; step++)
            {
                var alpha = options.Alphas[step];
                var candidate = RidgeModel.Fit(market.Features, market.Label, train, alpha, market.FeatureNames);
                var prediction = PredictAll(candidate, market);
                var validIc = Evaluation.MeanDailyIc(prediction, market.Label, n, trainDays, validDays);
                new ValidationStep
                {
                    Alpha = alpha,
                    TrainMse = Evaluation.MeanSquaredError(prediction, market.Label, train),
                    ValidMse = Evaluation.MeanSquaredError(prediction, market.Label, valid),
                    ValidIc = validIc,
                }.LogMetrics(recorder, step);
                if (validIc > bestIc) (bestIc, bestAlpha) = (validIc, alpha);
            }

            var model = RidgeModel.Fit(market.Features, market.Label, trainValid, bestAlpha, market.FeatureNames);
            var predictions = PredictAll(model, market);
            var pred = TestFrame(market, predictions, trainDays + validDays, testDays);
            var label = TestFrame(market, market.Label, trainDays + validDays, testDays);

            // Qlib's record templates: SignalRecord → SigAnaRecord → PortAnaRecord.
            new SignalRecord(recorder).Generate(pred, new LabelFrame(label.Datetime, label.Instrument, label.Score)); // pred.parquet, label.parquet
            var signal = new SigAnaRecord(recorder).Generate()                                                        // IC, ICIR, Rank IC, Rank ICIR
                ?? throw new InvalidOperationException("SigAnaRecord found no label.");
            var port = new PortAnaRecord(recorder, SyntheticPrices.Generate(market), SyntheticPrices.Config(n)).Generate() // 1day.*, portfolio_analysis/*
                ?? throw new InvalidOperationException("PortAnaRecord found no pred/label.");

            task.BestAlpha = bestAlpha;
            task.Ic = signal.Metric("IC");          // the values SigAnaRecord logged, Qlib's definitions
            task.RankIc = signal.Metric("Rank IC");
            task.TestMse = Evaluation.MeanSquaredError(predictions, market.Label, test);
            task.LogMetrics(recorder, step: 0);

            task.Fitted = model;                                                                  // params (MemoryPack)
            task.Pred = pred;                                                                     // pred.parquet (Parquet), as SignalRecord stored it
            task.SaveArtifacts(recorder);
            R.SetTags(("hostname", Environment.MachineName), ("sample", "QuickStart"));

            var metrics = new Dictionary<string, double>
            {
                [QuickStartTask.Names.BestAlpha] = task.BestAlpha,
                [QuickStartTask.Names.Ic] = task.Ic,
                [QuickStartTask.Names.RankIc] = task.RankIc,
                [QuickStartTask.Names.TestMse] = task.TestMse,
            };
            // A run on a tracking server with proxied artifacts has no local folder: its artifact URI says where they are.
            var location = Qlib.Tracked.Stores.TrackingUri.GetScheme(recorder.ArtifactUri!) == "file" ? recorder.GetLocalDir() : recorder.ArtifactUri!;
            result = new QuickStartResult(recorder.Id!, experiment.Id, location, bestAlpha, metrics, model,
                [.. signal.Metrics, .. port.Metrics]);
        }, experimentName: options.ExperimentName, uri: options.Uri);

        return result!;
    }

    private static double[] PredictAll(RidgeModel model, SyntheticMarket market)
    {
        var prediction = new double[market.Rows];
        for (var r = 0; r < prediction.Length; r++) prediction[r] = model.Predict(market.Features[r]);
        return prediction;
    }

    private static PredictionFrame TestFrame(SyntheticMarket market, double[] prediction, int firstDay, int dayCount)
    {
        var n = market.Instruments.Length;
        var rows = dayCount * n;
        var datetime = new DateTime[rows];
        var instrument = new string[rows];
        var score = new double[rows];
        for (var k = 0; k < rows; k++)
        {
            var row = firstDay * n + k;
            datetime[k] = market.Days[row / n];
            instrument[k] = market.Instruments[row % n];
            score[k] = prediction[row];
        }
        return new PredictionFrame(datetime, instrument, score);
    }

    private static string Segment(SyntheticMarket market, int firstDay, int dayCount) =>
        $"('{market.Days[firstDay]:yyyy-MM-dd}', '{market.Days[firstDay + dayCount - 1]:yyyy-MM-dd}')";

    private static int[] Range(int start, int count) => Enumerable.Range(start, count).ToArray();
}
