using System.Diagnostics;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores;

namespace Qlib.Tracked.Tests;

/// <summary>
/// Another process appending to the same metric file at the same time (MLflow itself, or a second
/// training process) must not lose or interleave lines. The other process here is Python appending the
/// way MLflow's file store does (<c>open(path, "a")</c>, one line per write); our appends go through
/// O_APPEND, so the kernel orders the two. Skipped where python3 is missing.
/// </summary>
public sealed class CrossProcessAppendTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [SkippableFact]
    public void AppendsFromAnotherProcess_AndThisOne_AllArriveWhole()
    {
        Skip.IfNot(PythonAvailable(), "python3 is not installed on this machine.");
        var store = new FileStore(_temp.Combine("mlruns"));
        var experimentId = store.CreateExperiment("cross-process");
        var runId = store.CreateRun(experimentId, null, 1, null, "r").Info.RunId;
        var metricFile = Path.Combine(_temp.Combine("mlruns"), experimentId, runId, "metrics", "m");

        const int pythonLines = 8_000, perBatch = 100;
        var script = $$"""
            import sys
            for i in range({{pythonLines}}):
                with open(sys.argv[1], "a") as f:
                    f.write("%d %s %d\n" % (2000000000000 + i, str(float(i)), i))
            """;
        var info = new ProcessStartInfo("python3") { RedirectStandardError = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
        info.ArgumentList.Add(metricFile);
        using var python = Process.Start(info)!;
        // Keep appending for as long as Python does, so the two really overlap.
        var batches = 0;
        while (!python.HasExited || batches < 50)
        {
            var b = batches++;
            var batch = Enumerable.Range(0, perBatch).Select(i => new Metric("m", -1, (b * 1000L) + i, i)).ToArray();
            store.LogBatch(runId, batch, [], []);
        }
        python.WaitForExit();
        Assert.True(python.ExitCode == 0, python.StandardError.ReadToEnd());

        var warnings = new List<StoreWarning>();
        store.Warning += warnings.Add;
        var history = store.GetMetricHistory(runId, "m");
        Assert.Empty(warnings);
        Assert.Equal(pythonLines + (batches * perBatch), history.Count);
        // Python's lines all arrived, in its order; ours too, each batch contiguous.
        var fromPython = history.Where(m => m.Timestamp >= 2000000000000).ToList();
        Assert.Equal(Enumerable.Range(0, pythonLines).Select(i => (double)i), fromPython.Select(m => m.Value));
        var ours = history.Where(m => m.Timestamp < 2000000000000).ToList();
        Assert.Equal(Enumerable.Range(0, batches).SelectMany(b => Enumerable.Range(0, perBatch).Select(i => (b * 1000L) + i)),
            ours.Select(m => m.Timestamp));
    }

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
