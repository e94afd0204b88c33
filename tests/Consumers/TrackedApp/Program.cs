using System.Globalization;
using Qlib.Tracked;
using Qlib.Tracked.Records;
using TrackedApp;

// Usage: TrackedApp [--uri DIR|URI]   (default ./mlruns)
// Trains a [Tracked] model, records it through the generated code and Qlib's record templates (SignalRecord runs the
// [Predict] method, SigAnaRecord analyses it), reloads the run by id and prints what came back. Everything printed is
// deterministic except the run id, so the JIT and NativeAOT builds can be compared (tests/Consumers/run-consumers.sh).
var uri = args.Length == 2 && args[0] == "--uri" ? args[1] : Path.Combine(Environment.CurrentDirectory, "mlruns");
static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);

var model = new LinearModel { LearningRate = 0.2, Epochs = 4, Data = new Panel { Seed = 11, Days = 10, Instruments = 8 } };
string? runId = null;
R.Run(experiment =>
{
    var recorder = experiment.ActiveRecorder!;
    model.LogParams(recorder);
    model.Fit(recorder);
    model.SaveArtifacts(recorder);
    new SignalRecord(recorder).Generate(model, model.Data);                  // pred.parquet through [Predict], label.parquet
    var analysis = new SigAnaRecord(recorder).Generate()                    // IC, ICIR, Rank IC, Rank ICIR
        ?? throw new InvalidOperationException("SigAnaRecord found no label.");
    Console.WriteLine($"recorded IC={F(analysis.Metric(RecordMetrics.IC))}");
    runId = recorder.Id;
}, experimentName: LinearModel.Schema.Experiment, uri: uri);

Console.WriteLine($"run_id: {runId}");
using (R.UriContext(uri))
{
    var recorder = R.GetRecorder(recorderId: runId, experimentName: LinearModel.Schema.Experiment);
    var loaded = LinearModel.Load(recorder);
    Console.WriteLine($"model: {LinearModel.Schema.Name} (experiment {LinearModel.Schema.Experiment})");
    Console.WriteLine($"record templates: {string.Join(" -> ", LinearModel.Schema.RecordTemplates.Select(t => t.Name))}");
    Console.WriteLine("params as stored:");
    foreach (var (key, value) in recorder.ListParams().OrderBy(p => p.Key, StringComparer.Ordinal))
        Console.WriteLine($"  {key} = {value}");
    Console.WriteLine($"reloaded: LearningRate={F(loaded.LearningRate)} Epochs={loaded.Epochs} Optimizer={loaded.Optimizer} Data={loaded.Data}");
    Console.WriteLine($"same params as trained: {loaded.Data == model.Data && loaded.Features.SequenceEqual(model.Features) && loaded.LearningRate == model.LearningRate}");
    Console.WriteLine("metrics:");
    foreach (var (key, value) in recorder.ListMetrics().OrderBy(m => m.Key, StringComparer.Ordinal))
        Console.WriteLine($"  {key} = {F(value)}");
    Console.WriteLine($"loss history: {string.Join(", ", recorder.GetMetricHistory(LinearModel.Names.Loss).Select(m => $"{m.Step}:{F(m.Value)}"))}");
    Console.WriteLine($"reloaded metrics bit-identical: {loaded.Loss.Equals(model.Loss) && loaded.TrainIc.Equals(model.TrainIc)}");
    Console.WriteLine($"weights: [{string.Join(", ", loaded.Weights.Coefficients.Select(F))}] bias={F(loaded.Weights.Bias)}");
    Console.WriteLine($"summary.json: epochs={loaded.Summary!.Epochs} final_loss={F(loaded.Summary.FinalLoss)}");
    Console.Write($"notes.txt: {loaded.Notes}");
    var pred = LinearModel.LoadSignal(recorder);
    Console.WriteLine($"pred.parquet: {pred.RowCount} rows, first {pred.Datetime[0]:yyyy-MM-dd} {pred.Instrument[0]} {F(pred.Score[0])}");
    var rebuilt = (LinearModel)TrackedModelRegistry.Default.Create(LinearModel.Schema.Name, recorder.ListParams());
    Console.WriteLine($"registry rebuild from params: epochs={rebuilt.Epochs} data.days={rebuilt.Data.Days}");
}
