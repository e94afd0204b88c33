using System.Collections.Concurrent;
using Qlib.Tracked.Artifacts;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores.FileBacked;
using Qlib.Tracked.Stores.FileBacked.Index;
using Qlib.Tracked.Validation;

namespace Qlib.Tracked.Stores;

// Experiments: create, read, list, delete/restore (move to and from .trash), rename, tags.
public sealed partial class FileStore
{
    private const string DescriptionTag = "mlflow.note.content";

    // Name -> id of the experiment GetExperimentByName last found under that name (read again on every use).
    private readonly ConcurrentDictionary<string, string> _experimentIdsByName = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public string CreateExperiment(string name, string? artifactLocation = null, IReadOnlyList<RunTag>? tags = null)
    {
        MlflowValidation.ValidateExperimentName(name);
        if (tags is not null)
        {
            foreach (var tag in tags) MlflowValidation.ValidateExperimentTag(tag.Key, tag.Value);
        }

        if (artifactLocation is not null) ArtifactRoots.RequireAllowedExperimentLocation(name, artifactLocation);

        // The lock makes "is the name free?" and "create the folder" one step across processes.
        using var _ = CreationLock.Acquire(RootDirectory);
        ThrowIfNameTaken(name);
        string id;
        do
        {
            id = Random.Shared.NextInt64(100_000_000_000_000_000, 1_000_000_000_000_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture);
        } while (ExperimentFolderExists(id));
        WriteNewExperiment(id, name, artifactLocation, tags);
        return id;
    }

    private void ThrowIfNameTaken(string name)
    {
        var existing = FindExperimentByName(name, ViewType.All);
        if (existing is null) return;
        if (existing.LifecycleStage == LifecycleStage.Deleted)
            throw TrackingException.AlreadyExists(
                $"Experiment '{name}' already exists in deleted state. You can restore the experiment, or permanently delete the " +
                "experiment from the .trash folder (under tracking server's root folder) in order to use this experiment name again.");
        throw TrackingException.AlreadyExists($"Experiment '{name}' already exists.");
    }

    private void WriteNewExperiment(string id, string name, string? artifactLocation, IReadOnlyList<RunTag>? tags)
    {
        var folder = Path.Combine(RootDirectory, id);
        Directory.CreateDirectory(folder);
        var now = StoreLayout.NowMillis();
        var location = artifactLocation is null ? AppendUriPath(DefaultArtifactRoot, id) : ToArtifactUri(artifactLocation);
        var info = new ExperimentInfo(id, name, location, LifecycleStage.Active, now, now, new Dictionary<string, string>());
        if (tags is not null)
        {
            foreach (var tag in tags) AtomicFile.WriteExact(StoreLayout.KeyPath(Path.Combine(folder, StoreLayout.TagsFolder), tag.Key), tag.Value);
        }
        AtomicFile.WriteAllText(Path.Combine(folder, StoreLayout.MetaFile), ExperimentMetaFile.Format(info, includeTags: false));
    }

    /// <inheritdoc/>
    public ExperimentInfo GetExperiment(string experimentId)
    {
        MlflowValidation.ValidateExperimentId(experimentId);
        var folder = FindExperimentFolder(experimentId)
            ?? throw TrackingException.DoesNotExist($"Could not find experiment with ID {experimentId}");
        return ReadExperiment(folder, out var problem)
            ?? throw new TrackingException(ErrorCode.InvalidState, $"Experiment {experimentId} is malformed: {problem} ({StoreLayout.Relative(RootDirectory, folder)}).");
    }

