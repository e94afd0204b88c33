using System.Collections.Concurrent;
using Qlib.Tracked.Entities;

namespace Qlib.Tracked.Stores.FileBacked;

/// <summary>
/// Parsed run metas keyed by folder, reused while the file's write time and length are unchanged:
/// logging checks the run is active on every batch, and one stat is much cheaper than a YAML
/// parse. Only write paths use it (reads always parse the file): a rewrite by another process
/// within the file system's timestamp granularity that keeps the length could go unnoticed for
/// that window, which at worst lets one batch land on a run deleted a few milliseconds earlier.
/// </summary>
internal sealed class RunMetaCache
{
    private const int Capacity = 1 << 14;
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    private sealed record Entry(FileStamp Stamp, RunInfo Info);

    public bool TryGet(string folder, FileStamp meta, out RunInfo info)
    {
        if (_entries.TryGetValue(folder, out var entry) && entry.Stamp.Confirms(meta))
        {
            info = entry.Info;
            return true;
        }
        info = null!;
        return false;
    }

    public void Put(string folder, FileStamp meta, RunInfo info)
    {
        if (!meta.Exists) return;
        if (_entries.Count >= Capacity) _entries.Clear();
        _entries[folder] = new Entry(meta, info);
    }

    public void Forget(string folder) => _entries.TryRemove(folder, out _);
}
