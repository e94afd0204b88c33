using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores.Search;

namespace Qlib.Tracked.Tests.Search;

/// <summary>
/// A compiled filter evaluates without allocating per run: numbers are parsed once, strings compared in place,
/// LIKE matched without lower-casing copies. Counted in bytes on this thread (deterministic, not timed).
/// </summary>
public sealed class FilterAllocationTests
{
    [Theory]
    [InlineData("metrics.loss < 0.5 AND params.lr = '0.01'")]
    [InlineData("params.model ILIKE '%gb%' AND tags.stage LIKE 'cand%' AND status != 'FAILED'")]
    [InlineData("attributes.start_time >= 5 AND end_time < 900 AND run_name LIKE 'run-1_'")]
    [InlineData("run_id IN ('r1', 'r2') AND datasets.context = 'training'")]
    [InlineData("metrics.missing != 1 AND params.missing = 'x'")]
    public void Matches_AllocatesNothingPerRun(string filter)
    {
        var runs = Enumerable.Range(0, 200).Select(i => new Run(
            new RunInfo($"r{i}", "1", $"run-{i}", "u", i % 3 == 0 ? RunStatus.Failed : RunStatus.Finished, i, i + 10, "file:///a", LifecycleStage.Active),
            new RunData(
                new Dictionary<string, Metric> { ["loss"] = new("loss", i / 100.0, 0, 0) },
                new Dictionary<string, string> { ["lr"] = i % 2 == 0 ? "0.01" : "0.1", ["model"] = i % 2 == 0 ? "LGBModel" : "Linear" },
                new Dictionary<string, string> { ["stage"] = "candidate" }),
            [new DatasetInput(new Dataset("d", "x", "local", "{}", null, null), new Dictionary<string, string> { ["mlflow.data.context"] = "training" })]))
            .ToArray();
        var compiled = RunFilter.Parse(filter);
        var matched = 0;
        for (var warm = 0; warm < 3; warm++)
        {
            foreach (var run in runs) if (compiled.Matches(run)) matched++;
        }
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var round = 0; round < 10; round++)
        {
            for (var i = 0; i < runs.Length; i++) if (compiled.Matches(runs[i])) matched++;
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.True(matched >= 0);
    }
}
