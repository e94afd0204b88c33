using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores;

// One writer of the concurrent-append tests: appends distinct steps of one metric through FileStore.LogBatch,
// in batches of varying size (one point to several pages of lines per write), after the starter says "go".
//
//   create <store> <experiment name>                         prints the new run's id
//   append <store> <run id> <key> <first step> <count> <seed> [--portable]
//       prints "ready", waits for a line on stdin, appends steps first..first+count-1, prints "done"
//
// The points are those of ConcurrentPoints: the starter checks every one arrived, once, in a whole line.
return args switch
{
    ["create", var store, var experimentName] => Create(store, experimentName),
    ["append", var store, var runId, var key, var first, var count, var seed, .. var rest] when rest is [] or ["--portable"] =>
        Append(store, runId, key, long.Parse(first), int.Parse(count), int.Parse(seed), portable: rest is ["--portable"]),
    _ => Usage(),
};

static int Create(string store, string experimentName)
{
    var fileStore = new FileStore(store);
    var experimentId = fileStore.GetExperimentByName(experimentName)?.ExperimentId ?? fileStore.CreateExperiment(experimentName);
    Console.WriteLine(fileStore.CreateRun(experimentId, "append-writer", ConcurrentPoints.Timestamp(0), null, "concurrent-appends").Info.RunId);
    return 0;
}

static int Append(string store, string runId, string key, long first, int count, int seed, bool portable)
{
    // Must be set before the first append: the store reads it once.
    if (portable) Qlib.Tracked.Interop.NativeCalls.ForcePortable = true;
    var fileStore = new FileStore(store);
    var sizes = new Random(seed);
    Console.WriteLine("ready");
    if (Console.ReadLine() is null) return 3; // the starter went away
    var batch = new List<Metric>(ConcurrentPoints.MaxBatch);
    for (var step = first; step < first + count;)
    {
        batch.Clear();
        var size = Math.Min(sizes.Next(1, ConcurrentPoints.MaxBatch + 1), (int)(first + count - step));
        for (var i = 0; i < size; i++, step++) batch.Add(new Metric(key, ConcurrentPoints.Value(step), ConcurrentPoints.Timestamp(step), step));
        fileStore.LogBatch(runId, batch, [], []);
    }
    Console.WriteLine("done");
    return 0;
}

static int Usage()
{
    Console.Error.WriteLine("usage: create <store> <experiment name> | append <store> <run id> <key> <first step> <count> <seed> [--portable]");
    return 2;
}
