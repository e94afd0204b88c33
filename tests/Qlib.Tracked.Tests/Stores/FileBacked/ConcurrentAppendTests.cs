using System.Diagnostics;
using Qlib.Tracked.Stores;

namespace Qlib.Tracked.Tests;

/// <summary>
/// Several real processes append distinct steps of ONE run's metric at the same time, through
/// <see cref="FileStore.LogBatch"/> (the <c>Qlib.Tracked.AppendWriter</c> helper, batches of 1 to 1,000 points)
/// and, where python3 exists, the way MLflow's file store does (<c>open(path, "a")</c>, one write per line).
/// Every line of the file must be one MLflow reads (<see cref="MlflowMetricLineRule"/>: no empty or torn line)
/// and every point must be there exactly once.
/// </summary>
/// <remarks>
/// CI runs a small scale. The scale (8 writers × 10,000 points, 10 rounds) by hand:
/// <c>QTRK_APPEND_POINTS=10000 QTRK_APPEND_ROUNDS=10 dotnet test tests/Qlib.Tracked.Tests --filter ConcurrentAppendTests</c>
/// (<c>QTRK_APPEND_WRITERS</c> sets the number of processes, default 8).
/// </remarks>
public sealed class ConcurrentAppendTests : IDisposable
{
    private const string Key = "loss";
    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromMinutes(3);

    private static readonly int Writers = Setting("QTRK_APPEND_WRITERS", 8);
    private static readonly int PointsPerWriter = Setting("QTRK_APPEND_POINTS", 3_000);
    private static readonly int Rounds = Setting("QTRK_APPEND_ROUNDS", 2);

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>The O_APPEND path (Linux), with an MLflow-style Python writer among the writers (elsewhere: the portable path, our writers only).</summary>
    [SkippableFact]
    public void WriterProcesses_AndAnMlflowStyleWriter_LeaveOnlyWholeLines_AndEveryPointOnce()
    {
        SkipWithoutCrossProcessLock();
        AppendConcurrently(portableWriters: 0, withPython: OperatingSystem.IsLinux() && PythonAvailable());
    }

    /// <summary>
    /// The portable path (other systems; switched on here by the writers), alone and mixed with the O_APPEND path:
    /// both take the same lock. No Python writer: the portable path writes at the length it read, so a writer that
    /// takes no lock can be overwritten there — a limit of that path (see MetricFile.AppendPortable).
    /// </summary>
    [SkippableTheory]
    [InlineData(true)]
    [InlineData(false)]
    public void PortablePathWriters_AloneOrWithOAppendWriters_LeaveOnlyWholeLines(bool allPortable)
    {
        SkipWithoutCrossProcessLock();
        AppendConcurrently(portableWriters: allPortable ? Writers : Writers / 2, withPython: false);
    }

    /// <summary>.NET has no file region locks on Apple systems, so appends there are serialized within one process only.</summary>
    private static void SkipWithoutCrossProcessLock() =>
        Skip.If(OperatingSystem.IsMacOS(), "macOS: .NET has no file region locks, so appends from several processes are not serialized there.");

    /// <summary>A line torn by a crash stays as it is (it stays unchanged while the writer looks), and the append starts a fresh line, on both paths.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AfterALineTornByACrash_TheNextAppendStartsAFreshLine(bool portable)
    {
        var root = _temp.Combine("mlruns");
        var store = new FileStore(root);
        var experimentId = store.CreateExperiment("torn");
        var runId = store.CreateRun(experimentId, "u", 1, null, "torn").Info.RunId;
        var metricFile = Path.Combine(root, experimentId, runId, "metrics", Key);
        Directory.CreateDirectory(Path.GetDirectoryName(metricFile)!);
        File.WriteAllText(metricFile, "1700000000000 0.0 0\n17000000");

        using (var writer = StartWriter(root, runId, firstStep: 1, seed: 1, portable, points: 5))
        {
            Assert.Equal("ready", ReadLine(writer));
            writer.StandardInput.WriteLine("go");
            writer.StandardInput.Close();
            Assert.True(writer.WaitForExit(ProcessTimeout), "the writer did not finish in time");
            Assert.True(writer.ExitCode == 0, writer.StandardError.ReadToEnd());
        }

        var (problems, points) = MlflowMetricLineRule.Check(File.ReadAllBytes(metricFile));
        Assert.Equal([(2, "17000000")], problems.Select(p => (p.LineNumber, p.Line)));
        Assert.Equal([0L, 1, 2, 3, 4, 5], points.Select(p => p.Step));
    }

