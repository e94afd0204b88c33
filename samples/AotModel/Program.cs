using System.Globalization;
using AotModel;
using Qlib.Tracked;

// Usage: AotModel [--uri DIR|URI]   (a folder, file:, sqlite:///FILE.db or postgresql:// URI; default ./mlruns)
// Trains a [Tracked] model, records it through generated code, reloads it by run id and prints what
// came back. Everything printed is deterministic except the run id line, so a JIT run and a NativeAOT
// run can be compared (samples/AotModel/compare-aot.sh).
var uri = args.Length == 2 && args[0] == "--uri" ? args[1] : Path.Combine(Environment.CurrentDirectory, "mlruns");
static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);

var model = new LinearModel { LearningRate = 0.2, Epochs = 4, L2 = 1e-4, Data = new DataConfig { Seed = 11, Rows = 40 } };
string? runId = null;
R.Run(experiment =>
{
    var recorder = experiment.ActiveRecorder!;
    model.LogParams(recorder);       // one batch: learning_rate, epochs, optimizer, features, l2, data.seed, ...
    model.Fit(recorder);             // LogMetrics(recorder, epoch): loss and IC, one batch per epoch
    model.SaveArtifacts(recorder);   // model (MemoryPack), pred.parquet (Parquet), summary.json (JSON), README.txt (text)
    runId = recorder.Id;
}, experimentName: LinearModel.Schema.Experiment, uri: uri);

Console.WriteLine($"run_id: {runId}");
using (R.UriContext(uri))
{
    var recorder = R.GetRecorder(recorderId: runId, experimentName: LinearModel.Schema.Experiment);
    var loaded = LinearModel.Load(recorder);
    Console.WriteLine($"model: {LinearModel.Schema.Name} (experiment {LinearModel.Schema.Experiment})");
    Console.WriteLine("params as stored:");
    foreach (var (key, value) in recorder.ListParams().Where(p => LinearModel.Schema.Params.Contains(p.Key)).OrderBy(p => p.Key, StringComparer.Ordinal))
        Console.WriteLine($"  {key} = {value}");
    Console.WriteLine("reloaded params:");
    Console.WriteLine($"  LearningRate={F(loaded.LearningRate)} Epochs={loaded.Epochs} Optimizer={loaded.Optimizer} L2={F(loaded.L2!.Value)}");
    Console.WriteLine($"  Features=[{string.Join(", ", loaded.Features)}] Data={loaded.Data}");
    Console.WriteLine($"  same as trained: {loaded.Data == model.Data && loaded.Features.SequenceEqual(model.Features) && loaded.LearningRate == model.LearningRate}");
    Console.WriteLine("metric history:");
    foreach (var metric in LinearModel.Schema.Metrics)
        Console.WriteLine($"  {metric}: " + string.Join(", ", recorder.GetMetricHistory(metric).Select(m => $"{m.Step}:{F(m.Value)}")));
    Console.WriteLine($"reloaded metrics: loss={F(loaded.Loss)} IC={F(loaded.Ic)} (bit-identical: {loaded.Loss.Equals(model.Loss) && loaded.Ic.Equals(model.Ic)})");
    Console.WriteLine("artifacts:");
    foreach (var artifact in LinearModel.Schema.Artifacts)
        Console.WriteLine($"  {artifact.Name} <- {artifact.Member} : {artifact.TypeName} [{artifact.Format}]");
    Console.WriteLine($"  weights: [{string.Join(", ", loaded.Weights.Coefficients.Select(F))}] bias={F(loaded.Weights.Bias)}");
    var pred = LinearModel.LoadPred(recorder);
    Console.WriteLine($"  pred.parquet: {pred.RowCount} rows, first {pred.Datetime[0]:yyyy-MM-dd} {pred.Instrument[0]} {F(pred.Score[0])}");
    Console.WriteLine($"  summary.json: epochs={loaded.Summary!.Epochs} final_loss={F(loaded.Summary.FinalLoss)}");
    Console.Write($"  README.txt: {loaded.Notes}");
    Console.WriteLine($"registry: {string.Join(", ", TrackedModelRegistry.Default.Names)}");
    var rebuilt = (LinearModel)TrackedModelRegistry.Default.Create("aot_linear", recorder.ListParams());
    Console.WriteLine($"registry rebuild from params: epochs={rebuilt.Epochs} optimizer={rebuilt.Optimizer} data.rows={rebuilt.Data.Rows}");
}
