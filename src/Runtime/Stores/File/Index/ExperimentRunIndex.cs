using Qlib.Tracked.Entities;

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

    /// <summary>Files re-read since the persisted copy was written (the copy is behind by that much).</summary>
    public int ReadsSinceSave;

    public void CountReads(int reads)
    {
        if (reads > 0) Interlocked.Add(ref ReadsSinceSave, reads);
    }

    /// <summary>True once a persisted copy was written or loaded for the current entries.</summary>
    public bool Persisted { get; set; }

    public DateTime LastSaveUtc { get; set; }

    /// <summary>Re-lists the experiment folder when its stamp changed; returns the entries to check (a snapshot).</summary>
    public RunIndexEntry[] RefreshListing()
    {
        lock (Sync)
        {
            var statTime = DateTime.UtcNow;
            var stamp = FileStamp.Of(new DirectoryInfo(Folder));
            if (!ListingStamp.Confirms(stamp))
            {
                var names = new HashSet<string>(StringComparer.Ordinal);
                if (stamp.Exists)
                {
                    try
                    {
                        foreach (var child in Directory.EnumerateDirectories(Folder))
                        {
                            var name = Path.GetFileName(child);
                            if (!StoreLayout.IsReservedExperimentChild(name)) names.Add(name);
                        }
                    }
                    catch (DirectoryNotFoundException) { }
                }
                var changed = names.Count != Entries.Count;
                var next = new Dictionary<string, RunIndexEntry>(names.Count, StringComparer.Ordinal);
                foreach (var name in names)
                {
                    if (Entries.TryGetValue(name, out var known)) next[name] = known;
                    else
                    {
                        next[name] = new RunIndexEntry(name);
                        changed = true;
                    }
                }
                Entries = next;
                ListingStamp = stamp.Settled(statTime);
                if (changed) ReadsSinceSave++;
            }
            return [.. Entries.Values];
        }
    }

    /// <summary>Runs of at least this many entries are checked on several threads (below it, threads cost more than they save).</summary>
    public const int ParallelThreshold = 2048;

    /// <summary>The runs of the view, each as a lazily checked <see cref="Run"/>; folders that are not runs are reported and skipped.</summary>
    /// <param name="viewType">Which lifecycle stages to return.</param>
    /// <param name="context">The store's warnings, locator and key pool.</param>
    /// <param name="touched">
    /// Trusted mode: the run folders this store wrote to; only those (and runs seen for the first time) are
    /// checked against their files, every other run is answered from the index as it is. Null: verify all.
    /// </param>
    /// <param name="parallelism">
    /// Threads for the per-run checks (one stat of meta.yaml each, and reading runs seen for the first time):
    /// the entries are independent, each under its own lock. Warnings about skipped folders still come in
    /// folder order.
    /// </param>
    public List<Run> Runs(ViewType viewType, RunIndexContext context, System.Collections.Concurrent.ConcurrentDictionary<string, byte>? touched, int parallelism)
    {
        var entries = RefreshListing();
        var checkedInfos = new (RunInfo? Info, string? Problem)[entries.Length];
        var verify = touched is null;
        void Check(int i)
        {
            var entry = entries[i];
            var runFolder = Path.Combine(Folder, entry.FolderName);
            lock (entry.Sync)
            {
                var wasTouched = touched is not null && touched.TryRemove(runFolder, out _); // consumed even when rebuilt anyway
                var recheck = verify || wasTouched || !entry.Built;
                var reads = recheck ? entry.RefreshInfo(runFolder, context) : 0;
                if (recheck && !verify) reads += entry.RefreshAllKinds(runFolder, context);
                CountReads(reads);
                checkedInfos[i] = (entry.Info, entry.Problem);
            }
        }
        if (parallelism > 1 && entries.Length >= ParallelThreshold)
        {
            var ranges = System.Collections.Concurrent.Partitioner.Create(0, entries.Length, Math.Max(256, entries.Length / (parallelism * 8)));
            Parallel.ForEach(ranges, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, range =>
            {
                for (var i = range.Item1; i < range.Item2; i++) Check(i);
            });
        }
        else
        {
            for (var i = 0; i < entries.Length; i++) Check(i);
        }

        var runs = new List<Run>(entries.Length);
        for (var i = 0; i < entries.Length; i++)
        {
            var entry = entries[i];
            var runFolder = Path.Combine(Folder, entry.FolderName);
            var (info, problem) = checkedInfos[i];
            if (info is null)
            {
                if (problem is null) context.Warn(runFolder, "Skipped a folder that is not a run: it has no meta.yaml.", null);
                else context.Warn(Path.Combine(runFolder, StoreLayout.MetaFile), $"Skipped an unreadable run: {problem}.", entry.FolderName);
                continue;
            }
            if (!viewType.Includes(info.LifecycleStage)) continue;
            runs.Add(new IndexedRun(this, entry, runFolder, context, verify).ToLazyRun(info));
        }
        return runs;
    }
}
