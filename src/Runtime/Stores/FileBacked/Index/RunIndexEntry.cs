using Qlib.Tracked.Entities;
using Qlib.Tracked.Validation;

namespace Qlib.Tracked.Stores.FileBacked.Index;

/// <summary>
/// What the index knows about one folder of an experiment: the parsed <c>meta.yaml</c> and the latest
/// metrics, params and tags, each with the stamp of the file it came from. Every method re-checks the
/// files it answers for and re-reads what changed, so an entry can be stale in memory or on disk but
/// never answers stale. Callers hold the entry's lock.
/// </summary>
internal sealed class RunIndexEntry(string folderName)
{
    public string FolderName { get; } = folderName;

    private string? _path;
    public string PathIn(string experimentFolder) => _path ??= Path.Combine(experimentFolder, FolderName);
    public FileStamp MetaStamp { get; set; } = FileStamp.Unsettled;

    /// <summary>Null when the folder is not a readable run (<see cref="Problem"/> says why).</summary>
    public RunInfo? Info { get; set; }

    /// <summary>False for MLflow 1.x metas without <c>run_name</c>: the name then comes from the <c>mlflow.runName</c> tag.</summary>
    public bool NameFromMeta { get; set; } = true;

    public string? Problem { get; set; }

    public bool Built { get; set; }

    // Loaded from an index file: keyed files and folder stamps are decoded on first use (a query over 100,000 runs
    // needs the params of each and little else).
    private RunIndexImage? _image;
    private int _blockAt;
    private byte _foldersInFile; // bit k: folder stamps of kind k (metrics, params, tags) still to decode (under Sync)

    private KeyedFiles<Metric>? _metrics;
    private KeyedFiles<string>? _params;
    private KeyedFiles<string>? _tags;
    private FolderStamps? _metricFolders;
    private FolderStamps? _paramFolders;
    private FolderStamps? _tagFolders;

    /// <summary>Before the entry is shared; the block was validated.</summary>
    public void KeepInFile(RunIndexImage image, int blockAt)
    {
        _image = image;
        _blockAt = blockAt;
        _foldersInFile = 0b111;
    }

    // The key sets are created without the lock (a search hands them to its lazy runs); the first one published wins.
    public KeyedFiles<Metric> Metrics => _metrics ?? Publish(ref _metrics, _image is { } image ? RunIndexFormat.DecodeMetrics(image, _blockAt) : new());

    public KeyedFiles<string> Params => _params ?? Publish(ref _params, _image is { } image ? RunIndexFormat.DecodeTexts(image, _blockAt, tags: false) : new());

    public KeyedFiles<string> Tags => _tags ?? Publish(ref _tags, _image is { } image ? RunIndexFormat.DecodeTexts(image, _blockAt, tags: true) : new());

    private static KeyedFiles<T> Publish<T>(ref KeyedFiles<T>? field, KeyedFiles<T> created) =>
        Interlocked.CompareExchange(ref field, created, null) ?? created;

    /// <summary>The key folders' stamps when they were last listed; null = unknown (list on next use).</summary>
    public FolderStamps? MetricFolders { get => Folders(ref _metricFolders, 0); set => SetFolders(ref _metricFolders, 0, value); }
    public FolderStamps? ParamFolders { get => Folders(ref _paramFolders, 1); set => SetFolders(ref _paramFolders, 1, value); }
    public FolderStamps? TagFolders { get => Folders(ref _tagFolders, 2); set => SetFolders(ref _tagFolders, 2, value); }

    private FolderStamps? Folders(ref FolderStamps? field, int kind)
    {
        if ((_foldersInFile & (1 << kind)) != 0)
        {
            field = RunIndexFormat.DecodeFolders(_image!, _blockAt, kind);
            _foldersInFile &= (byte)~(1 << kind);
        }
        return field;
    }

    private void SetFolders(ref FolderStamps? field, int kind, FolderStamps? value)
    {
        field = value;
        _foldersInFile &= (byte)~(1 << kind);
    }

    public Lock Sync { get; } = new();

