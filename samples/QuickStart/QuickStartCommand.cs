using System.Globalization;
using Qlib.Tracked;
using Qlib.Tracked.Stores;

namespace QuickStart;

/// <summary>
/// QuickStart's command line: options checked before anything is recorded, every failure a message and an exit code
/// (qtrack's: 2 for a wrong command line, 1 for a store or file problem), never a stack trace.
/// </summary>
public static class QuickStartCommand
{
    public const int ExitOk = 0;
    public const int ExitFailed = 1;
    public const int ExitBadInput = 2;

    /// <summary>The synthetic panel's bounds: enough days for three windows and a backtest, small enough to fit in memory.</summary>
    public const int MinInstruments = 10, MaxInstruments = 10_000, MinDays = 20, MaxDays = 10_000, MaxCells = 5_000_000;

    public const string Usage =
        "Usage: QuickStart [--uri DIR|URI] [--experiment NAME] [--seed N] [--instruments N] [--days N]\n" +
        "  --uri          the store: a folder, file: URI, sqlite:///FILE.db, postgresql:// URI or a tracking server's http(s):// URI\n" +
        "                 (default: $QLIB_MLFLOW_URI, else $MLFLOW_TRACKING_URI, else ./mlruns)\n" +
        "  --experiment   experiment to record the run in (default quickstart)\n" +
        "  --seed         seed of the synthetic market (default 42)\n" +
        "  --instruments  instruments in the synthetic market, 10-10000 (default 300)\n" +
        "  --days         trading days, 20-10000 (default 250); instruments x days at most 5000000";

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        QuickStartOptions options;
        try
        {
            options = Parse(args);
        }
        catch (TrackingException e)
        {
            stderr.WriteLine($"error: {e.Message}");
            stderr.WriteLine(Usage);
            return ExitBadInput;
        }
        QuickStartResult result;
        try
        {
            result = QuickStartWorkflow.Run(options);
        }
        catch (TrackingException e)
        {
            stderr.WriteLine($"error: {e.MlflowErrorCode}: {e.Message}");
            return ExitFailed;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"error: {e.Message}");
            return ExitFailed;
        }
        Print(stdout, options, result);
        return ExitOk;
    }

    /// <summary>The options <paramref name="args"/> give; a <see cref="TrackingException"/> naming the option and the rule when one is wrong.</summary>
    public static QuickStartOptions Parse(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new QuickStartOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            string Next() => i + 1 < args.Length ? args[++i] : throw TrackingException.InvalidParameter($"{name} needs a value.");
            options = name switch
            {
                "--uri" => options with { Uri = CheckedUri(Next()) },
                "--experiment" => options with { ExperimentName = NotBlank(name, Next()) },
                "--seed" => options with { Seed = Integer(name, Next(), int.MinValue, int.MaxValue) },
                "--instruments" => options with { Instruments = Integer(name, Next(), MinInstruments, MaxInstruments) },
                "--days" => options with { Days = Integer(name, Next(), MinDays, MaxDays) },
                _ => throw TrackingException.InvalidParameter($"Unknown option '{name}'. Known: --uri, --experiment, --seed, --instruments, --days."),
            };
        }
        if ((long)options.Instruments * options.Days > MaxCells)
            throw TrackingException.InvalidParameter(string.Create(CultureInfo.InvariantCulture,
                $"--instruments {options.Instruments} x --days {options.Days} is {(long)options.Instruments * options.Days} cells, over the {MaxCells} the synthetic market may have."));
        return options;
    }

    /// <summary>
    /// The URI, checked as the store will read it: an unsupported scheme, or a file: URI naming no path, is a wrong
    /// command line, found before the market is generated rather than after.
    /// </summary>
    private static string CheckedUri(string uri)
    {
        var given = NotBlank("--uri", uri);
        try
        {
            TrackingStoreRegistry.Check(given);
        }
        catch (TrackingException e)
        {
            throw TrackingException.InvalidParameter($"Invalid --uri '{given}': {e.Message}");
        }
        return given;
    }

    private static string NotBlank(string option, string value) =>
        string.IsNullOrWhiteSpace(value) ? throw TrackingException.InvalidParameter($"Invalid {option} '{value}': it is empty.") : value;

    private static int Integer(string option, string text, int minimum, int maximum)
    {
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            throw TrackingException.InvalidParameter($"Invalid {option} '{text}': it must be a whole number.");
        if (value < minimum || value > maximum)
            throw TrackingException.InvalidParameter(string.Create(CultureInfo.InvariantCulture,
                $"Invalid {option} {value}: it must be {minimum}-{maximum}."));
        return value;
    }

    private static void Print(TextWriter output, QuickStartOptions options, QuickStartResult result)
    {
        output.WriteLine($"Recorded run {result.RunId} in experiment {result.ExperimentId} ({options.ExperimentName}).");
        output.WriteLine(Qlib.Tracked.Stores.TrackingUri.GetScheme(result.RunFolder) == "file" ? $"Run folder: {result.RunFolder}" : $"Artifacts: {result.RunFolder}");
        output.WriteLine();
        output.WriteLine($"Ridge penalty chosen on the validation window: alpha = {result.BestAlpha.ToString(CultureInfo.InvariantCulture)}");
        output.WriteLine("Test-window metrics:");
        foreach (var (key, value) in result.Metrics)
            output.WriteLine($"  {key,-12} {value.ToString("G6", CultureInfo.InvariantCulture)}");
        output.WriteLine();
        output.WriteLine("Record templates (SigAnaRecord, PortAnaRecord: TopkDropout backtest of the test window):");
        var width = result.RecordMetrics.Max(m => m.Key.Length);
        output.WriteLine($"  {"metric".PadRight(width)}  value");
        output.WriteLine($"  {new string('-', width)}  {new string('-', 12)}");
        foreach (var (key, value) in result.RecordMetrics)
            output.WriteLine($"  {key.PadRight(width)}  {(double.IsNaN(value) ? "NaN" : value.ToString("G6", CultureInfo.InvariantCulture))}");
        output.WriteLine();
        output.WriteLine("Weights: " + string.Join(", ", result.Model.FeatureNames.Zip(result.Model.Weights,
            (name, w) => $"{name}={w.ToString("G4", CultureInfo.InvariantCulture)}")));
        output.WriteLine("Artifacts: params (MemoryPack), pred.parquet, label.parquet, sig_analysis/{ic,ric}.parquet, portfolio_analysis/*.parquet,");
        output.WriteLine("           code_*.txt when in a git work tree.");
        output.WriteLine("Browse it with MLflow's tools (e.g. `mlflow ui --backend-store-uri ./mlruns`) or read it back with R.GetRecorder(...).");
    }
}
