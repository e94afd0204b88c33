using Qlib.Tracked.Artifacts;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores.FileBacked;
using Qlib.Tracked.Stores.FileBacked.Index;
using Qlib.Tracked.Validation;

namespace Qlib.Tracked.Stores;

/// <summary>
/// MLflow's file store ("mlruns"), bit-compatible with what MLflow 2.x writes and reads
/// (layout, <c>meta.yaml</c> spelling, metric lines). Unlike MLflow's, it finds runs without
/// listing the whole store, appends each batch's lines per metric with one write, rewrites
/// metadata atomically, serializes experiment creation with an OS file lock, and reports (rather
/// than fails on) torn metric lines and unreadable folders through <see cref="Warning"/>.
/// Thread-safe: one instance may serve concurrent calls (metadata writes are locked in-process).
/// </summary>
/// <remarks>
/// Files are the source of truth: the only in-memory state is where runs live and parsed run
/// metas keyed by file stamp, both re-checked against the disk, so runs written by other
/// processes are visible on the next call. This type is split over <c>FileStore.*.cs</c>.
/// <para>
/// Run search goes through a run index (<see cref="RunIndexMode"/>): per experiment, each run's parsed meta,
/// params, tags and latest metrics with the stamps (write time, length) of the files they came from, kept in
/// memory and saved as <c>&lt;experiment&gt;/.qtrk-run-index</c>. It lives inside the store because MLflow
/// ignores plain files in an experiment folder (only sub-folders are runs; a new folder in the root would be a
/// "malformed experiment"), every process and machine sharing the store shares it, and it moves with the
/// experiment to <c>.trash</c> and back. It is a cache, never a source: a missing, stale, torn or foreign copy
/// costs reads, not answers, and a store that cannot be written keeps its index in memory.
/// </para>
/// </remarks>
public sealed partial class FileStore : ITrackingStore
{
    private readonly RunLocator _runs;
    private readonly RunIndex _runIndex;
    private readonly RunMetaCache _runMetas = new();
    private readonly ValidatedKeyCache _keys = new();
    private readonly Lock _metaWriteLock = new();

