using Qlib.Tracked.TestCorpus;

namespace Qlib.Tracked.Cli.Tests;

/// <summary>
/// Every <c>qtrack</c> command over every run of <see cref="HostileStoreCorpus"/>: exit 0 (with warnings on stderr
/// for what was skipped) or 1 with an <c>error:</c> line — never 2 (the command lines are right), never a stack
/// trace or an "unexpected failure".
/// </summary>
public sealed class HostileStoreSweepTests : IDisposable
{
    private readonly HostileStoreCorpus _corpus = new();

    public void Dispose() => _corpus.Dispose();

    [Fact]
    public void EveryCommand_OverEveryRun_EndsCleanly()
    {
        var outFolder = Path.Combine(_corpus.Folder, "out");
        Directory.CreateDirectory(outFolder);
        List<string[]> calls =
        [
            ["experiments", "--view", "all"],
            ["experiments", "--format", "json"],
            ["runs", "--view", "all", "-e", _corpus.ExperimentId],
            ["runs", "--format", "json", "-e", _corpus.ExperimentId, "-o", "metrics.loss DESC", "-c", "params.p", "-c", "tags.t"],
            ["runs", "--format", "csv", "-e", _corpus.ExperimentId, "-f", "metrics.loss > 0"],
            ["runs"],
            ["export", "--out", Path.Combine(outFolder, "runs.parquet"), "-e", _corpus.ExperimentId, "--view", "all"],
            ["export", "--out", Path.Combine(outFolder, "runs.csv"), "-e", _corpus.ExperimentId],
            ["compare", .. _corpus.AllRunIds],
            ["compare", "--format", "json", .. _corpus.AllRunIds.Take(6)],
            ["gc", "--dry-run", "--stale-after", "1d"],
        ];
        foreach (var runId in _corpus.AllRunIds)
        {
            calls.Add(["show", runId]);
            calls.Add(["show", runId, "--format", "json"]);
            calls.Add(["metrics", runId, "loss"]);
            calls.Add(["metrics", runId, "folder-metric"]);
            calls.Add(["metrics", runId, "huge", "--format", "json"]);
            calls.Add(["artifacts", runId, "-r"]);
            calls.Add(["get", runId, "loop", "--out", Path.Combine(outFolder, runId)]);
        }

        var problems = new List<string>();
        foreach (var args in calls)
        {
            var result = CliRunner.Run([.. args, "--store", _corpus.Root]);
            var what = "qtrack " + string.Join(' ', args);
            if (result.ExitCode is not (0 or 1)) problems.Add($"{what}: exit {result.ExitCode}: {result.Error}");
            else if (result.ExitCode == 1 && !result.Error.Split('\n').Any(line => line.StartsWith("error: ", StringComparison.Ordinal)))
                problems.Add($"{what}: exit 1 without an error line: {result.Error}");
            if (result.Error.Contains("   at ", StringComparison.Ordinal) || result.Error.Contains("unexpected failure", StringComparison.Ordinal))
                problems.Add($"{what}: stack trace: {result.Error[..Math.Min(400, result.Error.Length)]}");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));

        // The healthy run still reads back as written.
        using var healthy = CliRunner.Run("metrics", _corpus.HealthyRunId, "loss", "--format", "json", "--store", _corpus.Root).Json();
        Assert.Contains("0.25", healthy.RootElement.GetRawText());
    }
}