    /// <inheritdoc/>
    public ExperimentInfo? GetExperimentByName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        // R.Start looks its experiment up by name on every run, and a lookup reads every experiment. So the
        // experiment last found under the name is read first, afresh, and taken if it is still active under
        // that name: names are unique among experiments, so no other can hold it then.
        if (_experimentIdsByName.TryGetValue(name, out var knownId) && TryReadActiveExperiment(knownId) is { } known && known.Name == name)
            return known;
        var found = FindExperimentByName(name, ViewType.ActiveOnly);
        if (found is null)
        {
            _experimentIdsByName.TryRemove(name, out _);
            return null;
        }
        if (_experimentIdsByName.Count >= 4_096) _experimentIdsByName.Clear();
        _experimentIdsByName[name] = found.ExperimentId;
        return found;
    }

    /// <summary>
    /// The active experiment <paramref name="experimentId"/> with its tags, or null (missing, unreadable, deleted). Its meta
    /// comes from <see cref="TryCachedExperimentMeta"/> (one stat while meta.yaml is unchanged: R.Start looks its
    /// experiment up on every run); the tags are read afresh, as a tag rewritten in place changes no stamp of the meta.
    /// </summary>
    private ExperimentInfo? TryReadActiveExperiment(string experimentId)
    {
        var folder = Path.Combine(RootDirectory, experimentId);
        var meta = TryCachedExperimentMeta(folder, experimentId, forRead: true);
        if (meta?.LifecycleStage != LifecycleStage.Active) return null;
        return meta with { Tags = KeyValueFolder.ReadAll(Path.Combine(folder, StoreLayout.TagsFolder), (path, message) => Warn(path, message)) };
    }

    /// <inheritdoc/>
    public IReadOnlyList<ExperimentInfo> SearchExperiments(ViewType viewType = ViewType.ActiveOnly)
    {
        var result = ListExperiments(viewType);
        result.Sort(static (a, b) =>
        {
            // creation_time DESC (missing last), then experiment_id ASC.
            var byTime = (b.CreationTime ?? long.MinValue).CompareTo(a.CreationTime ?? long.MinValue);
            return byTime != 0 ? byTime : string.CompareOrdinal(a.ExperimentId, b.ExperimentId);
        });
        return result;
    }

    /// <inheritdoc/>
    public void DeleteExperiment(string experimentId)
    {
        MlflowValidation.ValidateExperimentId(experimentId);
        if (experimentId == StoreLayout.DefaultExperimentId)
            throw TrackingException.InvalidParameter(
                $"Cannot delete the default experiment '{StoreLayout.DefaultExperimentId}'. This is an internally reserved experiment.");
        var folder = Path.Combine(RootDirectory, experimentId);
        var experiment = (Directory.Exists(folder) ? ReadExperiment(folder, out _) : null)
            ?? throw TrackingException.DoesNotExist($"Could not find experiment with ID {experimentId}");
        var target = Path.Combine(TrashDirectory, experimentId);
        if (Directory.Exists(target))
            throw TrackingException.InvalidState(
                $"Cannot delete experiment {experimentId}: '{StoreLayout.Relative(RootDirectory, target)}' already exists in the trash.");

        var now = StoreLayout.NowMillis();
        WriteExperimentMeta(folder, experiment with { LifecycleStage = LifecycleStage.Deleted, LastUpdateTime = now });
        foreach (var (runFolder, run) in ListRunInfos(folder, ViewType.ActiveOnly))
            WriteRunMeta(runFolder, run with { LifecycleStage = LifecycleStage.Deleted, DeletedTime = now });
        Directory.Move(folder, target);
    }

    /// <inheritdoc/>
    public void RestoreExperiment(string experimentId)
    {
        MlflowValidation.ValidateExperimentId(experimentId);
        var trashed = Path.Combine(TrashDirectory, experimentId);
        var experiment = (Directory.Exists(trashed) ? ReadExperiment(trashed, out _) : null)
            ?? throw TrackingException.DoesNotExist($"Could not find deleted experiment with ID {experimentId}");
        var target = Path.Combine(RootDirectory, experimentId);
        if (Directory.Exists(target))
            throw TrackingException.InvalidState(
                $"Cannot restore experiment with ID {experimentId}. An experiment with same ID already exists.");

        Directory.Move(trashed, target);
        WriteExperimentMeta(target, experiment with { LifecycleStage = LifecycleStage.Active, LastUpdateTime = StoreLayout.NowMillis() });
        foreach (var (runFolder, run) in ListRunInfos(target, ViewType.DeletedOnly))
            WriteRunMeta(runFolder, run with { LifecycleStage = LifecycleStage.Active, DeletedTime = null });
    }

    /// <inheritdoc/>
    public void RenameExperiment(string experimentId, string newName)
    {
        MlflowValidation.ValidateExperimentId(experimentId);
        MlflowValidation.ValidateExperimentName(newName);
        using var _ = CreationLock.Acquire(RootDirectory);
        var experiment = GetExperiment(experimentId);
        if (experiment.LifecycleStage != LifecycleStage.Active)
            throw TrackingException.InvalidState(
                $"Cannot rename experiment in non-active lifecycle stage. Current stage: {experiment.LifecycleStage.ToMlflowString()}");
        if (experiment.Name == newName) return;
        ThrowIfNameTaken(newName);
        WriteExperimentMeta(Path.Combine(RootDirectory, experimentId), experiment with { Name = newName, LastUpdateTime = StoreLayout.NowMillis() });
    }

    /// <inheritdoc/>
    public void SetExperimentTag(string experimentId, string key, string value)
    {
        MlflowValidation.ValidateExperimentTag(key, value);
        var experiment = GetExperiment(experimentId);
        if (experiment.LifecycleStage != LifecycleStage.Active)
            throw TrackingException.InvalidParameter(
                $"The experiment {experimentId} must be in the 'active' state. Current state is {experiment.LifecycleStage.ToMlflowString()}.");
        var tags = Path.Combine(RootDirectory, experimentId, StoreLayout.TagsFolder);
        AtomicFile.WriteExact(StoreLayout.KeyPath(tags, key), value);
    }

    // ----- helpers -----

    private static readonly IReadOnlyDictionary<string, string> NoTags = new Dictionary<string, string>();
    private readonly ConcurrentDictionary<string, ExperimentMetaEntry> _experimentMetas = new(StringComparer.Ordinal);

    /// <param name="Stamp">meta.yaml's stamp when it was parsed.</param>
    /// <param name="Settled">
    /// The stamp was taken <see cref="FileStamp.SettleTime"/> or more after the write it shows, so any later rewrite carries
    /// a later time (see <see cref="FileStamp"/>): only then may a read path (<see cref="GetExperimentByName"/>) trust it.
    /// </param>
    /// <param name="Info">The parse, without tags.</param>
    private sealed record ExperimentMetaEntry(FileStamp Stamp, bool Settled, ExperimentInfo Info);

    /// <summary>
    /// The experiment's meta WITHOUT its tags, for run creation (which needs only the stage and artifact
    /// location). The parse is reused while <c>meta.yaml</c>'s write time and length are unchanged, so a
    /// create costs one stat instead of a read, a YAML parse and a tags listing; every rewrite (rename,
    /// delete, restore) changes the stamp. Unusual cases take <see cref="GetExperiment"/>'s path.
    /// </summary>
    private ExperimentInfo GetExperimentForRunCreation(string experimentId) =>
        TryCachedExperimentMeta(Path.Combine(RootDirectory, experimentId), experimentId, forRead: false)
        ?? GetExperiment(experimentId); // reports the problem (missing, in the trash, unreadable) as GetExperiment does

    /// <summary>
    /// The meta of the experiment in <paramref name="folder"/> without its tags, parsed again only when meta.yaml's stamp
    /// changed; null when it is missing or cannot be read or parsed (the caller reports that its own way).
    /// <paramref name="forRead"/>: a read API's lookup, which reuses only a settled parse (reads otherwise parse afresh,
    /// as <see cref="RunMetaCache"/> explains); run creation also reuses an unsettled one, as run metas' write paths do.
    /// </summary>
    private ExperimentInfo? TryCachedExperimentMeta(string folder, string experimentId, bool forRead)
    {
        var statTime = DateTime.UtcNow; // before the stat: the settle test errs on the side of parsing again
        // One statx (FileStamp), where a FileInfo made two system calls and three allocations on every run created.
        var stamp = FileStamp.OfFile(folder, "", StoreLayout.MetaFile);
        if (!stamp.Exists) return null;
        if (_experimentMetas.TryGetValue(folder, out var entry) && entry.Stamp.Confirms(stamp) && (entry.Settled || !forRead))
            return entry.Info;
        var text = AtomicFile.ReadTextWithRetry(Path.Combine(folder, StoreLayout.MetaFile), out _);
        var info = text is null ? null : ExperimentMetaFile.Parse(text, experimentId, NoTags, out _);
        if (info is null) return null;
        if (_experimentMetas.Count >= 4096) _experimentMetas.Clear();
        _experimentMetas[folder] = new ExperimentMetaEntry(stamp, stamp.Settled(statTime) == stamp, info);
        return info;
    }

    /// <summary>The folder of an experiment, active first, then in the trash; null when neither has it.</summary>
    private string? FindExperimentFolder(string experimentId)
    {
        var active = Path.Combine(RootDirectory, experimentId);
        if (Directory.Exists(active)) return active;
        var trashed = Path.Combine(TrashDirectory, experimentId);
        return Directory.Exists(trashed) ? trashed : null;
    }

    private ExperimentInfo? FindExperimentByName(string name, ViewType viewType)
    {
        foreach (var experiment in ListExperiments(viewType))
        {
            if (experiment.Name == name) return experiment;
        }
        return null;
    }

    /// <summary>Every readable experiment of the view; unreadable folders are reported and skipped.</summary>
    private List<ExperimentInfo> ListExperiments(ViewType viewType)
    {
        var result = new List<ExperimentInfo>();
        if (viewType != ViewType.DeletedOnly) AddExperiments(RootDirectory, result, viewType);
        if (viewType != ViewType.ActiveOnly) AddExperiments(TrashDirectory, result, viewType);
        return result;
    }

    private void AddExperiments(string parent, List<ExperimentInfo> result, ViewType viewType)
    {
        if (!Directory.Exists(parent)) return;
        foreach (var folder in Directory.EnumerateDirectories(parent))
        {
            if (StoreLayout.IsReservedRootChild(Path.GetFileName(folder))) continue;
            var experiment = ReadExperiment(folder, out var problem);
            if (experiment is null)
            {
                Warn(folder, $"Skipped a folder that is not a readable experiment: {problem}.");
                continue;
            }
            if (viewType.Includes(experiment.LifecycleStage)) result.Add(experiment);
        }
    }

    private ExperimentInfo? ReadExperiment(string folder, out string? problem)
    {
        var text = AtomicFile.ReadTextWithRetry(Path.Combine(folder, StoreLayout.MetaFile), out var refused);
        if (text is null)
        {
            problem = refused is null ? "it has no meta.yaml" : "its meta.yaml is unreadable: " + refused;
            return null;
        }
        var tags = KeyValueFolder.ReadAll(Path.Combine(folder, StoreLayout.TagsFolder), (path, message) => Warn(path, message));
        return ExperimentMetaFile.Parse(text, Path.GetFileName(folder), tags, out problem);
    }

    private void WriteExperimentMeta(string folder, ExperimentInfo experiment)
    {
        AtomicFile.WriteAllText(Path.Combine(folder, StoreLayout.MetaFile), ExperimentMetaFile.Format(experiment, includeTags: true));
        _experimentMetas.TryRemove(folder, out _); // this process's own rewrite never waits for the stamp to tell
    }
}
