using System.Diagnostics;
using System.Globalization;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Tracking;

namespace Qlib.Tracked.Benchmarks;

/// <summary>
/// <c>--rest-logging URI [POINTS] [r|recorder|client]</c>: our client logging to a tracking server (issue 14), the same point mix as the load
/// generator's <c>log-batch</c> (10 keys × consecutive steps), each side into a new run:
/// <list type="bullet">
/// <item><c>R.LogMetrics(step, 10 pairs)</c> per step (Qlib's call), buffered, then <c>Flush()</c>;</item>
/// <item><c>Recorder.LogMetric(key, value, step)</c> once per point, buffered, then <c>Flush()</c>;</item>
/// <item><c>TrackingClient.LogBatch</c> of 1,000 points per call, synchronous.</item>
/// </list>
/// Each is timed from the first call to the end of the flush (every point on the server), after a 2,000-point warm-up
/// in the same run. Prints one <c>REST</c> line per side: points, seconds, points/s. A third argument runs one side
/// only (run-rest-bench.sh measures the server's ceiling between the sides).
/// </summary>
internal static class RestLoggingBench
{
    private const int Keys = 10;
    private const int WarmupPoints = 2_000;

    public static void Run(string[] args)
    {
        var uri = args[0];
        var points = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 30_000;
        var only = args.Length > 2 ? args[2] : null;
        if (only is not (null or "r" or "recorder" or "client"))
            throw new ArgumentException($"--rest-logging: the side '{only}' is not r, recorder or client");
        var names = Enumerable.Range(0, Keys).Select(k => "metric_" + k).ToArray();
        var experiment = "rest-bench-" + Guid.NewGuid().ToString("N")[..8];
        R.Register(new QlibRecorder(new ExperimentManager(uri, experiment, new RecorderOptions { CaptureSource = false })));
        try
        {
            if (only is null or "r") Report("R.LogMetrics", points, TimeBuffered(points, (step, _) =>
            {
                var row = new (string, double)[Keys];
                for (var k = 0; k < Keys; k++) row[k] = (names[k], 1.0 / (step + k + 1));
                R.LogMetrics(step, row);
            }));
            if (only is null or "recorder") Report("Recorder.LogMetric", points, TimeBuffered(points, (step, recorder) =>
            {
                for (var k = 0; k < Keys; k++) recorder.LogMetric(names[k], 1.0 / (step + k + 1), step);
            }));
            if (only is null or "client") Report("TrackingClient.LogBatch", points, TimeClientBatches(uri, experiment, points, names));
        }
        finally
        {
            R.EndExp();
        }
    }

    /// <summary>Logs <paramref name="points"/> points (plus the warm-up) through <paramref name="logStep"/>, one step (10 points) per call.</summary>
    private static double TimeBuffered(int points, Action<long, Recorder> logStep)
    {
        using var scope = R.Start(experimentName: null);
        var recorder = scope.Recorder;
        long step = 0;
        for (; step < WarmupPoints / Keys; step++) logStep(step, recorder);
        recorder.Flush();
        var watch = Stopwatch.StartNew();
        for (var end = step + points / Keys; step < end; step++) logStep(step, recorder);
        recorder.Flush();
        var seconds = watch.Elapsed.TotalSeconds;
        scope.Complete();
        return seconds;
    }

    private static double TimeClientBatches(string uri, string experiment, int points, string[] names)
    {
        using var client = new TrackingClient(uri);
        var experimentId = client.GetExperimentByName(experiment)?.ExperimentId ?? client.CreateExperiment(experiment);
        var run = client.CreateRun(experimentId).Info.RunId;
        var batches = Batches(WarmupPoints + points, names);
        for (var b = 0; b < WarmupPoints / 1000; b++) client.LogBatch(run, batches[b]);
        var watch = Stopwatch.StartNew();
        for (var b = WarmupPoints / 1000; b < batches.Length; b++) client.LogBatch(run, batches[b]);
        var seconds = watch.Elapsed.TotalSeconds;
        client.SetTerminated(run);
        return seconds;
    }

    /// <summary>1,000-point batches, 10 keys × 100 consecutive steps each, as the load generator sends.</summary>
    private static Metric[][] Batches(int points, string[] names)
    {
        var ts = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var result = new Metric[points / 1000][];
        for (var b = 0; b < result.Length; b++)
        {
            var batch = result[b] = new Metric[1000];
            for (var i = 0; i < 1000; i++)
            {
                var step = (long)b * 100 + i / Keys;
                var k = i % Keys;
                batch[i] = new Metric(names[k], 1.0 / (step + k + 1), ts, step);
            }
        }
        return result;
    }

    private static void Report(string what, int points, double seconds) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"REST\t{what}\t{points}\t{seconds:F3}\t{points / seconds:F0}"));
}
