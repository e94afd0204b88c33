using Qlib.Tracked.Interop;
using System.Runtime.InteropServices;
using System.Diagnostics.CodeAnalysis;

namespace Qlib.Tracked.Stores.FileBacked.Index;

/// <summary>
/// Change notification for the run index (Linux inotify, local file systems): a run whose folders are watched and
/// that had no event since it was last checked in full is answered from memory, with no stat. One inotify instance
/// per store. Why this is exact (three orderings) and what it cannot see: README.md in this folder.
/// </summary>
internal sealed class RunWatcher : IDisposable
{
    // Below this, a verified query's stats cost a few ms: not worth 4+ watches per run from a budget the user's
    // other processes (editors, IDEs, file sync) share.
    public const int AutoThreshold = 1000;

    private const int ReadBufferSize = 64 * 1024;

    private readonly RunIndexWatch _mode;
    private readonly int _budget;
    private readonly bool _simulateInitFailure;
    private readonly Lock _sync = new();
    private readonly Dictionary<int, RunIndexEntry> _targets = []; // watch descriptor → the run it belongs to
    private InotifyHandle? _handle;
    private bool _unavailable;
    private volatile bool _exhausted;
    private byte[]? _buffer;
    private int _epoch;

    public RunWatcher(RunIndexWatch mode, int? budget, bool simulateInitFailure)
    {
        _mode = mode;
        _simulateInitFailure = simulateInitFailure;
        _budget = budget ?? DefaultBudget();
    }

    /// <summary>Bumped on a queue overflow: every run watched before is dirty.</summary>
    public int Epoch => Volatile.Read(ref _epoch);

    public int Overflows { get; private set; }

    public int WatchCount
    {
        get { lock (_sync) return _targets.Count; }
    }

    /// <summary>Tests: the inotify file descriptor, -1 when none.</summary>
    internal int Descriptor
    {
        get { lock (_sync) return _handle is { } handle ? (int)handle.DangerousGetHandle() : -1; }
    }

    /// <summary>Closes the inotify instance (the kernel frees its watches); under the lock every read holds.</summary>
    public void Dispose()
    {
        lock (_sync) CloseLocked();
    }

    private void CloseLocked()
    {
        _unavailable = true;
        _targets.Clear();
        _handle?.Dispose();
        _handle = null;
    }