    // RunWatcher: clean while the event count and overflow epoch are what they were before the last full check.
    private int _watchEvents;
    public int WatchEvents => Volatile.Read(ref _watchEvents);
    public void CountWatchEvent() => Interlocked.Increment(ref _watchEvents);
    public (int Events, int Epoch)? WatchCleanAt { get; set; }

    /// <summary>Changed only under the watcher's lock.</summary>
    public List<int>? WatchDescriptors { get; set; }

    /// <summary>Re-checks <c>meta.yaml</c>; on first sight reads the whole run. Returns the files (re)read.</summary>
    public int RefreshInfo(string runFolder, RunIndexContext context)
    {
        var reads = 0;
        if (!Built)
        {
            MetricFolders = ListKind(Metrics, runFolder, StoreLayout.MetricsFolder, KeyedFileReaders.LatestMetric, context, ref reads);
            ParamFolders = ListKind(Params, runFolder, StoreLayout.ParamsFolder, KeyedFileReaders.ExactText, context, ref reads);
            TagFolders = ListKind(Tags, runFolder, StoreLayout.TagsFolder, KeyedFileReaders.ExactText, context, ref reads);
            Built = true;
        }
        var statTime = DateTime.UtcNow;
        var stamp = FileStamp.OfFile(runFolder, "", StoreLayout.MetaFile);
        if (!MetaStamp.Confirms(stamp) || Info is null)
        {
            reads++;
            ReadMeta(runFolder, Path.Combine(runFolder, StoreLayout.MetaFile), stamp.Settled(statTime), context);
        }
        if (Info is not null && !NameFromMeta)
        {
            // The name lives in a tag file that can change without touching meta.yaml.
            var name = TryGet(Tags, runFolder, StoreLayout.TagsFolder, SourceCapture.RunNameTag, KeyedFileReaders.ExactText, context, ref reads, out var tag) ? tag : "";
            if (name != Info.RunName) Info = Info with { RunName = name };
        }
        return reads;
    }

    /// <summary>Checks everything the entry answers for, as for a run a query returns.</summary>
    public int RefreshEverything(string runFolder, RunIndexContext context)
    {
        var wasBuilt = Built;
        var reads = RefreshInfo(runFolder, context);
        if (!wasBuilt) return reads;
        reads += RefreshParams(runFolder, context);
        reads += RefreshMutable(metrics: true, runFolder, context, static _ => false);
        reads += RefreshMutable(metrics: false, runFolder, context, static _ => false);
        return reads;
    }

    /// <summary>One stat of <c>params/</c> (and its sub-folders): MLflow writes a param file once (README.md).</summary>
    public int RefreshParams(string runFolder, RunIndexContext context)
    {
        if (ParamFolders is not null && ParamFolders.StillCurrent(runFolder, StoreLayout.ParamsFolder)) return 0;
        var reads = 0;
        ParamFolders = ListKind(Params, runFolder, StoreLayout.ParamsFolder, KeyedFileReaders.ExactText, context, ref reads);
        return reads;
    }

    /// <summary>
    /// Metrics or tags: listed again when the folder stamps changed, else one stat per file not in
    /// <paramref name="checkedThisQuery"/> (appends and in-place tag overwrites keep the folder's stamp).
    /// </summary>
    public int RefreshMutable(bool metrics, string runFolder, RunIndexContext context, Func<string, bool> checkedThisQuery)
    {
        var reads = 0;
        if (metrics) MetricFolders = Refresh(Metrics, MetricFolders, runFolder, StoreLayout.MetricsFolder, KeyedFileReaders.LatestMetric, context, checkedThisQuery, ref reads);
        else TagFolders = Refresh(Tags, TagFolders, runFolder, StoreLayout.TagsFolder, KeyedFileReaders.ExactText, context, checkedThisQuery, ref reads);
        return reads;
    }

