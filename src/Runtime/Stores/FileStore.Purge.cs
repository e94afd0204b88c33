using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores.FileBacked;
using Qlib.Tracked.Validation;

namespace Qlib.Tracked.Stores;

// Hard deletion (what `mlflow gc` does) and the activity clock that tells a stale RUNNING run.
public sealed partial class FileStore
{
    /// <summary>
    /// Removes a soft-deleted run for good: its folder with params, metrics, tags and the artifacts kept
    /// in it. Artifacts recorded under another location are left alone (the caller is told through the
    /// returned URI) because a run's meta must not be able to aim a recursive delete at any folder.
    /// </summary>
    /// <returns>The run's artifact URI when its artifacts live outside the run folder, else null.</returns>
    /// <remarks>
    /// The folder is first renamed to a purge name inside its experiment (one atomic rename), so a
    /// reader never sees a half-deleted run: either the whole run is there under its id, or no run is.
    /// An interrupted delete leaves only a purge folder, which no listing treats as a run (run ids cannot
    /// start with '.') and <see cref="SweepInterruptedPurges"/> finishes.
    /// </remarks>
    public string? PurgeRun(string runId)
    {
        lock (_metaWriteLock)
        {
            var (folder, info) = LoadRun(runId, useCache: false);
            if (info.LifecycleStage != LifecycleStage.Deleted)
                throw TrackingException.InvalidState(
                    $"Cannot purge run '{runId}': it is {info.LifecycleStage.ToMlflowString()}; only deleted runs can be removed for good.");
            var ownArtifacts = info.ArtifactUri.TrimEnd('/').EndsWith(
                "/" + info.ExperimentId + "/" + info.RunId + "/" + StoreLayout.ArtifactsFolder, StringComparison.Ordinal);
            RemoveFolder(folder, runId);
            _runs.Forget(runId);
            return ownArtifacts ? null : info.ArtifactUri;
        }
    }

    /// <summary>Removes an experiment in <c>.trash</c> for good, with every run in it (same rename-first scheme as <see cref="PurgeRun"/>).</summary>
    public void PurgeExperiment(string experimentId)
    {
        MlflowValidation.ValidateExperimentId(experimentId);
        var folder = Path.Combine(TrashDirectory, experimentId);
        if (!Directory.Exists(folder))
            throw TrackingException.DoesNotExist($"Cannot purge experiment '{experimentId}': it is not in the trash (only deleted experiments can be removed for good).");
        RemoveFolder(folder, experimentId);
    }

    /// <summary>
    /// Finishes deletes a previous purge started but did not complete (its process was killed between
    /// the rename and the last file). Returns how many leftover folders were removed.
    /// </summary>
    public int SweepInterruptedPurges()
    {
        var removed = 0;
        foreach (var parent in new[] { RootDirectory, TrashDirectory })
        {
            if (!Directory.Exists(parent)) continue;
            foreach (var child in Directory.EnumerateDirectories(parent))
            {
                if (Path.GetFileName(child).StartsWith(StoreLayout.PurgePrefix, StringComparison.Ordinal))
                {
                    Directory.Delete(child, recursive: true);
                    removed++;
                    continue;
                }
                if (StoreLayout.IsReservedRootChild(Path.GetFileName(child))) continue;
                foreach (var grandChild in Directory.EnumerateDirectories(child, StoreLayout.PurgePrefix + "*"))
                {
                    Directory.Delete(grandChild, recursive: true);
                    removed++;
                }
            }
        }
        return removed;
    }

    /// <summary>
    /// When the run last showed a sign of life, in epoch ms: the latest modification time of its
    /// meta, metric, param and tag files, or the latest metric timestamp if that is later (a run copied
    /// from another machine keeps its metric timestamps but not its file times).
    /// </summary>
    public long GetRunLastActivity(string runId)
    {
        var (folder, info) = LoadRun(runId, useCache: false);
        var latest = info.StartTime;
        void Consider(long value) { if (value > latest) latest = value; }
        Consider(new DateTimeOffset(File.GetLastWriteTimeUtc(Path.Combine(folder, StoreLayout.MetaFile))).ToUnixTimeMilliseconds());
        foreach (var sub in new[] { StoreLayout.MetricsFolder, StoreLayout.ParamsFolder, StoreLayout.TagsFolder })
        {
            var path = Path.Combine(folder, sub);
            if (!Directory.Exists(path)) continue;
            foreach (var file in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories))
                Consider(new DateTimeOffset(File.GetLastWriteTimeUtc(file)).ToUnixTimeMilliseconds());
        }
        var metricsFolder = Path.Combine(folder, StoreLayout.MetricsFolder);
        if (Directory.Exists(metricsFolder))
        {
            foreach (var file in Directory.EnumerateFiles(metricsFolder, "*", SearchOption.AllDirectories))
            {
                var key = file[(metricsFolder.Length + 1)..].Replace(Path.DirectorySeparatorChar, '/');
                foreach (var point in MetricFile.ReadHistory(file, key, (line, reason) => Warn(file, $"Skipped line {line}: {reason}.", runId)))
                    Consider(point.Timestamp);
            }
        }
        return latest;
    }

    /// <summary>Renames <paramref name="folder"/> to a purge name next to it, drops its meta first, then the rest.</summary>
    private static void RemoveFolder(string folder, string id)
    {
        var parent = Path.GetDirectoryName(folder)!;
        var doomed = Path.Combine(parent, $"{StoreLayout.PurgePrefix}{id}-{Guid.NewGuid():N}");
        Directory.Move(folder, doomed);
        // Without its meta.yaml, even a reader that ignores the purge prefix (MLflow) skips the folder.
        File.Delete(Path.Combine(doomed, StoreLayout.MetaFile));
        Directory.Delete(doomed, recursive: true);
    }
}