    private void AppendConcurrently(int portableWriters, bool withPython)
    {
        var root = _temp.Combine("mlruns");
        var store = new FileStore(root);
        var experimentId = store.CreateExperiment("concurrent-appends");
        var badRounds = new List<string>(); // every round runs, so a failure shows how often the problem occurs
        for (var round = 0; round < Rounds; round++)
        {
            var runId = store.CreateRun(experimentId, "u", 1, null, $"round-{round}").Info.RunId;
            var writers = new List<Process>();
            try
            {
                for (var w = 0; w < Writers; w++)
                    writers.Add(StartWriter(root, runId, firstStep: (long)w * PointsPerWriter, seed: (round * 100) + w, portable: w < portableWriters));
                if (withPython) writers.Add(StartPythonWriter(Path.Combine(root, experimentId, runId, "metrics", Key), firstStep: (long)Writers * PointsPerWriter));
                // All started (runtimes loaded, JIT warm enough to print): now let them append at once.
                foreach (var writer in writers) Assert.Equal("ready", ReadLine(writer));
                foreach (var writer in writers)
                {
                    writer.StandardInput.WriteLine("go");
                    writer.StandardInput.Close();
                }
                foreach (var writer in writers)
                {
                    Assert.True(writer.WaitForExit(ProcessTimeout), "a writer process did not finish in time");
                    Assert.True(writer.ExitCode == 0, $"writer exited with {writer.ExitCode}: {writer.StandardError.ReadToEnd()}");
                }
            }
            finally
            {
                foreach (var writer in writers)
                {
                    if (!writer.HasExited) writer.Kill();
                    writer.Dispose();
                }
            }

            var file = File.ReadAllBytes(Path.Combine(root, experimentId, runId, "metrics", Key));
            var (problems, points) = MlflowMetricLineRule.Check(file);
            if (problems.Count > 0)
            {
                badRounds.Add($"round {round}: {problems.Count} lines MLflow cannot read ({problems.Count(p => p.Line.Length == 0)} empty), first: " +
                    string.Join("; ", problems.Take(3).Select(p => $"line {p.LineNumber} '{p.Line}': {p.Reason}")));
            }
            var missing = MissingOrWrongPoints(points, (Writers * (long)PointsPerWriter) + (withPython ? PointsPerWriter : 0));
            if (missing is not null) badRounds.Add($"round {round}: {missing}");
        }
        Assert.True(badRounds.Count == 0, $"{badRounds.Count} problems in {Rounds} rounds:\n" + string.Join("\n", badRounds));
    }

    /// <summary>Null when the file holds every logged step once with its timestamp and value, else what is wrong.</summary>
    private static string? MissingOrWrongPoints(List<MlflowMetricLineRule.Point> points, long steps)
    {
        var seen = new bool[steps];
        foreach (var point in points)
        {
            if (point.Step < 0 || point.Step >= steps) return $"step {point.Step} was never logged";
            if (seen[point.Step]) return $"step {point.Step} is in the file twice";
            seen[point.Step] = true;
            if (point.Timestamp != ConcurrentPoints.Timestamp(point.Step) || !ConcurrentPoints.Value(point.Step).Equals(point.Value))
                return $"step {point.Step} has timestamp {point.Timestamp} and value {point.Value}, not the ones logged";
        }
        var lost = seen.Count(s => !s);
        return lost == 0 ? null : $"{lost} of {steps} points are missing";
    }

    private static Process StartWriter(string root, string runId, long firstStep, int seed, bool portable, int points = 0)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Qlib.Tracked.AppendWriter.dll");
        var info = Redirected(Environment.ProcessPath ?? "dotnet");
        var count = points > 0 ? points : PointsPerWriter;
        foreach (var arg in new[] { dll, "append", root, runId, Key, firstStep.ToString(), count.ToString(), seed.ToString() })
            info.ArgumentList.Add(arg);
        if (portable) info.ArgumentList.Add("--portable");
        return Process.Start(info)!;
    }

    /// <summary>MLflow's FileStore.log_metric/log_batch: per point, open(path, "a") and write one line; the same points as ConcurrentPoints.</summary>
    private static Process StartPythonWriter(string metricFile, long firstStep)
    {
        var script = $$"""
            import sys
            def value(step):
                return {7: float("nan"), 8: float("inf"), 9: float("-inf")}.get(step % 1000, step / 1000.0)
            print("ready", flush=True)
            sys.stdin.readline()
            for step in range({{firstStep}}, {{firstStep + PointsPerWriter}}):
                with open(sys.argv[1], "a") as f:
                    f.write("%s %s %s\n" % (1700000000000 + step, value(step), step))
            """;
        var info = Redirected("python3");
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
        info.ArgumentList.Add(metricFile);
        return Process.Start(info)!;
    }

    private static ProcessStartInfo Redirected(string fileName) => new(fileName)
    {
        RedirectStandardInput = true,
        RedirectStandardOutput = true,
        RedirectStandardError = true,
        UseShellExecute = false,
    };

    private static string? ReadLine(Process process)
    {
        var line = process.StandardOutput.ReadLineAsync();
        return line.Wait(ProcessTimeout) ? line.Result : throw new TimeoutException("a writer process never said it was ready");
    }

    private static int Setting(string variable, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), out var value) && value > 0 ? value : fallback;

    private static bool PythonAvailable()
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo("python3", "--version") { RedirectStandardOutput = true })!;
            p.WaitForExit();
            return p.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception) { return false; }
    }
}
