using System.Collections.Concurrent;
using Qlib.Tracked.Entities;

namespace Qlib.Tracked.Stores.FileBacked.Index;

/// <summary>
/// The file store's run index: per experiment folder, what search needs from each run, kept in memory
/// and persisted next to the runs so a new process starts warm. Files stay the source of truth: every
/// query re-checks each run's <c>meta.yaml</c> and, per run, only the key files its filter and order_by
/// name (plus every file of the runs it returns), re-reading whatever changed. Writes by this store,
/// by other processes and by MLflow itself are therefore seen by the next query without any hook in
/// the write path. With change notification (<see cref="RunWatcher"/>) a watched run without events since its last
/// full check is answered from memory instead.
/// </summary>
internal sealed class RunIndex(RunIndexContext context, bool trusted, RunWatcher? watcher = null) : IDisposable
{
    /// <summary>Save again once this share of the runs' files were re-read since the last save (1/N).</summary>
    private const int ResaveFraction = 20;
    private static readonly TimeSpan ResaveAfter = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, ExperimentRunIndex> _experiments = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _notWritable = new(StringComparer.Ordinal);

    // Run folders this store wrote to since a Trusted query last looked at them (Trusted mode only).
    private readonly ConcurrentDictionary<string, byte> _touched = new(StringComparer.Ordinal);

    // The loaded files whose bytes the experiments' entries still read (see IndexFileMemory).
    private readonly ConcurrentDictionary<string, IndexFileMemory> _loadedFrom = new(StringComparer.Ordinal);
    private int _disposed;

    /// <summary>
    /// Closes the watcher's inotify instance and unmaps the loaded index files now rather than when they are collected
    /// (a long-lived process that opens stores one after another would otherwise hold them until a GC). Queries
    /// afterwards throw <see cref="ObjectDisposedException"/>; like any Dispose, not to be called while a query runs.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        watcher?.Dispose();
        foreach (var folder in _loadedFrom.Keys)
        {
            if (_loadedFrom.TryRemove(folder, out var memory)) memory.Dispose();
        }
        _experiments.Clear();
    }

    /// <summary>
    /// The experiment's index, dropped and rebuilt when the file its entries read from was written in place since it
    /// was loaded (the store never does that: it renames a new file over the old one, which leaves the loaded one intact).
    /// </summary>
    private ExperimentRunIndex Current(string experimentFolder)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var index = For(experimentFolder);
        if (!_loadedFrom.TryGetValue(experimentFolder, out var memory) || !memory.ChangedSinceOpened()) return index;
        var fresh = new ExperimentRunIndex(experimentFolder);
        if (!_experiments.TryUpdate(experimentFolder, fresh, index)) return For(experimentFolder); // another query replaced it
        _loadedFrom.TryRemove(new KeyValuePair<string, IndexFileMemory>(experimentFolder, memory));
        context.Warn(RunIndexFile.PathOf(experimentFolder), "Run index rewritten in place while in use; rebuilt from the run folders.", null);
        return fresh;
    }

    /// <summary>The runs of one experiment folder in the view that pass the filter, with their ordering values (see <see cref="IndexedRun"/>).</summary>
    public List<IndexedRun> Matching(string experimentFolder, ViewType viewType, Search.RunFilter filter, Search.RunOrdering ordering, int parallelism)
    {
        var index = Current(experimentFolder);
        return index.Matching(viewType, filter, ordering, context, trusted ? _touched : null, parallelism, WatcherFor(index));
    }

    /// <summary>Completes a matched run into a <see cref="Run"/> (see <see cref="IndexedRun.Complete"/>).</summary>
    public Run Complete(IndexedRun run) => run.Complete(context);

    /// <summary>Active and deleted run counts of one experiment folder, checked as a search checks them.</summary>
    public (int Active, int Deleted) CountByStage(string experimentFolder, int parallelism)
    {
        var index = Current(experimentFolder);
        return index.CountByStage(context, trusted ? _touched : null, parallelism, WatcherFor(index));
    }

    /// <summary>
    /// The watcher when this verified query of <paramref name="index"/> uses change notification (starting it when the
    /// mode says it is time); drains the event queue first either way, so every write that completed before this
    /// point is accounted for before anything is answered.
    /// </summary>
    private RunWatcher? WatcherFor(ExperimentRunIndex index)
    {
        if (trusted || watcher is null) return null;
        var watching = watcher.ShouldWatch(index);
        watcher.Drain();
        return watching ? watcher : null;
    }

    public RunIndexContext Context => context;

    /// <summary>Change notification for Verified queries (null: Trusted, Off or <see cref="RunIndexWatch.Never"/>).</summary>
    public RunWatcher? Watcher => watcher;

    /// <summary>
    /// Called by the store after each write to a run. Only <see cref="RunIndexMode.Trusted"/> needs it (the
    /// verified index sees every write through file stamps), so the default mode pays one branch.
    /// </summary>
    public void Touched(string runFolder)
    {
        if (trusted) _touched[runFolder] = 0;
    }

    /// <summary>Persists the experiment's index when it was (re)built or fell noticeably behind; never fails the query.</summary>
    public void SaveIfBehind(string experimentFolder)
    {
        if (!_experiments.TryGetValue(experimentFolder, out var index) || _notWritable.ContainsKey(experimentFolder)) return;
        int count;
        lock (index.Sync) count = index.Entries.Count;
        var behind = Volatile.Read(ref index.ReadsSinceSave);
        var due = !index.Persisted
            ? count > 0
            : behind > 0 && (behind * ResaveFraction >= count || DateTime.UtcNow - index.LastSaveUtc >= ResaveAfter);
        if (!due) return;
        Interlocked.Exchange(ref index.ReadsSinceSave, 0);
        if (RunIndexFile.TrySave(index))
        {
            index.Persisted = true;
            index.LastSaveUtc = DateTime.UtcNow;
        }
        else
        {
            // A read-only store (or one we may not write to): the index lives in memory for this process.
            _notWritable[experimentFolder] = 0;
        }
    }

    private ExperimentRunIndex For(string experimentFolder) =>
        _experiments.GetOrAdd(experimentFolder, folder =>
        {
            var index = new ExperimentRunIndex(folder);
            switch (RunIndexFile.TryLoad(index, context, out var problem, out var memory))
            {
                case RunIndexFile.LoadResult.Loaded:
                    if (memory is not null) _loadedFrom[folder] = memory;
                    index.Persisted = true;
                    index.LastSaveUtc = DateTime.UtcNow;
                    break;
                case RunIndexFile.LoadResult.LoadedOlderFormat:
                    break; // used as it is, and written in the current format after the first query

                case RunIndexFile.LoadResult.Corrupt:
                    context.Warn(RunIndexFile.PathOf(folder), $"Run index ignored and rebuilt from the run folders: {problem}.", null);
                    break;
            }
            return index;
        });
}