    private static FolderStamps Refresh<T>(KeyedFiles<T> files, FolderStamps? stamps, string runFolder, string kindFolder, KeyedFileReader<T> reader,
        RunIndexContext context, Func<string, bool> checkedThisQuery, ref int reads)
    {
        if (stamps is null || !stamps.StillCurrent(runFolder, kindFolder)) return ListKind(files, runFolder, kindFolder, reader, context, ref reads);
        // Backwards: TryGet removes a vanished key by moving the last one (already visited) into its slot.
        for (var i = files.Count - 1; i >= 0; i--)
        {
            if (i >= files.Count || checkedThisQuery(files.KeyAt(i))) continue;
            TryGet(files, runFolder, kindFolder, files.KeyAt(i), reader, context, ref reads, out _);
        }
        return stamps;
    }

    private static FolderStamps ListKind<T>(KeyedFiles<T> files, string runFolder, string kindFolder, KeyedFileReader<T> reader,
        RunIndexContext context, ref int reads)
    {
        // Stamped before listing: an entry created during the listing shows as a changed stamp next time.
        var stamps = FolderStamps.Take(Path.Combine(runFolder, kindFolder), DateTime.UtcNow);
        reads += RefreshAll(files, runFolder, kindFolder, reader, context);
        return stamps;
    }

    private void ReadMeta(string runFolder, string metaPath, FileStamp stamp, RunIndexContext context)
    {
        MetaStamp = stamp;
        var text = AtomicFile.ReadTextWithRetry(metaPath, out var refused);
        if (text is null)
        {
            Info = null;
            Problem = refused is null ? null : "meta.yaml is unreadable: " + refused;
            return;
        }
        var info = RunMetaFile.Parse(text, FolderName, out var nameFromMeta, out var problem);
        Info = info;
        Problem = problem;
        NameFromMeta = nameFromMeta;
        if (info is not null) context.RememberRun(info.RunId, runFolder);
    }

    public static bool TryGet<T>(
        KeyedFiles<T> files, string runFolder, string kindFolder, string key, KeyedFileReader<T> reader,
        RunIndexContext context, ref int reads, out T value)
    {
        if (!KeyPathRule.IsSafeRelativePath(key))
        {
            // Not a key MLflow can store (and not a path to build): only what the folder listing found can match.
            var known = files.IndexOf(key);
            value = known >= 0 ? files.ValueAt(known) : default!;
            return known >= 0;
        }
        var statTime = DateTime.UtcNow;
        var stamp = FileStamp.OfFile(runFolder, kindFolder, key);
        var i = files.IndexOf(key);
        if (!stamp.Exists)
        {
            if (i >= 0) files.RemoveAt(i);
            value = default!;
            return false;
        }
        if (i >= 0 && files.StampAt(i).Confirms(stamp))
        {
            value = files.ValueAt(i);
            return true;
        }
        reads++;
        var path = StoreLayout.KeyPath(Path.Combine(runFolder, kindFolder), key);
        if (!reader(path, key, context.WarnFor(runFolder), out value))
        {
            if (i >= 0) files.RemoveAt(i);
            return false;
        }
        files.Set(key, value, stamp.Settled(statTime));
        return true;
    }

    public static int RefreshAll<T>(KeyedFiles<T> files, string runFolder, string kindFolder, KeyedFileReader<T> reader, RunIndexContext context)
    {
        var reads = 0;
        var folder = Path.Combine(runFolder, kindFolder);
        var statTime = DateTime.UtcNow;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in KeyFileListing.List(folder, context.WarnFor(runFolder)))
        {
            var key = context.Intern(file.FullPath[(folder.Length + 1)..].Replace(Path.DirectorySeparatorChar, '/'));
            var stamp = new FileStamp(file.LastWriteTicks, file.Length);
            var i = files.IndexOf(key);
            if (i >= 0 && files.StampAt(i).Confirms(stamp))
            {
                seen.Add(key);
                continue;
            }
            reads++;
            if (reader(file.FullPath, key, context.WarnFor(runFolder), out var value))
            {
                files.Set(key, value, stamp.Settled(statTime));
                seen.Add(key);
            }
        }
        for (var i = files.Count - 1; i >= 0; i--)
        {
            if (!seen.Contains(files.KeyAt(i)))
            {
                files.RemoveAt(i);
                reads++;
            }
        }
        return reads;
    }
}
