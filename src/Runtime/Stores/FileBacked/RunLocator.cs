using System.Collections.Concurrent;

namespace Qlib.Tracked.Stores.FileBacked;

/// <summary>
/// Finds a run's folder without listing every experiment on every call (MLflow's
/// <c>_find_run_root</c> does, which makes its per-call cost grow with the store). Remembers
/// runId → folder; a remembered folder is trusted only while its <c>meta.yaml</c> still exists,
/// so runs moved by another process (experiment deleted to <c>.trash</c>) are found again. A miss
/// probes <c>&lt;experiment&gt;/&lt;runId&gt;</c> in each experiment: cost grows with experiments, not runs.
/// </summary>
internal sealed class RunLocator(string root)
{
    private const int Capacity = 1 << 16;
    private readonly ConcurrentDictionary<string, string> _folders = new(StringComparer.Ordinal);

    public void Remember(string runId, string folder)
    {
        if (_folders.Count >= Capacity) _folders.Clear();
        _folders[runId] = folder;
    }

    /// <summary>
    /// The folder remembered for the run, unchecked: the caller stats the run's <c>meta.yaml</c> anyway and
    /// falls back to <see cref="Find"/> when it is gone (one stat per call instead of two).
    /// </summary>
    public bool TryGetRemembered(string runId, out string folder) => _folders.TryGetValue(runId, out folder!);

    /// <summary>Drops what is remembered about a run whose folder is gone.</summary>
    public void Forget(string runId) => _folders.TryRemove(runId, out _);

    /// <summary>The run's folder, or null when no experiment (active or in trash) holds it.</summary>
    public string? Find(string runId)
    {
        // Path.Exists, not File.Exists: a run whose meta.yaml is damaged into a folder (or a pipe) is a malformed run,
        // reported as such by the reader, not a missing one.
        if (_folders.TryGetValue(runId, out var cached) && Path.Exists(Path.Combine(cached, StoreLayout.MetaFile))) return cached;
        var found = Probe(root, runId) ?? Probe(Path.Combine(root, StoreLayout.TrashFolder), runId);
        if (found is null) _folders.TryRemove(runId, out _);
        else Remember(runId, found);
        return found;
    }

    private static string? Probe(string parent, string runId)
    {
        if (!Directory.Exists(parent)) return null;
        foreach (var experiment in Directory.EnumerateDirectories(parent))
        {
            if (Path.GetFileName(experiment).StartsWith('.')) continue; // .trash is probed separately
            var candidate = Path.Combine(experiment, runId);
            if (Path.Exists(Path.Combine(candidate, StoreLayout.MetaFile))) return candidate;
        }
        return null;
    }
}
