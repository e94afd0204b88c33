using System.Collections.Concurrent;
using Qlib.Tracked.Entities;

namespace Qlib.Tracked.Stores.FileBacked.Index;

/// <summary>
/// The file store's run index (see README.md in this folder): per experiment folder, what search needs from each
/// run, kept in memory and persisted next to the runs so a new process starts warm. Every query re-checks what it
/// answers from against the files, so writes by anyone are seen without a hook in the write path.
/// </summary>
internal sealed class RunIndex(RunIndexContext context, RunWatcher? watcher = null) : IDisposable
{
    /// <summary>Save again once this share of the runs' files were re-read since the last save (1/N).</summary>
    private const int ResaveFraction = 20;
    private static readonly TimeSpan ResaveAfter = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, ExperimentRunIndex> _experiments = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _notWritable = new(StringComparer.Ordinal);

    // Every index file this store loaded: entries read their keyed files from them, so they are released only by Dispose.
    private readonly ConcurrentBag<IndexFileMemory> _loaded = [];
    private readonly ConcurrentDictionary<string, IndexFileMemory> _loadedFrom = new(StringComparer.Ordinal);
    private int _disposed;

    /// <summary>Closes the inotify instance and unmaps the loaded index files; not to be called while a query runs.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        watcher?.Dispose();
        _experiments.Clear();
        _loadedFrom.Clear();
        while (_loaded.TryTake(out var memory)) memory.Dispose();
    }

    public RunIndexContext Context => context;

    public RunWatcher? Watcher => watcher;

    public List<IndexedRun> Matching(string experimentFolder, ViewType viewType, Search.RunFilter filter, Search.RunOrdering ordering, int parallelism)
    {
        var index = Current(experimentFolder);
        return index.Matching(viewType, filter, ordering, context, parallelism, WatcherFor(index));
    }

    public Run Complete(IndexedRun run) => run.Complete(context);

    public (int Active, int Deleted) CountByStage(string experimentFolder, int parallelism)
    {
        var index = Current(experimentFolder);
        return index.CountByStage(context, parallelism, WatcherFor(index));
    }

    // Drains the event queue either way: every write completed before this point is accounted for.
    private RunWatcher? WatcherFor(ExperimentRunIndex index)
    {
        if (watcher is null) return null;
        var watching = watcher.ShouldWatch(index);
        watcher.Drain();
        return watching ? watcher : null;
    }

    /// <summary>Persists the experiment's index when it was (re)built or fell noticeably behind; never fails the query.</summary>
    public void SaveIfBehind(string experimentFolder)
    {
        if (!_experiments.TryGetValue(experimentFolder, out var index) || _notWritable.ContainsKey(experimentFolder)) return;
        int count;
        lock (index.Sync) count = index.Entries.Count;
        var behind = index.ReadsSinceSave;
        var due = index.SavedUtc is not { } saved
            ? count > 0
            : behind > 0 && (behind * ResaveFraction >= count || DateTime.UtcNow - saved >= ResaveAfter);
        if (!due) return;
        index.ResetReadsSinceSave();
        if (RunIndexFile.TrySave(index)) index.SavedUtc = DateTime.UtcNow;
        else _notWritable[experimentFolder] = 0; // a read-only store: the index lives in memory for this process
    }

    // Dropped and rebuilt when its loaded file was written in place (the store itself only renames over it).
    private ExperimentRunIndex Current(string experimentFolder)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var index = _experiments.GetOrAdd(experimentFolder, Load);
        if (!_loadedFrom.TryGetValue(experimentFolder, out var memory) || !memory.ChangedSinceOpened()) return index;
        var fresh = new ExperimentRunIndex(experimentFolder);
        if (!_experiments.TryUpdate(experimentFolder, fresh, index)) return _experiments[experimentFolder]; // another query replaced it
        _loadedFrom.TryRemove(new KeyValuePair<string, IndexFileMemory>(experimentFolder, memory));
        context.Warn(RunIndexFile.PathOf(experimentFolder), "Run index rewritten in place while in use; rebuilt from the run folders.", null);
        return fresh;
    }

    private ExperimentRunIndex Load(string folder)
    {
        var index = new ExperimentRunIndex(folder);
        var memory = RunIndexFile.TryLoad(index, context, out var problem);
        if (memory is not null)
        {
            _loaded.Add(memory);
            _loadedFrom[folder] = memory;
            index.SavedUtc = DateTime.UtcNow;
        }
        else if (problem is not null)
        {
            context.Warn(RunIndexFile.PathOf(folder), $"Run index ignored and rebuilt from the run folders: {problem}.", null);
        }
        return index;
    }
}
