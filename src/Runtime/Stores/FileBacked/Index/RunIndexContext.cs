using System.Collections.Concurrent;

namespace Qlib.Tracked.Stores.FileBacked.Index;

/// <summary>What index entries need from their store: warnings, the run locator, and one string pool for keys.</summary>
internal sealed class RunIndexContext(Action<string, string, string?> warn, Action<string, string> rememberRun)
{
    private const int PoolCapacity = 1 << 16;
    private readonly ConcurrentDictionary<string, string> _pool = new(StringComparer.Ordinal);

    // Searches check runs on several threads; the store's Warning event is raised one at a time.
    private readonly Lock _warnSync = new();

    public void Warn(string path, string message, string? runId)
    {
        lock (_warnSync) warn(path, message, runId);
    }

    private long _stats;

    /// <summary>Stats the index issued for searches (file and folder stamps; listings not included).</summary>
    public long StatsIssued => Interlocked.Read(ref _stats);

    public void CountStats(long stats)
    {
        if (stats > 0) Interlocked.Add(ref _stats, stats);
    }

    public void RememberRun(string runId, string folder) => rememberRun(runId, folder);

    /// <summary>A warning about a file of the run in <paramref name="runFolder"/>.</summary>
    public Action<string, string> WarnFor(string runFolder) => (path, message) => Warn(path, message, Path.GetFileName(runFolder));

    /// <summary>
    /// One instance per distinct key: 100,000 runs share the same few dozen key names, and reference-equal
    /// keys make lookups a pointer compare.
    /// </summary>
    public string Intern(string key)
    {
        if (_pool.TryGetValue(key, out var pooled)) return pooled;
        if (_pool.Count >= PoolCapacity) return key;
        return _pool.GetOrAdd(key, key);
    }
}
