using BenchmarkDotNet.Attributes;
using Qlib.Tracked;
using Qlib.Tracked.Entities;

namespace Qlib.Tracked.Benchmarks;

// Every class: one temp store per class (GlobalSetup), fresh runs per iteration (IterationSetup).
// OperationsPerInvoke makes BenchmarkDotNet report the time of ONE call / point / run.
// The Baseline of each category is NaiveMlflowStyle: MLflow's file-store algorithm on this disk.

/// <summary>(a) per-call metric logging in an empty store.</summary>
public class PerCallLogging
{
    public const int RecorderCalls = 100_000;
    public const int ClientCalls = 10_000;
    public const int NaiveCalls = 5_000;

    private BenchStore _store = null!;
    private string _experimentId = null!;
    private RunScope? _scope;
    private string _clientRun = null!;
    private string _naiveRun = null!;
    private NaiveMlflowStyle _naive = null!;
    private long _ts = 1_700_000_000_000;

    [GlobalSetup]
    public void GlobalSetup()
    {
        _store = new BenchStore("a");
        _experimentId = _store.Client.CreateExperiment("bench-a");
        _naive = new NaiveMlflowStyle(_store.Root);
        R.Register(_store.NewQlibRecorder("bench-a"));
    }

    [IterationSetup]
    public void IterationSetup()
    {
        _scope = R.Start(experimentName: "bench-a");
        _clientRun = _store.NewRun(_experimentId);
        _naiveRun = _store.NewRun(_experimentId);
    }

    [IterationCleanup]
    public void IterationCleanup()
    {
        _scope?.Complete();
        _scope?.Dispose();
        _scope = null;
    }

    [GlobalCleanup]
    public void GlobalCleanup()
    {
        R.EndExp();
        _store.Dispose();
    }

    [BenchmarkCategory("a"), Benchmark(Baseline = true, OperationsPerInvoke = NaiveCalls)]
    public void Naive_LogMetric()
    {
        for (var i = 0; i < NaiveCalls; i++) _naive.LogMetric(_naiveRun, new Metric("loss", 1.0 / (i + 1), _ts + i, i));
    }

    [BenchmarkCategory("a"), Benchmark(OperationsPerInvoke = ClientCalls)]
    public void Client_LogMetric()
    {
        var client = _store.Client;
        for (var i = 0; i < ClientCalls; i++) client.LogMetric(_clientRun, "loss", 1.0 / (i + 1), _ts + i, i);
    }

    [BenchmarkCategory("a"), Benchmark(OperationsPerInvoke = RecorderCalls)]
    public void Recorder_LogMetric()
    {
        var recorder = _scope!.Recorder;
        for (var i = 0; i < RecorderCalls; i++) recorder.LogMetric("loss", 1.0 / (i + 1), i);
        recorder.Flush();
    }

    [BenchmarkCategory("a"), Benchmark(OperationsPerInvoke = RecorderCalls)]
    public void R_LogMetrics()
    {
        for (var i = 0; i < RecorderCalls; i++) R.LogMetrics(i, ("ic", 1.0 / (i + 1)));
        _scope!.Recorder.Flush();
    }
}

/// <summary>(b) batched logging: 100,000 points in batches of 1,000 (10 keys x 100 steps).</summary>
public class BatchLogging
{
    public const int Points = 100_000;
    public const int NaivePoints = 10_000;

    private BenchStore _store = null!;
    private string _experimentId = null!;
    private Metric[][] _batches = null!;
    private string _run = null!;
    private NaiveMlflowStyle _naive = null!;

    [GlobalSetup]
    public void GlobalSetup()
    {
        _store = new BenchStore("b");
        _experimentId = _store.Client.CreateExperiment("bench-b");
        _batches = Batches.Build(Points / 1000);
        _naive = new NaiveMlflowStyle(_store.Root);
    }

    [IterationSetup]
    public void IterationSetup() => _run = _store.NewRun(_experimentId);

    [GlobalCleanup]
    public void GlobalCleanup() => _store.Dispose();

    [BenchmarkCategory("b"), Benchmark(Baseline = true, OperationsPerInvoke = NaivePoints)]
    public void Naive_LogBatch()
    {
        for (var b = 0; b < NaivePoints / 1000; b++) _naive.LogBatch(_run, _batches[b]);
    }

    [BenchmarkCategory("b"), Benchmark(OperationsPerInvoke = Points)]
    public void Client_LogBatch()
    {
        foreach (var batch in _batches) _store.Client.LogBatch(_run, batch);
    }

    [BenchmarkCategory("b"), Benchmark(OperationsPerInvoke = Points)]
    public void Store_LogBatch()
    {
        foreach (var batch in _batches) _store.Store.LogBatch(_run, batch, [], []);
    }
}

