using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores;

namespace Qlib.Tracked.Cli.Tests;

/// <summary>
/// A migrate source: the MLflow-written fixture store plus runs that exercise what a copy can lose — long and
/// NaN/±inf histories, keys with '/', every status, a deleted run, a deleted experiment with runs, nested artifacts.
/// </summary>
public static class MigrateSourceStore
{
    public static TempStore Create()
    {
        var temp = new TempStore(copyFixture: true);
        var store = new FileStore(temp.Store);
        var experiment = store.CreateExperiment("migrate_extra", null, [new RunTag("team", "quant"), new RunTag("mlflow.note.content", "ünïcode ✓")]);

        var finished = store.CreateRun(experiment, "alice", 1_700_000_000_000, [new RunTag("model", "lgbm")], "finished").Info.RunId;
        store.LogBatch(finished, [], [new Param("lr", "0.05"), new Param("layers", "[64, 32]")], []);
        for (var start = 0; start < 2_500; start += 1_000)
        {
            var points = Enumerable.Range(start, Math.Min(1_000, 2_500 - start))
                .Select(step => new Metric("train/loss", 1.0 / (step + 1), 1_700_000_000_000 + step, step)).ToList();
            store.LogBatch(finished, points, [], []);
        }
        store.LogBatch(finished, [
            new Metric("odd", double.NaN, 1_700_000_000_100, 0), new Metric("odd", double.PositiveInfinity, 1_700_000_000_101, 1),
            new Metric("odd", double.NegativeInfinity, 1_700_000_000_102, 2), new Metric("odd", 1e300, 1_700_000_000_103, 3),
            new Metric("odd", 5e-324, 1_700_000_000_104, 2), // out of step order: order must survive as logged
        ], [], []);
        store.UpdateRunInfo(finished, RunStatus.Finished, 1_700_000_009_999, null);
        var artifacts = store.GetArtifactRepository(finished);
        artifacts.Write("model/weights.bin", Enumerable.Range(0, 70_000).Select(b => (byte)(b * 7)).ToArray());
        artifacts.Write("notes.txt", "hello"u8);

        var failed = store.CreateRun(experiment, "bob", 1_700_000_100_000, null, "failed").Info.RunId;
        store.LogBatch(failed, [new Metric("acc", 0.5, 1_700_000_100_001, 0)], [new Param("seed", "7")], [new RunTag("note", "deleted later")]);
        store.UpdateRunInfo(failed, RunStatus.Failed, 1_700_000_100_500, null);
        store.DeleteRun(failed);

        store.CreateRun(experiment, "carol", 1_700_000_200_000, null, "still-running");

        var gone = store.CreateExperiment("migrate_gone");
        var goneRun = store.CreateRun(gone, "dave", 1_700_000_300_000, null, "in-trash").Info.RunId;
        store.LogBatch(goneRun, [new Metric("m", 1, 1_700_000_300_001, 0), new Metric("m", 2, 1_700_000_300_002, 1)], [], []);
        store.UpdateRunInfo(goneRun, RunStatus.Killed, 1_700_000_300_003, null);
        store.DeleteExperiment(gone);
        return temp;
    }
}
