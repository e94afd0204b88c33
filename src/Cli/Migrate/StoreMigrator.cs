using Qlib.Tracked.Artifacts;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores;

namespace Qlib.Tracked.Tool.Migrate;

/// <summary>What <c>qtrack migrate</c> was asked to do besides copying.</summary>
internal sealed record MigrateOptions(bool Merge, bool KeepArtifactLocations);

/// <summary>What a migration did (or, when interrupted, did so far).</summary>
internal sealed class MigrateSummary
{
    public List<(string Name, string SourceId, string DestinationId, bool Created)> Experiments { get; } = [];
    public int RunsCopied { get; set; }
    public int RunsAlreadyThere { get; set; }
    public int RunsTotal { get; set; }
    public long MetricPoints { get; set; }
    public int ArtifactFilesCopied { get; set; }
    public List<string> Problems { get; } = [];
    public bool Interrupted { get; set; }
}

/// <summary>
/// Copies every experiment and run of one store into another (<c>qtrack migrate</c>). The destination itself is the
/// progress record: experiments are matched by name (unique in every MLflow store) and runs by id (kept on both
/// sides), and each run is written whole in one step (<see cref="IRunImporter.ImportRun"/>), so a rerun after an
/// interruption skips what is there and copies the rest, without duplicates and without a side file that could
/// disagree with the destination. Artifacts are synced file by file (missing or different-size files copied), so an
/// interrupted copy is finished by the rerun too.
/// </summary>
internal sealed class StoreMigrator(ITrackingStore source, ITrackingStore destination, MigrateOptions options)
{
    private const int PageSize = 1000;

    /// <summary>
    /// Runs, and metric points, written together at most: a SQL store commits once per group (a commit costs several
    /// fsyncs on SQLite, which dominated a run-by-run copy), while a group stays small enough to hold in memory.
    /// </summary>
    private const int RunsPerImport = 100;

    private const long PointsPerImport = 200_000;

    /// <summary>Runs migrate, calling <paramref name="onRun"/> after each run; stops between runs when cancelled.</summary>
    public MigrateSummary Run(Action<MigrateSummary>? onPlanned, Action<MigrateSummary, Run>? onRun, CancellationToken cancellation)
    {
        var importer = destination as IRunImporter
            ?? throw new TrackingException(ErrorCode.NotImplemented, $"The destination store '{destination.TrackingUri}' cannot import runs.");
        var summary = new MigrateSummary();
        var experiments = source.SearchExperiments(ViewType.All).OrderBy(e => e.ExperimentId.Length).ThenBy(e => e.ExperimentId, StringComparer.Ordinal).ToList();
        var runsByExperiment = experiments.ToDictionary(e => e.ExperimentId, e => ListRuns(source, e.ExperimentId), StringComparer.Ordinal);
        var sourceRunIds = runsByExperiment.Values.SelectMany(ids => ids).ToHashSet(StringComparer.Ordinal);
        summary.RunsTotal = sourceRunIds.Count;
        var destinationExperiments = destination.SearchExperiments(ViewType.All).ToDictionary(e => e.Name, StringComparer.Ordinal);
        if (!options.Merge) RefuseOtherRuns(destinationExperiments.Values, sourceRunIds);
        onPlanned?.Invoke(summary);

        foreach (var experiment in experiments)
        {
            var destinationId = MapExperiment(importer, experiment, destinationExperiments, summary);
            var pending = new List<(Run Run, RunImport Import)>();
            var pendingPoints = 0L;
            foreach (var runId in runsByExperiment[experiment.ExperimentId])
            {
                if (cancellation.IsCancellationRequested)
                {
                    // What is pending was read, not written: the rerun copies it.
                    summary.Interrupted = true;
                    return summary;
                }
                var run = source.GetRun(runId);
                if (Exists(runId))
                {
                    summary.RunsAlreadyThere++;
                    if (!options.KeepArtifactLocations) CopyArtifacts(runId, summary);
                    onRun?.Invoke(summary, run);
                    continue;
                }
                var history = new List<Metric>();
                foreach (var key in run.Data.Metrics.Keys.Order(StringComparer.Ordinal)) history.AddRange(source.GetMetricHistory(runId, key));
                var info = run.Info with { ExperimentId = destinationId };
                if (options.KeepArtifactLocations) info = info with { ArtifactUri = CurrentArtifactLocation(run.Info) };
                pending.Add((run, new RunImport(info, run.Data.Params, run.Data.Tags, history, run.Inputs, options.KeepArtifactLocations)));
                pendingPoints += history.Count;
                if (pending.Count >= RunsPerImport || pendingPoints >= PointsPerImport)
                {
                    Import(importer, experiment, pending, summary, onRun);
                    pendingPoints = 0;
                }
            }
            Import(importer, experiment, pending, summary, onRun);
        }
        return summary;
    }