    /// <summary>Half the user's limit (<c>/proc/sys/fs/inotify/max_user_watches</c>), which every process of the user shares.</summary>
    private static int DefaultBudget()
    {
        try
        {
            var text = File.ReadAllText("/proc/sys/fs/inotify/max_user_watches").Trim();
            return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var limit) ? limit / 2 : 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return 0; }
    }

    /// <summary>Once per verified query: true when the runs are watched (starting when the mode says so); never throws.</summary>
    public bool ShouldWatch(ExperimentRunIndex index)
    {
        if (_mode == RunIndexWatch.Never) return false;
        var searches = index.CountVerifiedSearch();
        switch (index.WatchState)
        {
            case ExperimentRunIndex.Watch.On: return true;
            case ExperimentRunIndex.Watch.Refused: return false;
        }
        if (_mode == RunIndexWatch.Auto)
        {
            int count;
            lock (index.Sync) count = index.Entries.Count;
            if (searches < 2 || count < AutoThreshold) return false;
        }
        lock (_sync)
        {
            if (index.WatchState != ExperimentRunIndex.Watch.None) return index.WatchState == ExperimentRunIndex.Watch.On;
            // The experiment folder itself is not watched: its stamp, never trusted within 2 s of a write, sees every run folder created or removed.
            var on = LocalFileSystem.IsLocal(index.Folder) && EnsureHandle();
            index.WatchState = on ? ExperimentRunIndex.Watch.On : ExperimentRunIndex.Watch.Refused;
            return on;
        }
    }

    private bool EnsureHandle()
    {
        if (_handle is not null) return true;
        if (_unavailable) return false;
        _handle = _simulateInitFailure ? null : Inotify.TryCreate();
        _unavailable = _handle is null;
        return _handle is not null;
    }

    /// <summary>Reads every queued event and marks the runs they concern dirty (at the start of every query).</summary>
    public void Drain()
    {
        if (_handle is null) return;
        lock (_sync)
        {
            _buffer ??= new byte[ReadBufferSize];
            while (true)
            {
                var n = Inotify.Read(_handle, _buffer);
                if (n == -Errno.EIntr) continue;
                if (n <= 0)
                {
                    if (n != -Errno.EAgain)
                    {
                        // Unexpected: trust nothing watched so far, and watch no more (every run goes back to stats).
                        Interlocked.Increment(ref _epoch);
                        CloseLocked();
                    }
                    return;
                }
                Dispatch(_buffer.AsSpan(0, n));
            }
        }
    }

    private void Dispatch(ReadOnlySpan<byte> events)
    {
        // struct inotify_event { int wd; uint32 mask; uint32 cookie; uint32 len; char name[len]; }, native byte order.
        while (events.Length >= 16)
        {
            var wd = MemoryMarshal.Read<int>(events);
            var mask = MemoryMarshal.Read<uint>(events[4..]);
            var nameLength = (int)MemoryMarshal.Read<uint>(events[12..]);
            events = events[Math.Min(events.Length, 16 + nameLength)..];
            if ((mask & Inotify.InQueueOverflow) != 0)
            {
                Overflows++;
                Interlocked.Increment(ref _epoch);
                continue;
            }
            if (!_targets.TryGetValue(wd, out var entry)) continue; // a watch already forgotten
            entry.CountWatchEvent();
            if ((mask & (Inotify.InIgnored | Inotify.InDeleteSelf | Inotify.InMoveSelf)) != 0)
            {
                // The folder is gone or elsewhere: the watch no longer stands for its path. Re-verification re-adds it.
                if ((mask & Inotify.InIgnored) == 0) Inotify.RemoveWatch(_handle!, wd);
                ForgetLocked(wd, entry);
            }
        }
    }

    /// <summary>Watched, and no event since its last full check (caller holds its lock).</summary>
    public bool IsClean(RunIndexEntry entry) =>
        entry.WatchCleanAt == (entry.WatchEvents, Epoch);

    /// <summary>
    /// Watches the run folder, its key folders and the sub-folders the entry's last listing recorded; false when a watch
    /// could not be added (the run stays on stats). On true the caller checks the run in full, then <see cref="MarkClean"/>
    /// if <see cref="WatchPass.Covers"/> it: a folder created before its parent's watch changed the parent's stamp, so
    /// the check lists it and finds it unwatched; one created after raises an event.
    /// </summary>
    public bool TryWatchRun(RunIndexEntry entry, string runFolder, [NotNullWhen(true)] out WatchPass? pass)
    {
        pass = null;
        if (_handle is null || _exhausted) return false;
        lock (_sync)
        {
            // Read before any watch exists: an event from here on makes the entry dirty again.
            var watching = new WatchPass(entry.WatchEvents, _epoch);
            if (AddLocked(runFolder, entry) < 0) return false;
            if (!AddKindLocked(runFolder, StoreLayout.MetricsFolder, entry.MetricFolders, entry, watching.Metrics)
                || !AddKindLocked(runFolder, StoreLayout.ParamsFolder, entry.ParamFolders, entry, watching.Params)
                || !AddKindLocked(runFolder, StoreLayout.TagsFolder, entry.TagFolders, entry, watching.Tags)) return false;
            pass = watching;
            return true;
        }
    }

    /// <summary>After a full check following <see cref="TryWatchRun"/> (caller holds the entry's lock).</summary>
    public static void MarkClean(RunIndexEntry entry, WatchPass pass) => entry.WatchCleanAt = (pass.Events, pass.Epoch);

    private bool AddKindLocked(string runFolder, string kind, FolderStamps? known, RunIndexEntry entry, HashSet<string> watched)
    {
        var root = Path.Combine(runFolder, kind);
        var wd = AddLocked(root, entry);
        if (IsAbsent(wd)) return true; // its creation is an event of the run folder's watch
        if (wd < 0) return false;
        watched.Add("");
        if (known is null) return AddTreeLocked(root, "", entry, watched);
        foreach (var relative in known.RelativePaths)
        {
            if (relative.Length == 0) continue;
            wd = AddLocked(Path.Combine(root, relative), entry);
            if (IsAbsent(wd)) continue; // removed since: the check finds the changed stamps and lists again
            if (wd < 0) return false;
            watched.Add(relative);
        }
        return true;
    }

    private static bool IsAbsent(int result) => result == -Errno.ENoEnt || result == -Errno.ENotDir;

    // Each folder is watched before it is listed.
    private bool AddTreeLocked(string folder, string relative, RunIndexEntry entry, HashSet<string> watched)
    {
        List<string> children;
        try { children = [.. Directory.EnumerateDirectories(folder)]; }
        catch (Exception e) when (e is DirectoryNotFoundException or IOException or UnauthorizedAccessException) { return e is DirectoryNotFoundException; }
        foreach (var child in children)
        {
            var childRelative = relative.Length == 0 ? Path.GetFileName(child) : Path.Combine(relative, Path.GetFileName(child));
            var wd = AddLocked(child, entry);
            if (IsAbsent(wd)) continue;
            if (wd < 0) return false;
            watched.Add(childRelative);
            if (!AddTreeLocked(child, childRelative, entry, watched)) return false;
        }
        return true;
    }

    /// <summary>Watches one folder of <paramref name="entry"/>; the watch descriptor, or -errno (-ENOSPC: budget spent).</summary>
    private int AddLocked(string folder, RunIndexEntry entry)
    {
        if (_handle is null || _exhausted) return -Errno.ENoSpc;
        var wd = Inotify.AddWatch(_handle, folder, Inotify.ChangeMask);
        if (wd < 0)
        {
            if (wd == -Errno.ENoSpc) _exhausted = true; // the user's kernel-wide limit: stop trying until watches are freed
            return wd;
        }
        if (_targets.TryGetValue(wd, out var known))
        {
            // The same folder again (one inode, one watch): fine for its own run; another run sharing it cannot be told apart.
            return ReferenceEquals(known, entry) ? wd : -Errno.ENoSpc;
        }
        if (_targets.Count >= _budget)
        {
            Inotify.RemoveWatch(_handle, wd);
            _exhausted = true;
            return -Errno.ENoSpc;
        }
        _targets[wd] = entry;
        (entry.WatchDescriptors ??= []).Add(wd);
        return wd;
    }

    private void ForgetLocked(int wd, RunIndexEntry entry)
    {
        _targets.Remove(wd);
        entry.WatchDescriptors?.Remove(wd);
        if (_targets.Count < _budget) _exhausted = false;
    }

    /// <summary>Drops the watches of a run that left the experiment's listing (its folder moved or was removed).</summary>
    public void Forget(RunIndexEntry entry)
    {
        if (_handle is null) return;
        lock (_sync)
        {
            if (entry.WatchDescriptors is not { Count: > 0 } wds) return;
            foreach (var wd in wds.ToArray())
            {
                if (_targets.TryGetValue(wd, out var target) && ReferenceEquals(target, entry))
                {
                    Inotify.RemoveWatch(_handle, wd);
                    ForgetLocked(wd, entry);
                }
            }
            entry.WatchCleanAt = null;
        }
    }
}

