using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores.Search;

namespace Qlib.Tracked.Stores.FileBacked.Index;

/// <summary>
/// The index of one experiment folder: an entry per sub-folder (run or not), and the stamp of the folder
/// listing they came from. A changed folder stamp (a run folder created or removed, by anyone) means
/// the folder is listed again; otherwise the known entries are reused.
/// </summary>
internal sealed class ExperimentRunIndex(string folder)
{
    public string Folder { get; } = folder;
    public Lock Sync { get; } = new();
    public Dictionary<string, RunIndexEntry> Entries { get; set; } = new(StringComparer.Ordinal);
    public FileStamp ListingStamp { get; set; } = FileStamp.Unsettled;

    private int _readsSinceSave;

    public int ReadsSinceSave => Volatile.Read(ref _readsSinceSave);

    public void CountReads(int reads)
    {
        if (reads > 0) Interlocked.Add(ref _readsSinceSave, reads);
    }

    public void ResetReadsSinceSave() => Interlocked.Exchange(ref _readsSinceSave, 0);

    /// <summary>When the index file was last loaded or saved; null while it has none.</summary>
    public DateTime? SavedUtc { get; set; }

    public enum Watch { None, On, Refused }

    private volatile Watch _watchState;
    private int _verifiedSearches;

    /// <summary>Set under the watcher's lock.</summary>
    public Watch WatchState { get => _watchState; set => _watchState = value; }

    public int CountVerifiedSearch() => Interlocked.Increment(ref _verifiedSearches);

    /// <summary>Re-lists the experiment folder when its stamp changed; returns the entries to check (a snapshot).</summary>
    public RunIndexEntry[] RefreshListing(RunWatcher? watcher = null)
    {
        lock (Sync)
        {
            var statTime = DateTime.UtcNow;
            var stamp = FileStamp.OfFolder(Folder);
            if (!ListingStamp.Confirms(stamp))
            {
                var next = new Dictionary<string, RunIndexEntry>(Entries.Count, StringComparer.Ordinal);
                var added = 0;
                if (stamp.Exists)
                {
                    try
                    {
                        foreach (var entry in ListRunFolders(Entries))
                        {
                            if (!next.TryAdd(entry.FolderName, entry)) continue;
                            if (!Entries.ContainsKey(entry.FolderName)) added++;
                        }
                    }
                    catch (DirectoryNotFoundException)
                    {
                        next.Clear();
                    }
                }
                var changed = added > 0 || next.Count != Entries.Count;
                if (watcher is not null)
                {
                    foreach (var (name, gone) in Entries)
                    {
                        if (!next.ContainsKey(name)) watcher.Forget(gone);
                    }
                }
                Entries = next;
                ListingStamp = stamp.Settled(statTime);
                if (changed) CountReads(1);
            }
            return [.. Entries.Values];
        }
    }

    // Names matched as spans straight from the listing: re-listing 100,000 runs allocates only for new folders.
    private IEnumerable<RunIndexEntry> ListRunFolders(Dictionary<string, RunIndexEntry> known)
    {
        var lookup = known.GetAlternateLookup<ReadOnlySpan<char>>();
        return new System.IO.Enumeration.FileSystemEnumerable<RunIndexEntry>(
            Folder,
            (ref System.IO.Enumeration.FileSystemEntry e) => lookup.TryGetValue(e.FileName, out var entry) ? entry : new RunIndexEntry(e.FileName.ToString()),
            new EnumerationOptions { AttributesToSkip = 0, IgnoreInaccessible = false })
        {
            ShouldIncludePredicate = (ref System.IO.Enumeration.FileSystemEntry e) => e.IsDirectory && !StoreLayout.IsReservedExperimentChild(e.FileName),
        };
    }

    // Below this, threads cost more than they save.
    public const int ParallelThreshold = 2048;

    public const int WatchQuotaFloor = 1024;

    /// <summary>
    /// The runs of the view that pass <paramref name="filter"/>, in folder order, with their ordering values; non-runs
    /// are reported and skipped. No run is built here: the caller completes the page it returns (<see cref="IndexedRun.Complete"/>).
    /// </summary>
    public List<IndexedRun> Matching(ViewType viewType, RunFilter filter, RunOrdering ordering, RunIndexContext context,
        int parallelism, RunWatcher? watcher = null)
    {
        var (_, results) = Check(viewType, filter, ordering, context, parallelism, build: true, watcher);
        return [.. results!.Where(run => run.HasValue).Select(run => run!.Value)];
    }

