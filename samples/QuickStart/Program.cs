using System.Globalization;
using QuickStart;

// Usage: dotnet run --project samples/QuickStart [-- --uri DIR|file:URI] [--seed N] [--instruments N] [--days N]
var options = new QuickStartOptions();
for (var i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"'{args[i]}' needs a value.");
    options = args[i] switch
    {
        "--uri" => options with { Uri = Next() },
        "--experiment" => options with { ExperimentName = Next() },
        "--seed" => options with { Seed = int.Parse(Next(), CultureInfo.InvariantCulture) },
        "--instruments" => options with { Instruments = int.Parse(Next(), CultureInfo.InvariantCulture) },
        "--days" => options with { Days = int.Parse(Next(), CultureInfo.InvariantCulture) },
        _ => throw new ArgumentException($"Unknown option '{args[i]}'. Known: --uri, --experiment, --seed, --instruments, --days."),
    };
}

var result = QuickStartWorkflow.Run(options);

Console.WriteLine($"Recorded run {result.RunId} in experiment {result.ExperimentId} ({options.ExperimentName}).");
Console.WriteLine($"Run folder: {result.RunFolder}");
Console.WriteLine();
Console.WriteLine($"Ridge penalty chosen on the validation window: alpha = {result.BestAlpha.ToString(CultureInfo.InvariantCulture)}");
Console.WriteLine("Test-window metrics:");
foreach (var (key, value) in result.Metrics)
    Console.WriteLine($"  {key,-12} {value.ToString("G6", CultureInfo.InvariantCulture)}");
Console.WriteLine();
Console.WriteLine("Record templates (SigAnaRecord, PortAnaRecord: TopkDropout backtest of the test window):");
var width = result.RecordMetrics.Max(m => m.Key.Length);
Console.WriteLine($"  {"metric".PadRight(width)}  value");
Console.WriteLine($"  {new string('-', width)}  {new string('-', 12)}");
foreach (var (key, value) in result.RecordMetrics)
    Console.WriteLine($"  {key.PadRight(width)}  {(double.IsNaN(value) ? "NaN" : value.ToString("G6", CultureInfo.InvariantCulture))}");
Console.WriteLine();
Console.WriteLine("Weights: " + string.Join(", ", result.Model.FeatureNames.Zip(result.Model.Weights,
    (name, w) => $"{name}={w.ToString("G4", CultureInfo.InvariantCulture)}")));
Console.WriteLine("Artifacts: params (MemoryPack), pred.parquet, label.parquet, sig_analysis/{ic,ric}.parquet, portfolio_analysis/*.parquet,");
Console.WriteLine("           code_*.txt when in a git work tree.");
Console.WriteLine("Browse it with MLflow's tools (e.g. `mlflow ui --backend-store-uri ./mlruns`) or read it back with R.GetRecorder(...).");
