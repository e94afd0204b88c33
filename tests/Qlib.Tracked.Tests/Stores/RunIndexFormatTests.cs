using System.Buffers.Binary;
using System.Text;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores;
using Qlib.Tracked.Stores.FileBacked;
using Qlib.Tracked.Stores.FileBacked.Index;

namespace Qlib.Tracked.Tests.Stores;

/// <summary>
/// The persisted index's current format (version 4, decoded lazily per key): a saved index loads into a new
/// store with every value intact (awkward keys and values included), lazily loaded runs that then change are
/// answered as the files say, a file of an older format version is reported and rebuilt, and a file whose checksum
/// is right but whose offsets, counts or ids are not is reported and rebuilt — never a crash, never a wrong answer.
/// </summary>
public sealed class RunIndexFormatTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _root;
    private readonly string _experimentId;
    private readonly string _experimentFolder;
    private readonly string _indexFile;
    private readonly List<string> _runIds = [];

    private static readonly string[] Filters =
    [
        "", "params.group = 'g3'", "params.group = 'g1' and metrics.score > 0.1", "metrics.`train/loss` < 1",
        "metrics.nan_metric != 0", "params.empty = ''", "tags.`ünï/cødé` = 'välue ✓'", "metrics.inf_metric > 0",
    ];

    private static readonly string[][] Orders = [[], ["metrics.score DESC"], ["params.`lr/base` ASC"], ["metrics.neg_inf ASC", "attributes.run_name"]];

    public RunIndexFormatTests()
    {
        _root = _temp.Combine("mlruns");
        var store = new FileStore(_root);
        _experimentId = store.CreateExperiment("format");
        _experimentFolder = Path.Combine(_root, _experimentId);
        _indexFile = RunIndexTestKit.IndexFile(_experimentFolder);
        for (var i = 0; i < 14; i++)
        {
            var id = store.CreateRun(_experimentId, i % 2 == 0 ? "ü-user" : "u", 100 + i, [new RunTag("team", "t" + (i % 3))], "run" + i).Info.RunId;
            List<Metric> metrics = [new("score", i / 10.0, 1, 0), new("train/loss", 1.0 / (i + 1), 2, 3), new("nan_metric", double.NaN, 1, 0)];
            if (i % 3 == 0) metrics.Add(new Metric("inf_metric", double.PositiveInfinity, 1, 0));
            if (i % 4 == 0) metrics.Add(new Metric("neg_inf", double.NegativeInfinity, 1, 0));
            List<Param> parameters = [new("group", "g" + (i % 4)), new("lr/base", "0.0" + i)];
            if (i % 2 == 0) parameters.Add(new Param("empty", ""));
            List<RunTag> tags = i % 5 == 0 ? [new RunTag("ünï/cødé", "välue ✓"), new RunTag("blank", "")] : [];
            store.LogBatch(id, i == 13 ? [] : metrics, i == 12 ? [] : parameters, tags);
            if (i == 7) store.DeleteRun(id);
            _runIds.Add(id);
        }
        RunIndexTestKit.Age(_root);
    }

    private readonly List<IndexFileMemory> _loaded = [];

    public void Dispose()
    {
        foreach (var memory in _loaded) memory.Dispose();
        _temp.Dispose();
    }

    private static List<Run> AllRuns(FileStore store, string experimentId, string? filter = null, string[]? orderBy = null) =>
        [.. store.SearchRuns([experimentId], string.IsNullOrEmpty(filter) ? null : filter, ViewType.All, 1000, orderBy ?? [], null).Items];

    /// <summary>Every filter × order through a new store (which loads the persisted index), against the full scan's answers.</summary>
    private void AssertEveryQueryMatchesTheFullScan(Func<FileStore> newStore, List<StoreWarning>? warnings = null)
    {
        var scan = RunIndexTestKit.FullScan(_root);
        foreach (var filter in Filters)
        {
            foreach (var order in Orders)
            {
                var store = newStore();
                if (warnings is not null) store.Warning += warnings.Add;
                Assert.Equal(RunIndexTestKit.Describe(AllRuns(scan, _experimentId, filter, order)), RunIndexTestKit.Describe(AllRuns(store, _experimentId, filter, order)));
            }
        }
    }

    private int FileVersion() => BinaryPrimitives.ReadInt32LittleEndian(File.ReadAllBytes(_indexFile).AsSpan(24));

    [Fact]
    public void A_saved_index_loads_into_a_new_store_with_every_value_intact()
    {
        var built = RunIndexTestKit.Describe(AllRuns(new FileStore(_root), _experimentId));
        Assert.Equal(4, FileVersion());
        Assert.Equal(RunIndexTestKit.Describe(AllRuns(RunIndexTestKit.FullScan(_root), _experimentId)), built);
        Assert.Contains("|m:nan_metric=NaN@0/1", built, StringComparison.Ordinal);
        Assert.Contains("|m:inf_metric=∞@0/1", built.Replace("Infinity", "∞", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("|p:empty=|", built, StringComparison.Ordinal);
        Assert.Contains("|t:ünï/cødé=välue ✓", built, StringComparison.Ordinal);

        var warnings = new List<StoreWarning>();
        AssertEveryQueryMatchesTheFullScan(() => new FileStore(_root), warnings);
        Assert.Empty(warnings);
    }

    [Fact]
    public void Loaded_runs_decode_their_keys_from_the_file_and_a_change_to_one_run_leaves_the_others_alone()
    {
        AllRuns(new FileStore(_root), _experimentId);
        var index = Load();
        var entry = index.Entries[_runIds[5]];
        Assert.Equal(3, entry.Metrics.Count);
        Assert.Equal(0.5, entry.Metrics.ValueAt(entry.Metrics.IndexOf("score")).Value);
        Assert.Equal("g1", entry.Params.ValueAt(entry.Params.IndexOf("group")));
        Assert.Equal(-1, entry.Params.IndexOf("no-such-key"));
        Assert.Equal(-1, entry.Params.IndexOf("score")); // a key of the file, but not of this kind in this run
        Assert.Throws<ArgumentOutOfRangeException>(() => entry.Params.KeyAt(entry.Params.Count));

        var before = entry.Metrics.ToDictionary();
        entry.Metrics.Set("score", new Metric("score", 9, 5, 5), new FileStamp(1, 2));
        Assert.Equal(9, entry.Metrics.ValueAt(entry.Metrics.IndexOf("score")).Value);
        Assert.Equal(new FileStamp(1, 2), entry.Metrics.StampAt(entry.Metrics.IndexOf("score")));
        Assert.Equal(before["train/loss"], entry.Metrics.ToDictionary()["train/loss"]);
        entry.Params.RemoveAt(entry.Params.IndexOf("group"));
        Assert.Equal(["lr/base"], entry.Params.ToDictionary().Keys);
        Assert.Equal("g2", index.Entries[_runIds[6]].Params.ValueAt(index.Entries[_runIds[6]].Params.IndexOf("group")));
        var again = Load().Entries[_runIds[5]];
        Assert.Equal(0.5, again.Metrics.ValueAt(again.Metrics.IndexOf("score")).Value);
        Assert.Equal("g1", again.Params.ValueAt(again.Params.IndexOf("group")));
    }

    [Fact]
    public void A_file_read_into_memory_loads_the_same_as_a_mapped_one()
    {
        AllRuns(new FileStore(_root), _experimentId);
        var mapped = Load();
        var context = new RunIndexContext((_, _, _) => { }, (_, _) => { });
        var read = new ExperimentRunIndex(_experimentFolder);
        using (var memory = IndexFileMemory.Open(_indexFile, map: false)) // the Windows path (and file systems that cannot map)
        {
            Assert.False(memory.ChangedSinceOpened());
            RunIndexFormat.Load(memory, 24, read, context);
            Assert.Equal(Snapshot(mapped), Snapshot(read));
        }
        Assert.Equal(14, read.Entries.Count);
    }

    [Fact]
    public void A_large_index_read_as_two_halves_on_two_threads_loads_every_run_as_saved()
    {
        // 25,000 runs (the file is read in two halves from 20,000), made from the fixture's runs with distinct
        // names, ids and values, saved and loaded back through the file.
        AllRuns(new FileStore(_root), _experimentId);
        var templates = Load().Entries.Values.Where(e => e.Info is not null).ToArray();
        var folder = Path.Combine(_temp.Path, "large-experiment");
        Directory.CreateDirectory(folder);
        var large = new ExperimentRunIndex(folder);
        var entries = new Dictionary<string, RunIndexEntry>(StringComparer.Ordinal);
        for (var n = 0; n < 25_000; n++)
        {
            var template = templates[n % templates.Length];
            var name = n.ToString("x32", System.Globalization.CultureInfo.InvariantCulture);
            var entry = new RunIndexEntry(name)
            {
                Built = true,
                MetaStamp = new FileStamp(template.MetaStamp.WriteTicks + n, template.MetaStamp.Length),
                Info = template.Info! with { RunId = name, RunName = "run-" + n, StartTime = n },
                NameFromMeta = true,
                MetricFolders = template.MetricFolders,
                ParamFolders = template.ParamFolders,
                TagFolders = template.TagFolders,
            };
            for (var i = 0; i < template.Metrics.Count; i++)
                entry.Metrics.Set(template.Metrics.KeyAt(i), template.Metrics.ValueAt(i) with { Value = n + i * 0.5 }, template.Metrics.StampAt(i));
            for (var i = 0; i < template.Params.Count; i++) entry.Params.Set(template.Params.KeyAt(i), template.Params.ValueAt(i) + n, template.Params.StampAt(i));
            for (var i = 0; i < template.Tags.Count; i++) entry.Tags.Set(template.Tags.KeyAt(i), template.Tags.ValueAt(i), template.Tags.StampAt(i));
            entries[name] = entry;
        }
        large.Entries = entries;
        Assert.True(RunIndexFile.TrySave(large));

        var loaded = new ExperimentRunIndex(folder);
        var context = new RunIndexContext((_, _, _) => { }, (_, _) => { });
        var memory = RunIndexFile.TryLoad(loaded, context, out var problem);
        Assert.Null(problem);
        _loaded.Add(Assert.IsType<IndexFileMemory>(memory));
        Assert.Equal(25_000, loaded.Entries.Count);
        Assert.Equal(Snapshot(large), Snapshot(loaded));

        // A bad run in the second half (read on the other thread) fails the whole load with its own reason.
        var last = entries[24_999.ToString("x32", System.Globalization.CultureInfo.InvariantCulture)];
        last.Info = last.Info! with { Status = (RunStatus)99 };
        Assert.True(RunIndexFile.TrySave(large));
        var again = new ExperimentRunIndex(folder);
        Assert.Null(RunIndexFile.TryLoad(again, context, out var badProblem));
        Assert.Contains("unknown run status 99", badProblem);
    }

    /// <summary>Every entry's info, keys, values and stamps, as text.</summary>
    private static string Snapshot(ExperimentRunIndex index)
    {
        var text = new StringBuilder();
        foreach (var (name, entry) in index.Entries.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            text.Append(name).Append(' ').Append(entry.Info).Append(' ').Append(entry.MetaStamp).Append(' ').Append(entry.Built).Append('\n');
            for (var i = 0; i < entry.Metrics.Count; i++)
                text.Append("  m ").Append(entry.Metrics.KeyAt(i)).Append(' ').Append(entry.Metrics.ValueAt(i)).Append(' ').Append(entry.Metrics.StampAt(i)).Append('\n');
            foreach (var texts in new[] { entry.Params, entry.Tags })
            {
                for (var i = 0; i < texts.Count; i++)
                    text.Append("  t ").Append(texts.KeyAt(i)).Append('=').Append(texts.ValueAt(i)).Append(' ').Append(texts.StampAt(i)).Append('\n');
            }
            foreach (var folders in new[] { entry.MetricFolders, entry.ParamFolders, entry.TagFolders })
                text.Append("  f ").Append(folders is null ? "unknown" : string.Join(",", folders.RelativePaths.Zip(folders.Stamps, (p, s) => p + ":" + s))).Append('\n');
        }
        return text.ToString();
    }

    private ExperimentRunIndex Load()
    {
        var index = new ExperimentRunIndex(_experimentFolder);
        var context = new RunIndexContext((_, _, _) => { }, (_, _) => { });
        var memory = RunIndexFile.TryLoad(index, context, out var problem);
        Assert.Null(problem);
        _loaded.Add(Assert.IsType<IndexFileMemory>(memory));
        return index;
    }

    [Fact]
    public void Files_changed_after_the_index_was_saved_are_answered_as_the_files_say()
    {
        AllRuns(new FileStore(_root), _experimentId);
        var writer = new FileStore(_root);
        writer.LogBatch(_runIds[1], [new Metric("score", 42, 9, 9)], [new Param("added", "later")], [new RunTag("team", "rewritten")]);
        File.Delete(Path.Combine(_experimentFolder, _runIds[2], "metrics", "train", "loss"));
        File.WriteAllText(Path.Combine(_experimentFolder, _runIds[3], "tags", "team"), "in-place ü");
        writer.DeleteRun(_runIds[4]);
        RunIndexTestKit.Age(_root);

        var warnings = new List<StoreWarning>();
        var store = new FileStore(_root); // loads the stale copy; its lazily held runs change under it
        store.Warning += warnings.Add;
        var scan = RunIndexTestKit.FullScan(_root);
        foreach (var filter in Filters)
        {
            foreach (var order in Orders)
            {
                Assert.Equal(RunIndexTestKit.Describe(AllRuns(scan, _experimentId, filter, order)), RunIndexTestKit.Describe(AllRuns(store, _experimentId, filter, order)));
            }
        }
        var answer = RunIndexTestKit.Describe(AllRuns(store, _experimentId));
        Assert.Contains("|m:score=42@9/9", answer, StringComparison.Ordinal);
        Assert.Contains("|p:added=later", answer, StringComparison.Ordinal);
        Assert.Contains("|t:team=in-place ü", answer, StringComparison.Ordinal);
        AssertEveryQueryMatchesTheFullScan(() => new FileStore(_root), warnings);
        Assert.Empty(warnings);
    }

    [Fact]
    public void A_file_of_an_older_format_version_is_reported_and_rebuilt_in_the_current_format()
    {
        AllRuns(new FileStore(_root), _experimentId);
        File.WriteAllBytes(_indexFile, RunIndexTestKit.WithPayload(File.ReadAllBytes(_indexFile), Version2Payload(Load())));
        Assert.Equal(2, FileVersion());

        var warnings = new List<StoreWarning>();
        var store = new FileStore(_root);
        store.Warning += warnings.Add;
        Assert.Equal(RunIndexTestKit.Describe(AllRuns(RunIndexTestKit.FullScan(_root), _experimentId)), RunIndexTestKit.Describe(AllRuns(store, _experimentId)));
        var warning = Assert.Single(warnings);
        Assert.Equal(Path.Combine(_experimentId, ".qtrk-run-index"), warning.Path);
        Assert.Contains("format version 2", warning.Message, StringComparison.Ordinal);
        Assert.Contains("rebuilt", warning.Message, StringComparison.Ordinal);
        Assert.Equal(4, FileVersion()); // rewritten after the first query

        warnings.Clear();
        AssertEveryQueryMatchesTheFullScan(() => new FileStore(_root), warnings);
        Assert.Empty(warnings);
    }

    /// <summary>The version 2 layout (what the store wrote before version 3, no longer read): everything inline, BinaryWriter strings.</summary>
    private static byte[] Version2Payload(ExperimentRunIndex index)
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(2);
            WriteStamp(w, index.ListingStamp);
            w.Write(index.Entries.Count);
            foreach (var entry in index.Entries.Values)
            {
                w.Write(entry.FolderName);
                w.Write(entry.Built);
                WriteStamp(w, entry.MetaStamp);
                w.Write(entry.Info is not null);
                if (entry.Info is { } info)
                {
                    w.Write(info.RunId);
                    w.Write(info.ExperimentId);
                    w.Write(info.RunName);
                    w.Write(info.UserId);
                    w.Write((int)info.Status);
                    w.Write(info.StartTime);
                    w.Write(info.EndTime.HasValue);
                    w.Write(info.EndTime ?? 0);
                    w.Write(info.ArtifactUri);
                    w.Write((int)info.LifecycleStage);
                    w.Write(info.DeletedTime.HasValue);
                    w.Write(info.DeletedTime ?? 0);
                    w.Write(entry.NameFromMeta);
                }
                w.Write(entry.Metrics.Count);
                for (var i = 0; i < entry.Metrics.Count; i++)
                {
                    var m = entry.Metrics.ValueAt(i);
                    w.Write(entry.Metrics.KeyAt(i));
                    WriteStamp(w, entry.Metrics.StampAt(i));
                    w.Write(m.Value);
                    w.Write(m.Timestamp);
                    w.Write(m.Step);
                }
                foreach (var texts in new[] { entry.Params, entry.Tags })
                {
                    w.Write(texts.Count);
                    for (var i = 0; i < texts.Count; i++)
                    {
                        w.Write(texts.KeyAt(i));
                        WriteStamp(w, texts.StampAt(i));
                        w.Write(texts.ValueAt(i));
                    }
                }
                foreach (var folders in new[] { entry.MetricFolders, entry.ParamFolders, entry.TagFolders })
                {
                    w.Write(folders?.Stamps.Length ?? -1);
                    for (var i = 0; i < (folders?.Stamps.Length ?? 0); i++)
                    {
                        w.Write(folders!.RelativePaths[i]);
                        WriteStamp(w, folders.Stamps[i]);
                    }
                }
            }
        }
        return stream.ToArray();
    }

    private static void WriteStamp(BinaryWriter w, FileStamp stamp)
    {
        w.Write(stamp.WriteTicks);
        w.Write(stamp.Length);
    }

    [Fact]
    public void A_loaded_file_rewritten_in_place_is_dropped_before_the_next_query_and_one_replaced_by_rename_is_not()
    {
        AllRuns(new FileStore(_root), _experimentId);
        var warnings = new List<StoreWarning>();
        var store = new FileStore(_root); // its entries keep reading their keyed files from the loaded (mapped) file
        store.Warning += warnings.Add;
        var scan = RunIndexTestKit.FullScan(_root);
        Assert.Equal(RunIndexTestKit.Describe(AllRuns(scan, _experimentId)), RunIndexTestKit.Describe(AllRuns(store, _experimentId)));

        // Another store changes a run and saves its index the store's way (a new file renamed over the old one).
        var other = new FileStore(_root);
        other.LogBatch(_runIds[2], [new Metric("score", 5, 5, 5)], [], []);
        File.Delete(_indexFile); // (before aging: touching the loaded file's write time would count as an in-place change)
        RunIndexTestKit.Age(_root);
        AllRuns(other, _experimentId);
        Assert.True(File.Exists(_indexFile));
        AssertEveryQueryMatchesTheFullScan(() => store);
        Assert.Empty(warnings);

        // A tool overwrites the file in place, same length: what the loaded entries would read is now garbage.
        var length = new FileInfo(_indexFile).Length;
        var reloaded = new FileStore(_root);
        reloaded.Warning += warnings.Add;
        AllRuns(reloaded, _experimentId);
        using (var stream = new FileStream(_indexFile, FileMode.Open, FileAccess.Write))
        {
            stream.Position = 24;
            stream.Write(Enumerable.Repeat((byte)0xFF, (int)length - 24).ToArray());
        }
        File.SetLastWriteTimeUtc(_indexFile, DateTime.UtcNow.AddMinutes(-5)); // a different write time, whatever the clock's grain
        Assert.Equal(RunIndexTestKit.Describe(AllRuns(scan, _experimentId)), RunIndexTestKit.Describe(AllRuns(reloaded, _experimentId)));
        if (!OperatingSystem.IsWindows()) // Windows loads a private copy, which a rewrite cannot reach
            Assert.Contains(warnings, w => w.Message.Contains("rewritten in place", StringComparison.Ordinal));
        AssertEveryQueryMatchesTheFullScan(() => reloaded);
    }

    public static TheoryData<string> Damages =>
    [
        "key-id-out-of-range", "negative-key-id", "value-string-id-out-of-range", "folder-name-id-out-of-range", "metric-count-too-large",
        "negative-param-count", "key-twice-in-one-run", "string-offsets-descending", "string-heap-shorter", "folder-name-not-a-name",
        "unknown-flags", "unknown-status", "string-count-too-large", "trailing-bytes", "run-count-too-large", "folder-stamps-count-zero",
        "key-text-twice-in-the-table",
    ];

    [Theory]
    [MemberData(nameof(Damages))]
    public void A_checksummed_file_with_bad_offsets_counts_or_ids_is_reported_and_rebuilt(string damage)
    {
        AllRuns(new FileStore(_root), _experimentId);
        var file = File.ReadAllBytes(_indexFile);
        var payload = file[24..];
        var map = new Version4Map(payload);
        switch (damage)
        {
            case "key-id-out-of-range": Put(payload, map.FirstMetricRecord, map.StringCount); break;
            case "negative-key-id": Put(payload, map.FirstMetricRecord, -1); break;
            case "value-string-id-out-of-range": Put(payload, map.FirstParamRecord + 20, map.StringCount); break;
            case "folder-name-id-out-of-range": Put(payload, map.FirstRun, int.MaxValue); break;
            case "metric-count-too-large": Put(payload, map.FirstMetricRecord - 4, 1 << 26); break;
            case "negative-param-count": Put(payload, map.FirstParamRecord - 4, -2); break;
            case "key-twice-in-one-run": Put(payload, map.FirstMetricRecord + 44, BinaryPrimitives.ReadInt32LittleEndian(payload.AsSpan(map.FirstMetricRecord))); break;
            case "string-offsets-descending": Put(payload, map.StringOffsets + 8, 0); Put(payload, map.StringOffsets + 4, 5); break;
            case "string-heap-shorter": Put(payload, map.StringOffsets - 4, map.HeapLength - 1); break;
            case "folder-name-not-a-name": Put(payload, map.FirstRun, map.StringIdOf("")); break;
            case "unknown-flags": payload[map.FirstRun + 4] = 0xF0; break;
            case "unknown-status": Put(payload, map.SuitableRun + 4 + 1 + 16 + 16, 77); break;
            case "string-count-too-large": Put(payload, 20, int.MaxValue); break;
            case "trailing-bytes": payload = [.. payload, 0, 0, 0, 0]; break;
            case "run-count-too-large": Put(payload, map.FirstRun - 4, map.RunCount + 1); break;
            case "folder-stamps-count-zero": Put(payload, map.FirstFolderStamps, 0); break;
            case "key-text-twice-in-the-table": // two ids of one key (the keys are the same length): a run holding both has it twice
                Encoding.UTF8.GetBytes("train/loss").CopyTo(payload, map.StringStart(map.StringIdOf("nan_metric")));
                break;
            default: throw new ArgumentException(damage);
        }
        File.WriteAllBytes(_indexFile, RunIndexTestKit.WithPayload(file, payload));

        var warnings = new List<StoreWarning>();
        var store = new FileStore(_root);
        store.Warning += warnings.Add;
        Assert.Equal(RunIndexTestKit.Describe(AllRuns(RunIndexTestKit.FullScan(_root), _experimentId)), RunIndexTestKit.Describe(AllRuns(store, _experimentId)));
        var warning = Assert.Single(warnings); // store-relative paths
        Assert.Equal(Path.Combine(_experimentId, ".qtrk-run-index"), warning.Path);
        Assert.Contains("rebuilt", warning.Message, StringComparison.Ordinal);

        warnings.Clear();
        AssertEveryQueryMatchesTheFullScan(() => new FileStore(_root), warnings); // the rebuilt copy was saved and loads cleanly
        Assert.Empty(warnings);
    }

    [Fact]
    public void Random_damage_under_a_valid_checksum_never_crashes_a_search()
    {
        AllRuns(new FileStore(_root), _experimentId);
        var good = File.ReadAllBytes(_indexFile);
        var random = new Random(20261127);
        for (var round = 0; round < 150; round++)
        {
            var payload = good[24..];
            for (var flips = random.Next(1, 4); flips > 0; flips--) payload[random.Next(payload.Length)] = (byte)random.Next(256);
            File.WriteAllBytes(_indexFile, RunIndexTestKit.WithPayload(good, payload));
            var store = new FileStore(_root);
            // Whatever loads (a changed stamp or value cannot be told from a real one), every run and key must be readable.
            foreach (var run in AllRuns(store, _experimentId))
            {
                _ = run.Data.Metrics.Count + run.Data.Params.Count + run.Data.Tags.Count;
            }
            AllRuns(store, _experimentId, "params.group = 'g3' and metrics.score > 0.1", ["metrics.score DESC"]);
        }
    }

    private static void Put(byte[] payload, int offset, int value) => BinaryPrimitives.WriteInt32LittleEndian(payload.AsSpan(offset), value);

    /// <summary>Where things are in a version 4 payload (from its documented layout), for damaging one on purpose.</summary>
    private sealed class Version4Map
    {
        private readonly List<string> _strings = [];
        private readonly int _heap;
        private readonly byte[] _payload;

        public Version4Map(byte[] p)
        {
            Assert.Equal(4, BinaryPrimitives.ReadInt32LittleEndian(p));
            _payload = p;
            var at = 20;
            StringCount = Int(p, ref at);
            HeapLength = Int(p, ref at);
            StringOffsets = at;
            var heap = _heap = at + 4 * (StringCount + 1);
            for (var i = 0; i < StringCount; i++)
            {
                var start = BinaryPrimitives.ReadInt32LittleEndian(p.AsSpan(StringOffsets + 4 * i));
                var end = BinaryPrimitives.ReadInt32LittleEndian(p.AsSpan(StringOffsets + 4 * i + 4));
                _strings.Add(Encoding.UTF8.GetString(p, heap + start, end - start));
            }
            at = heap + HeapLength;
            RunCount = Int(p, ref at);
            FirstRun = at;
            // The first run with run info, two metrics and a param (the file's order is the listing's).
            for (var n = 0; n < RunCount; n++)
            {
                var run = at;
                var flags = p[at + 4];
                at += 4 + 1 + 16;
                if ((flags & 2) != 0) at += 4 * 4 + 4 + 8 + 9 + 4 + 4 + 9;
                var metrics = Int(p, ref at);
                var metricRecords = at;
                at += metrics * 44;
                var parameters = Int(p, ref at);
                var paramRecords = at;
                at += parameters * 24;
                var tags = Int(p, ref at);
                at += tags * 24;
                var folderStamps = at;
                for (var kind = 0; kind < 3; kind++)
                {
                    var folders = Int(p, ref at);
                    if (folders > 0) at += folders * 20;
                }
                if (FirstMetricRecord == 0 && (flags & 3) == 3 && metrics >= 2 && parameters >= 1)
                {
                    SuitableRun = run;
                    FirstMetricRecord = metricRecords;
                    FirstParamRecord = paramRecords;
                    FirstFolderStamps = folderStamps;
                }
            }
            Assert.Equal(p.Length, at);
            Assert.True(FirstMetricRecord > 0, "no run to damage");
        }

        public int StringCount { get; }
        public int HeapLength { get; }
        public int StringOffsets { get; }
        public int RunCount { get; }
        public int FirstRun { get; }
        public int SuitableRun { get; }
        public int FirstMetricRecord { get; }
        public int FirstParamRecord { get; }
        public int FirstFolderStamps { get; }

        public int StringStart(int id) => _heap + BinaryPrimitives.ReadInt32LittleEndian(_payload.AsSpan(StringOffsets + 4 * id));

        public int StringIdOf(string text) => _strings.IndexOf(text) is var id and >= 0 ? id : throw new InvalidOperationException($"no string '{text}'");

        private static int Int(byte[] p, ref int at)
        {
            var value = BinaryPrimitives.ReadInt32LittleEndian(p.AsSpan(at));
            at += 4;
            return value;
        }
    }
}
