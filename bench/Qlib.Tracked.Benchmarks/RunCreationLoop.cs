using System.Diagnostics;
using Qlib.Tracked.Client;

namespace Qlib.Tracked.Benchmarks;

/// <summary>
/// <c>--run-loop N [r|c]</c>: N runs created and ended in one new experiment, printing runs/s per block of 1,000, so a
/// change in the per-run cost as the store and the kernel's caches grow is visible (BenchmarkDotNet's 5 × 500 hide it).
/// <c>r</c>: <c>R.Start(experimentName)</c> + <c>Complete()</c> (source capture off); <c>c</c>: <c>CreateRun</c> with
/// MLflow's fluent tags + <c>SetTerminated</c>.
/// </summary>
internal static class RunCreationLoop
{
    public static void Run(string[] args)
    {
        var runs = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 10_000;
        var viaR = args.Length < 2 || args[1] == "r";
        using var store = new BenchStore("loop");
        var experimentId = store.Client.CreateExperiment("loop-c");
        var tags = RunCreation.RunCreationTags();
        R.Register(store.NewQlibRecorder("loop-r"));
        try
        {
            var total = Stopwatch.StartNew();
            for (var done = 0; done < runs; done += 1000)
            {
                var block = Math.Min(1000, runs - done);
                var watch = Stopwatch.StartNew();
                for (var i = 0; i < block; i++)
                {
                    if (viaR)
                    {
                        using var scope = R.Start(experimentName: "loop-r");
                        scope.Complete();
                    }
                    else
                    {
                        var run = store.Client.CreateRun(experimentId, tags: tags);
                        store.Client.SetTerminated(run.Info.RunId);
                    }
                }
                Console.Write($"{block / watch.Elapsed.TotalSeconds:N0} ");
            }
            Console.WriteLine($"runs/s per 1,000; overall {runs / total.Elapsed.TotalSeconds:N0} runs/s ({(viaR ? "R.Start + end" : "CreateRun + SetTerminated")})");
        }
        finally
        {
            R.EndExp();
        }
    }
}