    /// <summary>Opens (without creating anything yet) the MLflow file store rooted at <paramref name="rootDirectory"/>, an <c>mlruns/</c> folder.</summary>
    public FileStore(string rootDirectory, FileStoreOptions? options = null)
    {
        RootDirectory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(rootDirectory));
        Options = options ?? new FileStoreOptions();
        TrackingUri = Stores.TrackingUri.FromLocalPath(RootDirectory);
        TrashDirectory = Path.Combine(RootDirectory, StoreLayout.TrashFolder);
        DefaultArtifactRoot = Options.DefaultArtifactRoot is { } configured ? ToArtifactUri(configured) : TrackingUri;
        ArtifactRoots = new ArtifactRoots([RootDirectory, DefaultArtifactRoot, .. Options.ArtifactRoots]);
        _runs = new RunLocator(RootDirectory);
        _runIndex = new RunIndex(new RunIndexContext(
            (path, message, runId) => Warn(path, message, runId), (runId, folder) => _runs.Remember(runId, folder)),
            watcher: Options.RunIndex == RunIndexMode.Verified && Options.RunIndexWatch != RunIndexWatch.Never && Options.RunIndexWatchBudget != 0
                ? new RunWatcher(Options.RunIndexWatch, Options.RunIndexWatchBudget, Options.SimulateWatchInitFailure)
                : null);
        EnsureInitialized();
    }

    /// <summary>The absolute <c>mlruns/</c> folder this store reads and writes.</summary>
    public string RootDirectory { get; }
    /// <summary>The options the store was opened with.</summary>
    public FileStoreOptions Options { get; }
    /// <inheritdoc/>
    public string TrackingUri { get; }

    /// <summary>Where deleted experiments are moved (<c>&lt;root&gt;/.trash</c>).</summary>
    public string TrashDirectory { get; }

    /// <inheritdoc/>
    public string DefaultArtifactRoot { get; }

    /// <summary>Where this store reads and writes artifacts: its folder, the default artifact root and <see cref="FileStoreOptions.ArtifactRoots"/>.</summary>
    public ArtifactRoots ArtifactRoots { get; }

    /// <inheritdoc/>
    public event Action<StoreWarning>? Warning;

    /// <summary>
    /// Releases the run index's OS resources now: its inotify instance (with every watch) and its memory-mapped
    /// index files. Searches afterwards throw <see cref="ObjectDisposedException"/>; disposing twice is harmless.
    /// </summary>
    public void Dispose() => _runIndex.Dispose();

    /// <summary>Creates the root, <c>.trash</c> and the default experiment "0" when they are missing (as MLflow does on first use).</summary>
    private void EnsureInitialized()
    {
        RefuseFileInPlaceOfFolder(RootDirectory);
        Directory.CreateDirectory(RootDirectory);
        Directory.CreateDirectory(TrashDirectory);
        if (ExperimentFolderExists(StoreLayout.DefaultExperimentId)) return;
        using var _ = CreationLock.Acquire(RootDirectory);
        if (ExperimentFolderExists(StoreLayout.DefaultExperimentId) || FindExperimentByName(StoreLayout.DefaultExperimentName, ViewType.All) is not null) return;
        WriteNewExperiment(StoreLayout.DefaultExperimentId, StoreLayout.DefaultExperimentName, null, null);
    }

    /// <summary>
    /// A store root that is a file, or lies below one, is a wrong path rather than an I/O accident: say which file,
    /// instead of the "file already exists" IOException creating the folder would throw.
    /// </summary>
    private static void RefuseFileInPlaceOfFolder(string root)
    {
        for (var path = root; !string.IsNullOrEmpty(path) && !Directory.Exists(path); path = Path.GetDirectoryName(path))
        {
            if (File.Exists(path))
                throw TrackingException.InvalidParameter(path == root
                    ? $"Cannot open a file store at '{root}': it is a file, and a store is a folder (an mlruns directory)."
                    : $"Cannot open a file store at '{root}': '{path}' is a file, so no folder can be made below it.");
        }
    }

    private bool ExperimentFolderExists(string id) =>
        Directory.Exists(Path.Combine(RootDirectory, id)) || Directory.Exists(Path.Combine(TrashDirectory, id));

    private void Warn(string path, string message, string? runId = null) =>
        Warning?.Invoke(new StoreWarning(StoreLayout.Relative(RootDirectory, path), message, runId));

    /// <summary>A local path becomes a <c>file://</c> URI; URIs are kept as given.</summary>
    private static string ToArtifactUri(string location) =>
        Stores.TrackingUri.GetScheme(location) == "file" && !location.StartsWith("file:", StringComparison.OrdinalIgnoreCase)
            ? Stores.TrackingUri.FromLocalPath(location)
            : location;

    private static string AppendUriPath(string uri, params string[] segments) =>
        uri.TrimEnd('/') + "/" + string.Join('/', segments);

    // ----- artifacts -----

    /// <summary>
    /// The run's artifact repository. When the recorded URI follows the default layout
    /// <c>…/&lt;experiment&gt;/&lt;run&gt;/artifacts</c>, the artifacts are taken from THIS store's run
    /// folder whatever machine root the URI names, so a store copied from elsewhere still works. Either way the
    /// folder, symlinks followed, must lie inside <see cref="ArtifactRoots"/>
    /// (<see cref="ArtifactLocationNotAllowedException"/> otherwise).
    /// </summary>
    public IArtifactRepository GetArtifactRepository(string runId)
    {
        var (folder, info) = LoadRun(runId, useCache: false);
        var owner = $"Run '{info.RunId}'";
        var defaultSuffix = "/" + info.ExperimentId + "/" + info.RunId + "/" + StoreLayout.ArtifactsFolder;
        if (info.ArtifactUri.TrimEnd('/').EndsWith(defaultSuffix, StringComparison.Ordinal))
        {
            // The run folder's own artifacts/ may itself be a symlink out of the store.
            var own = Path.Combine(folder, StoreLayout.ArtifactsFolder);
            ArtifactRoots.RequireInside(owner, info.ArtifactUri, own);
            return new LocalArtifactRepository(info.ArtifactUri, own);
        }
        if (Stores.TrackingUri.GetScheme(info.ArtifactUri) != "file")
            throw new TrackingException(ErrorCode.NotImplemented,
                $"Run '{runId}' keeps its artifacts at '{info.ArtifactUri}', which is not a local file: URI; only local artifact stores are supported.");
        return new LocalArtifactRepository(info.ArtifactUri, ArtifactRoots.ResolveAllowed(owner, info.ArtifactUri));
    }
}

/// <summary>Options of <see cref="FileStore"/>. Immutable once built (init-only); thread-safe.</summary>
public sealed class FileStoreOptions
{
    /// <summary>Artifact root for new experiments; defaults to the store root (MLflow's default).</summary>
    public string? DefaultArtifactRoot { get; init; }

    /// <summary>
    /// Folders (paths or <c>file:</c> URIs) besides the store's own folder and <see cref="DefaultArtifactRoot"/> where
    /// runs may keep artifacts, e.g. an experiment created with an artifact location elsewhere. A run whose artifact
    /// location (symlinks followed) is outside all of them is refused with <see cref="ArtifactLocationNotAllowedException"/>.
    /// </summary>
    public IReadOnlyList<string> ArtifactRoots { get; init; } = [];

