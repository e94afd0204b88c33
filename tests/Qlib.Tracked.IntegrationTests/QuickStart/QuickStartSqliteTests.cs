using System.Diagnostics;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores;
using QuickStart;

namespace Qlib.Tracked.IntegrationTests;

/// <summary>
/// QuickStart's own process records into a SQLite store named by <c>--uri sqlite:///mlflow.db</c> and by
/// <c>QLIB_MLFLOW_URI</c> (relative to its working folder, MLflow's URI form), with its artifacts in MLflow's default
/// root <c>./mlruns</c>; R's recorder API reads the runs, their metrics and typed artifacts back from the database.
/// </summary>
[Collection("ambient R")]
public sealed class QuickStartSqliteTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    private string _folder => _temp.Path;

    public void Dispose() => _temp.Dispose();

    private (int Code, string Out, string Error) QuickStartProcess(string? environmentUri, params string[] args)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "QuickStart.exe" : "QuickStart"))
        {
            WorkingDirectory = _folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment.Remove("QLIB_MLFLOW_URI");
        if (environmentUri is not null) start.Environment["QLIB_MLFLOW_URI"] = environmentUri;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("QuickStart did not finish within 60 s");
        }
        return (process.ExitCode, output.Result, error.Result);
    }

    [Fact]
    public void QuickStart_records_into_sqlite_by_option_and_by_environment_and_R_reads_it_back()
    {
        var byOption = QuickStartProcess(null, "--uri", "sqlite:///mlflow.db", "--instruments", "30", "--days", "40", "--seed", "3");
        Assert.True(byOption.Code == 0, byOption.Error);
        var byEnvironment = QuickStartProcess("sqlite:///mlflow.db", "--instruments", "30", "--days", "40", "--seed", "4");
        Assert.True(byEnvironment.Code == 0, byEnvironment.Error);
        Assert.True(File.Exists(Path.Combine(_folder, "mlflow.db")));
        Assert.True(Directory.Exists(Path.Combine(_folder, "mlruns")), "artifacts go to MLflow's default root, ./mlruns");

        // Another process, another working folder: the absolute URI form, and the artifact root allowed explicitly.
        var uri = "sqlite:////" + _folder.TrimStart('/') + "/mlflow.db";
        using var manager = new ExperimentManager(uri, options: new RecorderOptions
        {
            StoreOptions = new TrackingStoreOptions { ArtifactRoots = [Path.Combine(_folder, "mlruns")] },
        });
        var recorders = new QlibRecorder(manager);
        var runs = recorders.ListRecorders(experimentName: "quickstart");
        Assert.Equal(2, runs.Count);
        var seeds = runs.Values.Select(r => r.ListParams()["dataset.seed"]).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["3", "4"], seeds);

        var recorder = runs.Values.Single(r => r.ListParams()["dataset.seed"] == "3");
        Assert.Equal(RunStatus.Finished, recorder.Status);
        Assert.Equal(Enumerable.Range(0, 6).Select(s => (long)s), recorder.GetMetricHistory("valid.ic").Select(m => m.Step));
        var task = QuickStartTask.Load(recorder);
        Assert.Equal(30, task.Dataset.Instruments);
        Assert.Equal(recorder.ListMetrics()["IC"], task.Ic);
        var model = recorder.LoadObject<RidgeModel>("params");
        Assert.Equal(task.Fitted!.Weights, model.Weights);
        var testDays = 40 - 40 * 6 / 10 - 40 * 2 / 10;
        Assert.Equal(testDays * 30, task.Pred!.RowCount);
    }
}
