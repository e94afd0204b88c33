using System.Diagnostics;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores;

namespace Qlib.Tracked.Cli.Tests;

/// <summary>A real <c>qtrack migrate</c> process killed (SIGKILL) in the middle of its work, then run again.</summary>
public sealed class MigrateKillTests
{
    private const int Runs = 120;

    [Fact]
    public void A_migrate_killed_midway_and_rerun_gives_the_source_back_without_duplicates()
    {
        using var temp = new TempStore(copyFixture: false);
        var source = new FileStore(temp.Store);
        var experiment = source.CreateExperiment("many");
        for (var r = 0; r < Runs; r++)
        {
            var run = source.CreateRun(experiment, "u", 1_700_000_000_000 + r, null, $"run-{r}").Info.RunId;
            source.LogBatch(run, Enumerable.Range(0, 999).Select(s => new Metric("loss", s * 0.5, 1_700_000_000_000 + s, s)).ToList(), [new Param("r", $"{r}")], []);
            source.UpdateRunInfo(run, RunStatus.Finished, 1_700_000_100_000 + r, null);
        }
        var destination = temp.Combine("copy");

        using (var process = StartMigrate(temp.Store, destination))
        {
            var watch = Stopwatch.StartNew();
            while (CompleteRuns(destination) < 5 && !process.HasExited && watch.Elapsed < TimeSpan.FromSeconds(30)) Thread.Sleep(2);
            Assert.False(process.HasExited, "qtrack migrate finished before it could be killed: the test proves nothing; give it more runs");
            process.Kill();
            Assert.True(process.WaitForExit(30_000));
        }
        var copiedBeforeKill = CompleteRuns(destination);
        Assert.InRange(copiedBeforeKill, 5, Runs - 1);

        var rerun = CliRunner.Run("migrate", "--from", temp.Store, "--to", destination);
        Assert.True(rerun.ExitCode == 0, rerun.Error);
        Assert.Contains($"{Runs - copiedBeforeKill} run(s) copied", rerun.Out);
        Assert.Equal(StoreSnapshot.Of(temp.Store), StoreSnapshot.Of(destination)); // every history whole: no point twice, none lost
    }

    private static Process StartMigrate(string from, string to)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "qtrack.dll");
        var start = new ProcessStartInfo(Environment.ProcessPath ?? "dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])[dll, "migrate", "--from", from, "--to", to]) start.ArgumentList.Add(argument);
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Runs whose meta.yaml is in place (hidden staging folders are not runs).</summary>
    private static int CompleteRuns(string store)
    {
        if (!Directory.Exists(store)) return 0;
        var count = 0;
        foreach (var experiment in Directory.EnumerateDirectories(store))
        {
            if (Path.GetFileName(experiment).StartsWith('.')) continue;
            foreach (var run in Directory.EnumerateDirectories(experiment))
            {
                if (!Path.GetFileName(run).StartsWith('.') && File.Exists(Path.Combine(run, "meta.yaml"))) count++;
            }
        }
        return count;
    }
}