    /// <summary>How <see cref="FileStore.SearchRuns"/> finds run data; see <see cref="RunIndexMode"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not <see cref="RunIndexMode.Verified"/> or <see cref="RunIndexMode.Off"/> (the former <c>Trusted = 2</c> was removed).</exception>
    public RunIndexMode RunIndex
    {
        get => _runIndex;
        init => _runIndex = value is RunIndexMode.Verified or RunIndexMode.Off ? value : throw new ArgumentOutOfRangeException(nameof(value), value,
            $"RunIndex must be {nameof(RunIndexMode.Verified)} or {nameof(RunIndexMode.Off)}; {(int)value} is not a run index mode (Trusted = 2 was removed: Verified with watching is exact and as fast warm).");
    }

    private readonly RunIndexMode _runIndex = RunIndexMode.Verified;

    /// <summary>
    /// Whether the <see cref="RunIndexMode.Verified"/> index watches run folders for changes (Linux inotify, local
    /// file systems) so that unchanged runs are answered without a stat; see <see cref="Stores.RunIndexWatch"/>.
    /// </summary>
    public RunIndexWatch RunIndexWatch { get; init; } = RunIndexWatch.Auto;

    /// <summary>
    /// Most inotify watches this store may hold (about four per run plus one per key sub-folder); null = half of
    /// <c>/proc/sys/fs/inotify/max_user_watches</c>, a limit every process of the user shares. Runs beyond it are
    /// verified by stats.
    /// </summary>
    public int? RunIndexWatchBudget
    {
        get => _runIndexWatchBudget;
        init => _runIndexWatchBudget = value is null or >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "RunIndexWatchBudget cannot be negative.");
    }

    private readonly int? _runIndexWatchBudget;

    /// <summary>Tests: behave as if the kernel refused an inotify instance (a non-Linux system, EMFILE, a sandbox).</summary>
    internal bool SimulateWatchInitFailure { get; init; }

    /// <summary>
    /// Threads one search may use to check runs against their files (stats are independent per run); default
    /// the processor count, 1 = the calling thread only. Small experiments are checked on the calling thread anyway.
    /// </summary>
    public int SearchParallelism
    {
        get => _searchParallelism;
        init => _searchParallelism = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "SearchParallelism must be at least 1.");
    }

    private readonly int _searchParallelism = Environment.ProcessorCount;
}

/// <summary>When the verified run index watches an experiment's run folders for changes (see <see cref="FileStoreOptions.RunIndexWatch"/>).</summary>
/// <remarks>
/// A watched run with no change notification since its last full check is answered from memory: no stat, so a
/// warm query costs memory work only. A run with an event, or not watched, is verified by stats as without watching,
/// so answers stay exact. Watching needs Linux (inotify) and a local file system (NFS, SMB/CIFS, FUSE, 9p, Ceph and
/// other network file systems never notify about other machines' writes, so they are verified by stats), costs about
/// 1 KB of kernel memory and one <c>inotify_add_watch</c> per folder (run, <c>metrics/</c>, <c>params/</c>,
/// <c>tags/</c>, key sub-folders), and shares the user's <c>max_user_watches</c> limit with every other process:
/// 100,000 runs need more than the common default of 8,192–200,000 (raise <c>fs.inotify.max_user_watches</c>).
/// Writes through a shared memory mapping (<c>mmap</c>) raise no event; nothing in MLflow or Qlib writes that way.
/// </remarks>
public enum RunIndexWatch
{
    /// <summary>
    /// Default: an experiment is watched from its second verified search in the same store, once it holds at least
    /// 1,000 runs (a one-shot command-line query never pays for watches; below that size stats cost a few ms).
    /// </summary>
    Auto = 0,

    /// <summary>Watch from the first verified search, whatever the size (long-lived services over small stores; tests).</summary>
    Always = 1,

    /// <summary>Never watch: every verified query checks its runs by stats.</summary>
    Never = 2,
}

/// <summary>How run search reads the store.</summary>
public enum RunIndexMode
{
    /// <summary>
    /// Default. Searches through the run index (kept in memory and in <c>&lt;experiment&gt;/.qtrk-run-index</c>),
    /// with answers exactly as a full scan's: each query checks every run's <c>meta.yaml</c>, the files of
    /// the metric and tag keys its filter and order_by name, the <c>params/</c> folder when it names a param,
    /// and all metric and tag files of the runs it returns, and re-reads what changed (including writes by other
    /// processes and by MLflow). In a long-lived store on Linux, runs watched through inotify and unchanged since
    /// their last full check skip all of that (<see cref="FileStoreOptions.RunIndexWatch"/>).
    /// </summary>
    /// <remarks>
    /// Params are checked by their folder's stamp, not file by file: MLflow writes a param file once and never
    /// changes it (logging another value for a key is an error), so only files created or removed — which change
    /// the folder's write time — can change a run's params. A tool that rewrites a param file in place breaks
    /// that rule and is not seen until something else changes the folder (or the index file is deleted).
    /// </remarks>
    Verified = 0,

    /// <summary>No index: every query reads every run's files (MLflow's file store behaviour; the baseline).</summary>
    Off = 1,
}
