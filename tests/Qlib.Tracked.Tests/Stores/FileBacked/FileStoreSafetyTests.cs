using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores;

namespace Qlib.Tracked.Tests;

public sealed class FileStoreSafetyTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _root;
    private readonly FileStore _store;
    private readonly List<StoreWarning> _warnings = [];

    public FileStoreSafetyTests()
    {
        _root = _temp.Combine("mlruns");
        _store = new FileStore(_root);
        _store.Warning += w => { lock (_warnings) _warnings.Add(w); };
    }

    public void Dispose() => _temp.Dispose();

    private (string ExperimentId, string RunId, string Folder) NewRun()
    {
        var experimentId = _store.CreateExperiment("safety-" + Guid.NewGuid().ToString("N"));
        var runId = _store.CreateRun(experimentId, null, 1, null, "r").Info.RunId;
        return (experimentId, runId, Path.Combine(_root, experimentId, runId));
    }

    [Fact]
    public void MetaRewrite_ReplacesTheFileAtomically_AReaderHoldingTheOldFileSeesItWhole()
    {
        var (_, runId, folder) = NewRun();
        var metaPath = Path.Combine(folder, "meta.yaml");
        var before = File.ReadAllText(metaPath);
        using (var reader = new FileStream(metaPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        {
            _store.UpdateRunInfo(runId, RunStatus.Finished, 1700000000999, null);
            // An in-place rewrite would change what this open handle reads; a rename leaves it the old, complete file.
            using var text = new StreamReader(reader);
            Assert.Equal(before, text.ReadToEnd());
        }
        Assert.Contains("end_time: 1700000000999", File.ReadAllText(metaPath));
        Assert.Empty(Directory.GetFiles(folder, "*.tmp"));
    }

    [Fact]
    public async Task MetaRewrites_WhileAnotherThreadReadsByPath_AreAlwaysSeenWholeAndLeaveNoTempFiles()
    {
        var (_, runId, folder) = NewRun();
        var metaPath = Path.Combine(folder, "meta.yaml");
        using var stop = new CancellationTokenSource();
        var partial = new List<string>();
        var reads = 0;
        var reader = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                string text;
                try { text = File.ReadAllText(metaPath); }
                catch (FileNotFoundException) { lock (partial) partial.Add("<missing>"); continue; }
                Interlocked.Increment(ref reads);
                if (!text.StartsWith("artifact_uri:", StringComparison.Ordinal) || !text.EndsWith("user_id: unknown\n", StringComparison.Ordinal))
                    lock (partial) partial.Add(text);
            }
        });
        // Rewrite until the reader has overlapped many rewrites (at least 300 rewrites, 200 reads).
        var last = 0;
        for (var i = 0; i < 20_000 && (i < 300 || Volatile.Read(ref reads) < 200); i++)
        {
            _store.UpdateRunInfo(runId, i % 2 == 0 ? RunStatus.Finished : RunStatus.Running, 1_700_000_000_000 + i, null);
            last = i;
        }
        await stop.CancelAsync();
        await reader;
        Assert.True(reads >= 200, $"only {reads} reads overlapped the rewrites");
        Assert.Empty(partial);
        Assert.Contains($"end_time: {1_700_000_000_000 + last}", File.ReadAllText(metaPath));
        Assert.Equal(["meta.yaml"], Directory.GetFiles(folder).Select(Path.GetFileName));
    }

    [Fact]
    public void Append_AfterTornLine_StartsOnAFreshLine()
    {
        var (_, runId, folder) = NewRun();
        var metricPath = Path.Combine(folder, "metrics", "loss");
        File.WriteAllText(metricPath, "1700000000001 0.5 0\n1700000000002 0.2"); // crash mid-line
        _store.LogMetric(runId, new Metric("loss", 0.1, 1700000000003, 2));
        Assert.Equal("1700000000001 0.5 0\n1700000000002 0.2\n1700000000003 0.1 2\n", File.ReadAllText(metricPath));
        var history = _store.GetMetricHistory(runId, "loss");
        Assert.Equal([0.5, 0.2, 0.1], history.Select(m => m.Value)); // "ts value" is a valid 2-field line (step 0)
    }

    [Fact]
    public void LongHistory_ReadInChunks_KeepsFileOrderAndReportsBadLinesByTheirFileLineNumber()
    {
        // Over 1 MiB: read in several chunks, with lines crossing chunk ends; line numbers count across chunks.
        var (_, runId, folder) = NewRun();
        var metricPath = Path.Combine(folder, "metrics", "loss");
        var text = new System.Text.StringBuilder();
        var expected = new List<(long Ts, double Value, long Step)>();
        const int Lines = 60_000;
        for (var line = 1; line <= Lines; line++)
        {
            if (line is 7 or 45_000)
            {
                text.Append("garbage line\n");
                continue;
            }
            var point = (1_700_000_000_000L + line, line * 0.001, (long)line);
            expected.Add(point);
            text.Append(System.FormattableString.Invariant($"{point.Item1} {PythonFloatText(point.Item2)} {point.Item3}\n"));
        }
        text.Append("1700000099999 0.5"); // unfinished last line: reported, not a point (it may be "… 0.55 7")
        File.WriteAllText(metricPath, text.ToString());
        Assert.True(new FileInfo(metricPath).Length > 1024 * 1024);

        var history = _store.GetMetricHistory(runId, "loss");
        Assert.Equal(expected, history.Select(m => (m.Timestamp, m.Value, m.Step)));
        var lines = _warnings.Select(w => w.Message).Where(m => m.Contains("Skipped line")).ToList();
        Assert.Equal(3, lines.Count);
        Assert.Contains("Skipped line 7:", lines[0]);
        Assert.Contains("Skipped line 45000:", lines[1]);
        Assert.Contains("Skipped line 60001:", lines[2]);
    }

    private static string PythonFloatText(double value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture) is var r && !r.Contains('.') && !r.Contains('E') ? r + ".0" : r;

    [Fact]
    public void TornAndMalformedLines_AreSkippedAndReported_RunStaysReadableAndSearchable()
    {
        var (experimentId, runId, folder) = NewRun();
        var metricPath = Path.Combine(folder, "metrics", "loss");
        File.WriteAllText(metricPath, "1700000000001 0.5 0\n17000\nabc 0.1 1\n1700000000003 zz 2\n1700000000004 0.25 3\n1700000000005 0.");
        var run = _store.GetRun(runId);
        Assert.Equal(0.25, run.Data.Metrics["loss"].Value);
        Assert.Equal([0.5, 0.25], _store.GetMetricHistory(runId, "loss").Select(m => m.Value)); // "1700000000005 0." is unfinished: not 0.0
        Assert.Single(_store.SearchRuns([experimentId], "metrics.loss < 1", ViewType.ActiveOnly, 10, null, null).Items);
        Assert.NotEmpty(_warnings);
        Assert.All(_warnings, w =>
        {
            Assert.Equal(runId, w.RunId);
            Assert.Equal($"{experimentId}/{runId}/metrics/loss", w.Path);
        });
        Assert.Contains(_warnings, w => w.Message.Contains("line 2") && w.Message.Contains("contained 1 fields"));
        Assert.Contains(_warnings, w => w.Message.Contains("line 3") && w.Message.Contains("timestamp"));
        Assert.Contains(_warnings, w => w.Message.Contains("line 4") && w.Message.Contains("value"));
    }

    [Fact]
    public void TornLastLineThatDoesNotParse_IsSkippedWithWarning()
    {
        var (_, runId, folder) = NewRun();
        File.WriteAllText(Path.Combine(folder, "metrics", "m"), "1700000000001 0.5 0\n1700000000002 0.4 1x");
        Assert.Equal(0.5, Assert.Single(_store.GetMetricHistory(runId, "m")).Value);
        Assert.Equal(0.5, _store.GetRun(runId).Data.Metrics["m"].Value);
        Assert.Contains(_warnings, w => w.Message.Contains("no trailing newline"));
    }

    [Fact]
    public void AnUnfinishedLastLineThatWouldParse_IsNotReadAsAPoint()
    {
        var (_, runId, folder) = NewRun();
        // What a reader sees while another process's "1700000000002 0.45 12\n" is half copied.
        File.WriteAllText(Path.Combine(folder, "metrics", "m"), "1700000000001 0.5 0\n1700000000002 0.4");
        Assert.Equal(0.5, Assert.Single(_store.GetMetricHistory(runId, "m")).Value);
        Assert.Equal(0.5, _store.GetRun(runId).Data.Metrics["m"].Value);
        Assert.Contains(_warnings, w => w.Message.Contains("the last line has no trailing newline"));
    }

    [Fact]
    public void MetricHistory_OfAKeyThatIsAFolder_IsInvalidParameter_NamingRunKeyAndTheMetricsInside()
    {
        var (_, runId, _) = NewRun();
        _store.LogMetric(runId, new Metric("train/loss", 0.5, 1700000000001, 0));

        var error = Assert.Throws<TrackingException>(() => _store.GetMetricHistory(runId, "train"));

        Assert.Equal(ErrorCode.InvalidParameterValue, error.Code);
        Assert.Contains($"Metric 'train' of run '{runId}' is a folder", error.Message);
        Assert.Contains("such as train/loss", error.Message);
        Assert.DoesNotContain(_root, error.Message);
        Assert.Equal(0.5, Assert.Single(_store.GetMetricHistory(runId, "train/loss")).Value);
    }

    [Fact]
    public void ConcurrentBatches_FromSeveralStoreInstances_NeverLoseOrInterleaveLines()
    {
        var (_, runId, folder) = NewRun();
        const int writers = 4, batches = 25, perBatch = 200;
        Parallel.For(0, writers, w =>
        {
            var store = new FileStore(_root);
            for (var b = 0; b < batches; b++)
            {
                var batch = Enumerable.Range(0, perBatch).Select(i => new Metric("m", i, ((w * batches) + b) * 1000L + i, i)).ToArray();
                store.LogBatch(runId, batch, [], []);
            }
        });
        var history = _store.GetMetricHistory(runId, "m");
        Assert.Equal(writers * batches * perBatch, history.Count);
        // Each batch's lines are contiguous and in order: the file is a sequence of whole batches.
        for (var start = 0; start < history.Count; start += perBatch)
        {
            var batchId = history[start].Timestamp / 1000;
            for (var i = 0; i < perBatch; i++) Assert.Equal((batchId * 1000) + i, history[start + i].Timestamp);
        }
        Assert.Empty(_warnings);
    }

    [Fact]
    public void ConcurrentCreateOfTheSameName_FromSeparateStoreInstances_EndsWithOneExperiment()
    {
        const int racers = 8;
        var results = new string?[racers];
        var errors = new TrackingException?[racers];
        var stores = Enumerable.Range(0, racers).Select(_ => new FileStore(_root)).ToArray();
        using var start = new Barrier(racers);
        var threads = Enumerable.Range(0, racers).Select(i => new Thread(() =>
        {
            start.SignalAndWait(); // all racers check the name at the same moment
            try { results[i] = stores[i].CreateExperiment("race"); }
            catch (TrackingException e) { errors[i] = e; }
        })).ToArray();
        foreach (var t in threads) t.Start();
        foreach (var t in threads) t.Join();
        Assert.Single(results, r => r is not null);
        Assert.All(errors.Where(e => e is not null), e => Assert.Equal(ErrorCode.ResourceAlreadyExists, e!.Code));
        Assert.Single(_store.SearchExperiments(), e => e.Name == "race");
        Assert.True(File.Exists(Path.Combine(_root, ".qtrk-create.lock")));
    }

    [Theory]
    [InlineData("../../escape")]
    [InlineData("/etc/passwd")]
    [InlineData("a/../../b")]
    [InlineData("..")]
    [InlineData("")]
    public void Keys_CanNeverEscapeTheRunFolder(string key)
    {
        var (_, runId, _) = NewRun();
        Assert.Throws<TrackingException>(() => _store.LogMetric(runId, new Metric(key, 1, 1, 0)));
        Assert.Throws<TrackingException>(() => _store.LogParam(runId, new Param(key, "v")));
        Assert.Throws<TrackingException>(() => _store.SetTag(runId, new RunTag(key, "v")));
        Assert.Throws<TrackingException>(() => _store.GetMetricHistory(runId, key));
        Assert.Throws<TrackingException>(() => _store.DeleteTag(runId, key));
        Assert.Empty(Directory.GetFiles(_temp.Path, "*", SearchOption.TopDirectoryOnly));
        Assert.False(File.Exists(Path.Combine(_root, "escape")));
    }
}