/// <summary>(e) run creation: start + end, in a new experiment.</summary>
public class RunCreation
{
    public const int Runs = 500;
    public const int NaiveRuns = 100;

    private BenchStore _store = null!;
    private BenchStore _naiveStore = null!;
    private string _experimentId = null!;
    private string _naiveExperimentId = null!;
    private NaiveMlflowStyle _naive = null!;
    private Dictionary<string, string> _naiveTags = null!;

    [GlobalSetup]
    public void GlobalSetup()
    {
        _store = new BenchStore("e");
        _experimentId = _store.Client.CreateExperiment("bench-e");
        R.Register(_store.NewQlibRecorder("bench-e-r"));
        // The baseline gets its own store so its listing cost is that of a new experiment, as MLflow's figure.
        _naiveStore = new BenchStore("e-naive");
        _naiveExperimentId = _naiveStore.Client.CreateExperiment("bench-e");
        _naive = new NaiveMlflowStyle(_naiveStore.Root);
        _naiveTags = RunCreationTags();
    }

    internal static Dictionary<string, string> RunCreationTags() => new()
    {
        ["mlflow.user"] = Environment.UserName,
        ["mlflow.source.name"] = "bench",
        ["mlflow.source.type"] = "LOCAL",
    };

    [GlobalCleanup]
    public void GlobalCleanup()
    {
        R.EndExp();
        _store.Dispose();
        _naiveStore.Dispose();
    }

    [BenchmarkCategory("e"), Benchmark(Baseline = true, OperationsPerInvoke = NaiveRuns)]
    public void Naive_CreateEndRun()
    {
        for (var i = 0; i < NaiveRuns; i++) _naive.CreateAndEndRun(_naiveExperimentId, _naiveTags, "run-" + i);
    }

    [BenchmarkCategory("e"), Benchmark(OperationsPerInvoke = Runs)]
    public void R_StartEndRun()
    {
        for (var i = 0; i < Runs; i++)
        {
            using var scope = R.Start(experimentName: "bench-e-r");
            scope.Complete();
        }
    }

    [BenchmarkCategory("e"), Benchmark(OperationsPerInvoke = Runs)]
    public void Client_CreateTerminateRun()
    {
        var client = _store.Client;
        for (var i = 0; i < Runs; i++)
        {
            var run = client.CreateRun(_experimentId, tags: _naiveTags);
            client.SetTerminated(run.Info.RunId);
        }
    }
}

/// <summary>(d) get_metric_history of one metric with 100,000 steps.</summary>
public class MetricHistory
{
    public const int Steps = 100_000;

    private BenchStore _store = null!;
    private string _run = null!;
    private string _metricFile = null!;

    [GlobalSetup]
    public void GlobalSetup()
    {
        _store = new BenchStore("d");
        var experimentId = _store.Client.CreateExperiment("bench-d");
        _run = _store.NewRun(experimentId);
        var batch = new Metric[1000];
        var rng = new Random(42);
        for (var b = 0; b < Steps / 1000; b++)
        {
            for (var i = 0; i < 1000; i++)
            {
                var step = (b * 1000L) + i;
                batch[i] = new Metric("loss", rng.NextDouble() / (step + 1), 1_700_000_000_000 + step, step);
            }
            _store.Client.LogBatch(_run, batch);
        }
        _metricFile = Path.Combine(_store.Root, experimentId, _run, "metrics", "loss");
        if (_store.Client.GetMetricHistory(_run, "loss").Count != Steps) throw new InvalidOperationException("setup wrote the wrong number of points");
    }

    [GlobalCleanup]
    public void GlobalCleanup() => _store.Dispose();

    [BenchmarkCategory("d"), Benchmark(Baseline = true)]
    public int Naive_GetMetricHistory() => NaiveMlflowStyle.ReadHistory(_metricFile, "loss").Count;

    [BenchmarkCategory("d"), Benchmark]
    public int Client_GetMetricHistory() => _store.Client.GetMetricHistory(_run, "loss").Count;
}

/// <summary>(a*), (e*): the same per-call logging and run creation in a store that already holds a 10,000-run experiment.</summary>
public class LargeStore
{
    public const int RecorderCalls = 100_000;
    public const int ClientCalls = 10_000;
    public const int NaiveCalls = 300;
    public const int Runs = 500;
    public const int NaiveRuns = 30;

    private BigStore _big = null!;
    private RunScope? _scope;
    private string _clientRun = null!;
    private string _naiveRun = null!;
    private NaiveMlflowStyle _naive = null!;
    private Dictionary<string, string> _tags = null!;
    private long _ts = 1_700_000_000_000;