    /// <summary>
    /// Writes the pending runs in one import (one transaction on a SQL store), then their artifacts. When the
    /// destination refuses the group, each run is imported alone, so one run it cannot hold is named and the others
    /// are still copied.
    /// </summary>
    private void Import(IRunImporter importer, ExperimentInfo experiment, List<(Run Run, RunImport Import)> pending, MigrateSummary summary,
        Action<MigrateSummary, Run>? onRun)
    {
        if (pending.Count == 0) return;
        var failed = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            importer.ImportRuns(pending.ConvertAll(p => p.Import));
        }
        catch (TrackingException) when (pending.Count > 1)
        {
            foreach (var (run, import) in pending)
            {
                try { importer.ImportRun(import); }
                catch (TrackingException e) { Refused(run, e); }
            }
        }
        catch (TrackingException e)
        {
            Refused(pending[0].Run, e);
        }
        foreach (var (run, import) in pending)
        {
            if (!failed.Contains(run.Info.RunId))
            {
                summary.RunsCopied++;
                summary.MetricPoints += import.MetricHistory.Count;
                if (!options.KeepArtifactLocations) CopyArtifacts(run.Info.RunId, summary);
            }
            onRun?.Invoke(summary, run);
        }
        pending.Clear();

        void Refused(Run run, TrackingException e)
        {
            failed.Add(run.Info.RunId);
            // The exit code says the migrate failed; the message says which run and why.
            summary.Problems.Add($"run {run.Info.RunId} '{run.Info.RunName}' of experiment '{experiment.Name}' not copied: {e.Message}");
        }
    }

    private static List<string> ListRuns(ITrackingStore store, string experimentId)
    {
        var ids = new List<string>();
        string? token = null;
        do
        {
            var page = store.SearchRuns([experimentId], null, ViewType.All, PageSize, null, token);
            ids.AddRange(page.Items.Select(r => r.Info.RunId));
            token = page.NextPageToken;
        } while (token is not null);
        // Oldest first, so a destination fills in the order the runs were made.
        ids.Reverse();
        return ids;
    }

    /// <summary>A destination holding runs the source does not have is someone else's data: copying into it needs --merge.</summary>
    private void RefuseOtherRuns(IEnumerable<ExperimentInfo> destinationExperiments, HashSet<string> sourceRunIds)
    {
        var others = new List<string>();
        foreach (var experiment in destinationExperiments)
            others.AddRange(ListRuns(destination, experiment.ExperimentId).Where(id => !sourceRunIds.Contains(id)));
        if (others.Count == 0) return;
        throw new TrackingException(ErrorCode.InvalidState,
            $"The destination '{destination.TrackingUri}' already holds {others.Count} run(s) that are not in the source (e.g. {others[0]}). " +
            "Migrate into an empty store, or pass --merge to add the source's experiments and runs to it (experiments with the same name are shared).");
    }

    private string MapExperiment(IRunImporter importer, ExperimentInfo experiment, Dictionary<string, ExperimentInfo> destinationExperiments, MigrateSummary summary)
    {
        bool created;
        string id;
        if (destinationExperiments.TryGetValue(experiment.Name, out var existing))
        {
            id = existing.ExperimentId;
            created = false;
            // The Default experiment every store starts with (or one an earlier run of migrate made): bring its tags over.
            if (existing.LifecycleStage == LifecycleStage.Active)
            {
                foreach (var (key, value) in experiment.Tags)
                {
                    if (!existing.Tags.TryGetValue(key, out var have) || have != value) destination.SetExperimentTag(id, key, value);
                }
            }
        }
        else
        {
            id = importer.ImportExperiment(experiment);
            created = true;
        }
        summary.Experiments.Add((experiment.Name, experiment.ExperimentId, id, created));
        return id;
    }

    /// <summary>
    /// Where the source reads the run's artifacts now: a file store moved from another machine still records the old
    /// machine's path, and finds the artifacts in its own run folder; the destination must reference the folder that
    /// exists. A location the source cannot open locally is kept as recorded.
    /// </summary>
    private string CurrentArtifactLocation(RunInfo run)
    {
        try
        {
            return source.GetArtifactRepository(run.RunId).GetLocalPath("") is { } local ? TrackingUri.FromLocalPath(local) : run.ArtifactUri;
        }
        catch (TrackingException)
        {
            return run.ArtifactUri;
        }
    }

    private bool Exists(string runId)
    {
        try
        {
            destination.GetRun(runId);
            return true;
        }
        catch (TrackingException e) when (e.Code == ErrorCode.ResourceDoesNotExist)
        {
            return false;
        }
    }

    /// <summary>Every artifact file of the run the destination lacks (or holds with another size) is copied.</summary>
    private void CopyArtifacts(string runId, MigrateSummary summary)
    {
        IArtifactRepository from, to;
        try
        {
            from = source.GetArtifactRepository(runId);
            to = destination.GetArtifactRepository(runId);
        }
        catch (TrackingException e)
        {
            summary.Problems.Add($"run {runId}: artifacts not copied: {e.Message}");
            return;
        }
        if (!from.Exists("")) return;
        var present = to.Exists("") ? ListFiles(to, null).ToDictionary(f => f.Path, f => f.FileSize, StringComparer.Ordinal) : [];
        foreach (var file in ListFiles(from, null))
        {
            if (present.TryGetValue(file.Path, out var size) && size == file.FileSize) continue;
            using (var read = from.OpenRead(file.Path))
            using (var write = to.OpenWrite(file.Path))
            {
                read.CopyTo(write);
            }
            summary.ArtifactFilesCopied++;
        }
    }

    private static IEnumerable<ArtifactInfo> ListFiles(IArtifactRepository repository, string? path)
    {
        foreach (var item in repository.List(path))
        {
            if (!item.IsDir) yield return item;
            else
            {
                foreach (var inner in ListFiles(repository, item.Path)) yield return inner;
            }
        }
    }
}
