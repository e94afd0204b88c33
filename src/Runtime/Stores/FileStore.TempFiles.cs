using Qlib.Tracked.Stores.FileBacked;

namespace Qlib.Tracked.Stores;

/// <summary>A temp file an atomic write left behind (its writer was killed between writing it and renaming it into place).</summary>
/// <param name="Path">Relative to the store root, with '/' separators.</param>
/// <param name="Removed">False in a dry run, or when removing it failed.</param>
/// <param name="Error">Why removing it failed; null when it did not.</param>
public sealed record StaleTempFile(string Path, bool Removed, string? Error = null);

// Leftover temp files of atomic writes: found and removed by `qtrack gc`.
public sealed partial class FileStore
{
    /// <summary>
    /// How old a meta.yaml or run-index temp file must be to count as left behind. Its writer holds it for one write
    /// call (well under a second), so an hour-old one is orphaned for sure — the margin covers slow and shared file
    /// systems and clocks that disagree between machines sharing a store.
    /// </summary>
    public static readonly TimeSpan StaleMetadataTempAge = TimeSpan.FromHours(1);

    /// <summary>
    /// How old (since its last write) an artifact's temp file must be to count as left behind. A writer may hold an
    /// artifact stream open while it produces the file, each write refreshing the time, so only a day of silence
    /// counts; removing a live writer's temp file would lose its artifact on the final rename.
    /// </summary>
    public static readonly TimeSpan StaleArtifactTempAge = TimeSpan.FromDays(1);

    /// <summary>
    /// Finds (and unless <paramref name="dryRun"/> removes) the temp files of atomic writes whose writer died: meta.yaml
    /// rewrites and run-index saves in experiment and run folders, and artifact writes in runs' own artifact folders
    /// (artifacts stored elsewhere are not the store's to clean). Only names the writers make are touched, and only once
    /// older than <see cref="StaleMetadataTempAge"/> or <see cref="StaleArtifactTempAge"/>. Walks every run, so it is
    /// gc's job, not something done on every open.
    /// </summary>
    public IReadOnlyList<StaleTempFile> SweepStaleTempFiles(DateTime nowUtc, bool dryRun, CancellationToken cancellation = default)
    {
        var found = new List<StaleTempFile>();
        foreach (var parent in new[] { RootDirectory, TrashDirectory })
        {
            foreach (var experiment in SafeDirectories(parent))
            {
                if (cancellation.IsCancellationRequested) return found;
                if (StoreLayout.IsReservedRootChild(Path.GetFileName(experiment))) continue;
                SweepFolder(experiment, nowUtc - StaleMetadataTempAge, TempFileNames.IsReplaceTemp, dryRun, found);
                foreach (var run in SafeDirectories(experiment))
                {
                    if (StoreLayout.IsReservedExperimentChild(Path.GetFileName(run))) continue;
                    SweepFolder(run, nowUtc - StaleMetadataTempAge, TempFileNames.IsReplaceTemp, dryRun, found);
                    var artifacts = Path.Combine(run, StoreLayout.ArtifactsFolder);
                    if (!Directory.Exists(artifacts)) continue;
                    SweepFolder(artifacts, nowUtc - StaleArtifactTempAge, TempFileNames.IsArtifactTemp, dryRun, found);
                    foreach (var folder in SafeDirectories(artifacts, SearchOption.AllDirectories))
                        SweepFolder(folder, nowUtc - StaleArtifactTempAge, TempFileNames.IsArtifactTemp, dryRun, found);
                }
            }
        }
        return found;
    }

    private void SweepFolder(string folder, DateTime writtenBefore, Func<string, bool> isTemp, bool dryRun, List<StaleTempFile> found)
    {
        IEnumerable<FileInfo> files;
        try { files = new DirectoryInfo(folder).EnumerateFiles().ToList(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return; }
        foreach (var file in files)
        {
            if (!isTemp(file.Name)) continue;
            // A symlink is not a writer's temp file (writers create regular files): leave it, whatever it points at.
            if (file.LinkTarget is not null || file.LastWriteTimeUtc >= writtenBefore) continue;
            var relative = StoreLayout.Relative(RootDirectory, file.FullName);
            if (dryRun)
            {
                found.Add(new StaleTempFile(relative, false));
                continue;
            }
            try
            {
                file.Delete();
                found.Add(new StaleTempFile(relative, true));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                found.Add(new StaleTempFile(relative, false, e.Message));
            }
        }
    }

    /// <summary>Sub-folders, not following symlinks (a link in a store must not lead the sweep elsewhere); none when unreadable.</summary>
    private static List<string> SafeDirectories(string folder, SearchOption depth = SearchOption.TopDirectoryOnly)
    {
        try
        {
            var options = new EnumerationOptions
            {
                RecurseSubdirectories = depth == SearchOption.AllDirectories,
                AttributesToSkip = FileAttributes.ReparsePoint,
                IgnoreInaccessible = true,
            };
            return Directory.Exists(folder) ? [.. Directory.EnumerateDirectories(folder, "*", options)] : [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