/// <summary>One <see cref="RunWatcher.TryWatchRun"/>: event count and epoch read before its first watch, and the key folders watched ("" = the kind folder).</summary>
internal sealed class WatchPass(int events, int epoch)
{
    public int Events { get; } = events;
    public int Epoch { get; } = epoch;
    public HashSet<string> Metrics { get; } = new(StringComparer.Ordinal);
    public HashSet<string> Params { get; } = new(StringComparer.Ordinal);
    public HashSet<string> Tags { get; } = new(StringComparer.Ordinal);

    /// <summary>Every folder the entry's stamps list is watched (a missing kind folder needs none: the run folder's watch sees it created).</summary>
    public bool Covers(RunIndexEntry entry) =>
        CoversKind(entry.MetricFolders, Metrics) && CoversKind(entry.ParamFolders, Params) && CoversKind(entry.TagFolders, Tags);

    private static bool CoversKind(FolderStamps? stamps, HashSet<string> watched)
    {
        if (stamps is null) return false;
        for (var i = 0; i < stamps.RelativePaths.Length; i++)
        {
            var relative = stamps.RelativePaths[i];
            if (relative.Length == 0 && stamps.Stamps[i] == FileStamp.Missing) continue;
            if (!watched.Contains(relative)) return false;
        }
        return true;
    }
}
