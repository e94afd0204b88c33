using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores;
using Qlib.Tracked.Stores.FileBacked;

namespace Qlib.Tracked.Tests.Stores;

/// <summary>
/// A store file over the limit its reader has — meta.yaml, a param or tag value, one metric line — is refused with a
/// warning naming it, checked by its length before any of it is read (the files here are sparse: gigabytes long,
/// nothing on disk, and a reader that read them would allocate that much).
/// </summary>
public sealed class OversizedFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _root;
    private readonly string _experimentId;
    private readonly string _runId;
    private readonly string _otherRunId;

    public OversizedFileTests()
    {
        _root = _dir.Combine("mlruns");
        var store = new FileStore(_root);
        _experimentId = store.CreateExperiment("huge");
        _runId = store.CreateRun(_experimentId, "u", 1_700_000_000_000, null, "big").Info.RunId;
        store.LogBatch(_runId, [new Metric("loss", 0.5, 1, 0)], [new Param("lr", "0.1"), new Param("notes", "n")], [new RunTag("team", "a")]);
        _otherRunId = store.CreateRun(_experimentId, "u", 1_700_000_001_000, null, "small").Info.RunId;
    }

    public void Dispose() => _dir.Dispose();

    private static void MakeSparse(string path, long length)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write);
        file.SetLength(length);
    }

    public static TheoryData<RunIndexMode> Modes => [RunIndexMode.Verified, RunIndexMode.Off];

    [Theory]
    [MemberData(nameof(Modes))]
    public void AHugeRunMeta_SkipsTheRunWithAWarning_WithoutReadingIt(RunIndexMode mode)
    {
        MakeSparse(Path.Combine(_root, _experimentId, _runId, "meta.yaml"), 3L << 30);
        var store = new FileStore(_root, new FileStoreOptions { RunIndex = mode });
        var warnings = new List<StoreWarning>();
        store.Warning += warnings.Add;
        var allocated = GC.GetAllocatedBytesForCurrentThread();

        var runs = store.SearchRuns([_experimentId], null, ViewType.All, 10, null, null).Items;
        var error = Assert.Throws<TrackingException>(() => store.GetRun(_runId));

        Assert.True(GC.GetAllocatedBytesForCurrentThread() - allocated < 64 << 20, "the file was read into memory");
        Assert.Equal([_otherRunId], runs.Select(r => r.Info.RunId));
        var warning = Assert.Single(warnings);
        Assert.Equal($"{_experimentId}/{_runId}/meta.yaml", warning.Path);
        Assert.Contains($"{3L << 30} bytes, over the {AtomicFile.MaxMetaBytes} bytes", warning.Message);
        Assert.Contains("over the", error.Message);
        Assert.Contains("meta.yaml", error.Message);
    }

    [Fact]
    public void AHugeExperimentMeta_SkipsTheExperimentWithAWarning()
    {
        MakeSparse(Path.Combine(_root, _experimentId, "meta.yaml"), 2L << 30);
        var store = new FileStore(_root);
        var warnings = new List<StoreWarning>();
        store.Warning += warnings.Add;

        Assert.DoesNotContain(_experimentId, store.SearchExperiments(ViewType.All).Select(e => e.ExperimentId));
        Assert.Contains(warnings, w => w.Path == _experimentId && w.Message.Contains("meta.yaml is unreadable", StringComparison.Ordinal)
            && w.Message.Contains("over the", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void AHugeParamOrTagValue_IsLeftOutWithAWarning_TheRestOfTheRunIsRead(RunIndexMode mode)
    {
        MakeSparse(Path.Combine(_root, _experimentId, _runId, "params", "notes"), 1L << 30);
        MakeSparse(Path.Combine(_root, _experimentId, _runId, "tags", "team"), AtomicFile.MaxValueBytes + 1);
        var store = new FileStore(_root, new FileStoreOptions { RunIndex = mode });
        var warnings = new List<StoreWarning>();
        store.Warning += warnings.Add;

        var run = store.SearchRuns([_experimentId], "params.lr = '0.1'", ViewType.All, 10, null, null).Items.Single();

        Assert.Equal("0.1", run.Data.Params["lr"]);
        Assert.False(run.Data.Params.ContainsKey("notes"));
        Assert.False(run.Data.Tags.ContainsKey("team"));
        Assert.Equal(0.5, run.Data.Metrics["loss"].Value);
        Assert.Contains(warnings, w => w.Path == $"{_experimentId}/{_runId}/params/notes" && w.Message.Contains("over the", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Path == $"{_experimentId}/{_runId}/tags/team" && w.Message.Contains("'team'", StringComparison.Ordinal));
    }

    [Fact]
    public void AMetricLineLongerThanTheReadersChunk_IsSkippedAndReported_TheLinesAroundItAreRead()
    {
        var path = Path.Combine(_root, _experimentId, _runId, "metrics", "loss");
        var longLine = new byte[MetricFile.ChunkBytes * 3];
        Array.Fill(longLine, (byte)'7');
        using (var file = new FileStream(path, FileMode.Append, FileAccess.Write))
        {
            file.Write(longLine);
            file.Write("\n2 0.25 1\n"u8);
            file.Write(longLine.AsSpan(0, MetricFile.ChunkBytes + 10)); // and a torn one at the end
        }
        var bad = new List<(int Line, string Reason)>();

        var points = MetricFile.ReadHistory(path, "loss", (number, reason) => bad.Add((number, reason)));

        Assert.Equal([0.5, 0.25], points.Select(p => p.Value));
        Assert.Equal([2, 4], bad.Select(b => b.Line));
        Assert.All(bad, b => Assert.Contains($"longer than {MetricFile.ChunkBytes} bytes", b.Reason));
    }

    [Fact]
    public async Task APipeInPlaceOfAStoreFile_IsRefusedWithAWarning_NeverOpened()
    {
        if (!OperatingSystem.IsLinux()) return; // the check is a Linux statx; elsewhere a pipe is opened as before
        var runFolder = Path.Combine(_root, _experimentId, _runId);
        string[] pipes = [Path.Combine(runFolder, "params", "notes"), Path.Combine(runFolder, "metrics", "loss"), Path.Combine(_root, _experimentId, _otherRunId, "meta.yaml")];
        foreach (var pipe in pipes) File.Delete(pipe);
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", pipes)) mkfifo.WaitForExit();
        var store = new FileStore(_root);
        var warnings = new List<StoreWarning>();
        store.Warning += warnings.Add;

        // An open of a FIFO without a writer never returns: bound the wait so a regression fails instead of hanging.
        var search = Task.Run(() => store.SearchRuns([_experimentId], null, ViewType.All, 10, null, null).Items);
        var finished = await Task.WhenAny(search, Task.Delay(TimeSpan.FromSeconds(20)));
        Assert.True(finished == search, "a pipe in the store was opened");

        var run = Assert.Single(await search);
        Assert.Equal(_runId, run.Info.RunId);
        Assert.False(run.Data.Params.ContainsKey("notes"));
        Assert.False(run.Data.Metrics.ContainsKey("loss"));
        foreach (var pipe in pipes)
            Assert.Contains(warnings, w => w.Path == StoreLayout.Relative(_root, pipe) && w.Message.Contains("not a regular file", StringComparison.Ordinal));
    }
}