    /// <summary>Active and deleted runs, checked as a search checks them.</summary>
    public (int Active, int Deleted) CountByStage(RunIndexContext context, int parallelism, RunWatcher? watcher = null)
    {
        var (stages, _) = Check(ViewType.All, RunFilter.MatchAll, RunOrdering.Natural, context, parallelism, build: false, watcher);
        return (stages.Count(stage => stage == RunStage.Active), stages.Count(stage => stage == RunStage.Deleted));
    }

    private enum RunStage : byte { NotARun, Active, Deleted }

    // Non-runs are reported once every run is checked, in folder order.
    private (RunStage[] Stages, IndexedRun?[]? Results) Check(ViewType viewType, RunFilter filter, RunOrdering ordering,
        RunIndexContext context, int parallelism, bool build, RunWatcher? watcher)
    {
        var listingStats = FileStamp.StatsOnThisThread;
        var entries = RefreshListing(watcher);
        context.CountStats(FileStamp.StatsOnThisThread - listingStats);
        var stages = new RunStage[entries.Length];
        var results = build ? new IndexedRun?[entries.Length] : null;
        var matchAll = ReferenceEquals(filter, RunFilter.MatchAll);
        // Making a run watch-clean costs about ten times its plain check (every file stat'ed, a watch per folder), so
        // one query takes on at most an eighth of the runs: the switch to watching spreads over several queries, each
        // costing at most about twice a stats-only one. The rest are verified by stats meanwhile.
        var watchQuota = Math.Max(WatchQuotaFloor, entries.Length / 8);
        void Check(int i, EntryFacts facts)
        {
            var entry = entries[i];
            var runFolder = entry.PathIn(Folder);
            lock (entry.Sync)
            {
                var verify = true;
                var reads = 0;
                if (watcher is not null)
                {
                    if (watcher.IsClean(entry)) verify = false;
                    else if (Interlocked.Decrement(ref watchQuota) >= 0 && watcher.TryWatchRun(entry, runFolder, out var pass))
                    {
                        // Watched first, then checked in full: memory is current now, and any later write raises an event.
                        reads += entry.RefreshEverything(runFolder, context);
                        if (pass.Covers(entry)) RunWatcher.MarkClean(entry, pass);
                        verify = false;
                    }
                }
                if (verify) reads += entry.RefreshInfo(runFolder, context);
                CountReads(reads);
                var info = entry.Info;
                if (info is null) return;
                stages[i] = info.LifecycleStage == LifecycleStage.Deleted ? RunStage.Deleted : RunStage.Active;
                if (results is null || !viewType.Includes(info.LifecycleStage)) return;
                facts.Reset(entry, runFolder, info, verify);
                if (matchAll || filter.Matches(facts))
                {
                    var row = ordering.Row(facts);
                    results[i] = new IndexedRun(this, entry, row, CheckedKeys.From(facts), verify);
                }
                CountReads(facts.Reads);
            }
        }
        void CheckRange(int from, int to)
        {
            var facts = new EntryFacts(context);
            var stats = FileStamp.StatsOnThisThread;
            for (var i = from; i < to; i++) Check(i, facts);
            context.CountStats(FileStamp.StatsOnThisThread - stats);
        }
        if (parallelism > 1 && entries.Length >= ParallelThreshold)
        {
            var ranges = System.Collections.Concurrent.Partitioner.Create(0, entries.Length, Math.Max(256, entries.Length / (parallelism * 8)));
            Parallel.ForEach(ranges, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, range => CheckRange(range.Item1, range.Item2));
        }
        else CheckRange(0, entries.Length);
        WarnAboutNonRuns(entries, stages, context);
        return (stages, results);
    }

    private void WarnAboutNonRuns(RunIndexEntry[] entries, RunStage[] stages, RunIndexContext context)
    {
        for (var i = 0; i < entries.Length; i++)
        {
            if (stages[i] != RunStage.NotARun) continue;
            var entry = entries[i];
            string? problem;
            lock (entry.Sync) problem = entry.Problem;
            var runFolder = entry.PathIn(Folder);
            if (problem is null) context.Warn(runFolder, "Skipped a folder that is not a run: it has no meta.yaml.", null);
            else context.Warn(Path.Combine(runFolder, StoreLayout.MetaFile), $"Skipped an unreadable run: {problem}.", entry.FolderName);
        }
    }
}