    [GlobalSetup]
    public void GlobalSetup()
    {
        _big = BigStore.Shared;
        _naive = new NaiveMlflowStyle(_big.Store.Root);
        _tags = RunCreation.RunCreationTags();
        R.Register(_big.Store.NewQlibRecorder(BigStore.ExperimentName));
    }

    [IterationSetup]
    public void IterationSetup()
    {
        // Runs for logging live IN the 10,000-run experiment, so locating them MLflow's way lists it.
        _scope = R.Start(experimentName: BigStore.ExperimentName);
        _clientRun = _big.Store.NewRun(_big.ExperimentId);
        _naiveRun = _big.Store.NewRun(_big.ExperimentId);
    }

    [IterationCleanup]
    public void IterationCleanup()
    {
        _scope?.Complete();
        _scope?.Dispose();
        _scope = null;
    }

    [GlobalCleanup]
    public void GlobalCleanup() => R.EndExp();

    [BenchmarkCategory("a*"), Benchmark(Baseline = true, OperationsPerInvoke = NaiveCalls)]
    public void Naive_LogMetric_10kRuns()
    {
        for (var i = 0; i < NaiveCalls; i++) _naive.LogMetric(_naiveRun, new Metric("loss", 1.0 / (i + 1), _ts + i, i));
    }

    [BenchmarkCategory("a*"), Benchmark(OperationsPerInvoke = ClientCalls)]
    public void Client_LogMetric_10kRuns()
    {
        var client = _big.Store.Client;
        for (var i = 0; i < ClientCalls; i++) client.LogMetric(_clientRun, "loss", 1.0 / (i + 1), _ts + i, i);
    }

    [BenchmarkCategory("a*"), Benchmark(OperationsPerInvoke = RecorderCalls)]
    public void Recorder_LogMetric_10kRuns()
    {
        var recorder = _scope!.Recorder;
        for (var i = 0; i < RecorderCalls; i++) recorder.LogMetric("loss", 1.0 / (i + 1), i);
        recorder.Flush();
    }

    [BenchmarkCategory("e*"), Benchmark(Baseline = true, OperationsPerInvoke = NaiveRuns)]
    public void Naive_CreateEndRun_10kRuns()
    {
        for (var i = 0; i < NaiveRuns; i++) _naive.CreateAndEndRun(_big.ExperimentId, _tags, "run-" + i);
    }

    [BenchmarkCategory("e*"), Benchmark(OperationsPerInvoke = Runs)]
    public void R_StartEndRun_10kRuns()
    {
        // The scope opened by IterationSetup is ended first: R holds one active experiment at a time.
        IterationCleanup();
        for (var i = 0; i < Runs; i++)
        {
            using var scope = R.Start(experimentName: BigStore.ExperimentName);
            scope.Complete();
        }
    }

    [BenchmarkCategory("e*"), Benchmark(OperationsPerInvoke = Runs)]
    public void Client_CreateTerminateRun_10kRuns()
    {
        var client = _big.Store.Client;
        for (var i = 0; i < Runs; i++)
        {
            var run = client.CreateRun(_big.ExperimentId, tags: _tags);
            client.SetTerminated(run.Info.RunId);
        }
    }
}

/// <summary>The 10,000-run store, built once per process (through the store API directly) and deleted at exit.</summary>
internal sealed class BigStore
{
    public const string ExperimentName = "bench-10k";
    public const int RunCount = 10_000;
    private static readonly Lazy<BigStore> Instance = new(() => new BigStore());

    private BigStore()
    {
        Store = new BenchStore("10k");
        ExperimentId = Store.Client.CreateExperiment(ExperimentName);
        var started = System.Diagnostics.Stopwatch.StartNew();
        var tags = new List<RunTag> { new("mlflow.user", "bench"), new("mlflow.source.type", "LOCAL") };
        Metric[] metrics = [new("score", 0.5, 1_700_000_000_000, 0), new("loss", 0.25, 1_700_000_000_000, 0)];
        for (var i = 0; i < RunCount; i++)
        {
            var run = Store.Store.CreateRun(ExperimentId, "bench", 1_700_000_000_000 + i, tags, "r" + i);
            Store.Store.LogBatch(run.Info.RunId, metrics, [new Param("group", "g" + (i % 11)), new Param("seed", i.ToString(System.Globalization.CultureInfo.InvariantCulture))], []);
            Store.Store.UpdateRunInfo(run.Info.RunId, RunStatus.Finished, 1_700_000_000_100 + i, null);
        }
        Console.WriteLine($"// 10,000-run experiment built in {started.Elapsed.TotalSeconds:0.0} s at {Store.Root}");
        Store.Dispose(); // deleted at process exit
    }

    public static BigStore Shared => Instance.Value;

    public BenchStore Store { get; }
    public string ExperimentId { get; }
}
