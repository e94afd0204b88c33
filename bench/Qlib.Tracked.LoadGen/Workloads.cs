using Qlib.Tracked.Stores.Rest.Protocol;

namespace Qlib.Tracked.LoadGen;

/// <summary>
/// Prepares operation <c>n</c> of client <c>client</c> (not timed: building and serializing its body) and returns the
/// timed part, which answers how many requests and metric points it carried.
/// </summary>
internal delegate Func<Task<OpResult>> Operation(int client, int n);

/// <summary>
/// The four measured operations. Each makes its data on the server first (not timed), then hands the runner an
/// <see cref="Operation"/>. Every experiment gets a fresh name, so the generator can run again and
/// again against the same server — except, with a <paramref name="dataName"/> (<c>--data-name</c>), the search and
/// history data: they live in experiments of fixed names, made when missing and reused as they are when present, so a
/// store seeded once (bench/server/run-server-bench.sh) can be copied under each server measured.
/// </summary>
internal sealed class Workloads(ServerApi api, string tag, string? dataName)
{
    public const int PointsPerBatch = 1_000;
    private const int Keys = 10;
    private const long BaseTimestamp = 1_700_000_000_000;

    /// <summary>
    /// <c>runs/log-batch</c> of 1,000 points (10 keys × 100 steps, MLflow's per-request maximum), each client into its
    /// own run with steps that never repeat, so every point is a new row.
    /// </summary>
    public async Task<Operation> LogBatchAsync(int clients)
    {
        var experiment = await api.CreateExperimentAsync($"loadgen-log-batch-{tag}-{clients}");
        var runs = new string[clients];
        for (var c = 0; c < clients; c++) runs[c] = await api.CreateRunAsync(experiment, Clock.NowMs());
        return (client, n) =>
        {
            var json = ServerApi.LogBatchJson(Batch(runs[client], (long)n * (PointsPerBatch / Keys), Keys, PointsPerBatch / Keys));
            return async () =>
            {
                await api.LogBatchAsync(json);
                return new OpResult(1, PointsPerBatch);
            };
        };
    }

    /// <summary>
    /// <c>runs/search</c> over <paramref name="runCount"/> runs made beforehand (param <c>group</c> = g0…g9, metric <c>ic</c>):
    /// the filter <c>params.group = 'g3'</c>, ordered by <c>metrics.ic DESC</c>, first page of 100 — one tenth of the runs match.
    /// </summary>
    public async Task<Operation> SearchAsync(int runCount, int setupClients)
    {
        var (experiment, seeded) = await DataExperimentAsync("search", runCount);
        var next = seeded ? runCount : -1;
        var fillers = Enumerable.Range(0, setupClients).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < runCount; i = Interlocked.Increment(ref next))
            {
                var run = await api.CreateRunAsync(experiment, BaseTimestamp + i);
                await api.LogBatchAsync(ServerApi.LogBatchJson(new LogBatchRequest
                {
                    RunId = run,
                    Params = [new() { Key = "group", Value = "g" + (i % 10) }, new() { Key = "lr", Value = "0.01" }],
                    Metrics = [new() { Key = "ic", Value = Math.Sin(i) * 0.1, Timestamp = BaseTimestamp + i, Step = 0 }],
                }));
            }
        }));
        await Task.WhenAll(fillers);
        var request = new SearchRunsRequest
        {
            ExperimentIds = [experiment],
            Filter = "params.group = 'g3'",
            OrderBy = ["metrics.ic DESC"],
            MaxResults = 100,
            RunViewType = "ACTIVE_ONLY",
        };
        var expected = Math.Min(100, (runCount + 6) / 10);
        return (_, _) => async () =>
        {
            var answer = await api.SearchRunsAsync(request);
            var found = answer.Runs?.Count ?? 0;
            if (found != expected) throw new LoadGenException($"runs/search answered {found} runs; {expected} match the filter");
            return new OpResult(1, 0);
        };
    }

    /// <summary><c>metrics/get-history</c> of one metric with <paramref name="points"/> steps, logged beforehand in 1,000-point batches.</summary>
    public async Task<Operation> HistoryAsync(int points)
    {
        var (experiment, seeded) = await DataExperimentAsync("history", points);
        var run = seeded ? await FirstRunAsync(experiment) : await api.CreateRunAsync(experiment, Clock.NowMs());
        for (long step = 0; step < points && !seeded; step += PointsPerBatch)
            await api.LogBatchAsync(ServerApi.LogBatchJson(Batch(run, step, 1, (int)Math.Min(PointsPerBatch, points - step))));
        return (_, _) => async () =>
        {
            // One request on MLflow 2.12 (the whole history in one answer), more on a server that pages.
            var (read, requests) = await api.GetMetricHistoryAsync(run, "metric_0");
            if (read != points) throw new LoadGenException($"metrics/get-history read {read} points; {points} were logged");
            return new OpResult(requests, read);
        };
    }

    /// <summary>
    /// The experiment for a workload's data of <paramref name="size"/> (runs or points) and whether it already holds it:
    /// a fresh one per generator run, or with <c>--data-name</c> the named one, reused when the server has it.
    /// </summary>
    private async Task<(string Experiment, bool Seeded)> DataExperimentAsync(string workload, int size)
    {
        if (dataName is null) return (await api.CreateExperimentAsync($"loadgen-{workload}-{tag}-{size}"), false);
        var name = $"loadgen-{workload}-{dataName}-{size}";
        return await api.FindExperimentAsync(name) is { } existing ? (existing, true) : (await api.CreateExperimentAsync(name), false);
    }

    private async Task<string> FirstRunAsync(string experiment)
    {
        var answer = await api.SearchRunsAsync(new SearchRunsRequest { ExperimentIds = [experiment], MaxResults = 1, RunViewType = "ACTIVE_ONLY" });
        return answer.Runs is [{ Info.RunId: { } run }] ? run
            : throw new LoadGenException($"experiment {experiment} was reused for --data-name but holds no run");
    }

    /// <summary><c>runs/create</c> then <c>runs/update</c> (FINISHED, end time): a run's whole life without data.</summary>
    public async Task<Operation> CreateUpdateAsync(int clients)
    {
        var experiment = await api.CreateExperimentAsync($"loadgen-create-{tag}-{clients}");
        return (_, _) => async () =>
        {
            var run = await api.CreateRunAsync(experiment, Clock.NowMs());
            await api.UpdateRunAsync(run, "FINISHED", Clock.NowMs());
            return new OpResult(2, 0);
        };
    }

    /// <summary><paramref name="keys"/> keys (<c>metric_0</c>…) × <paramref name="steps"/> steps from <paramref name="firstStep"/>.</summary>
    private static LogBatchRequest Batch(string runId, long firstStep, int keys, int steps)
    {
        var metrics = new List<MetricMessage>(keys * steps);
        for (var s = 0; s < steps; s++)
        {
            var step = firstStep + s;
            for (var k = 0; k < keys; k++)
                metrics.Add(new MetricMessage { Key = "metric_" + k, Value = 1.0 / (step + k + 1), Timestamp = BaseTimestamp + step, Step = step });
        }
        return new LogBatchRequest { RunId = runId, Metrics = metrics };
    }
}
