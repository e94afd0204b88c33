using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores.FileBacked;
using Qlib.Tracked.Validation;

namespace Qlib.Tracked.Stores;

// Import (qtrack migrate): experiments and whole runs as recorded elsewhere.
public sealed partial class FileStore : IRunImporter
{
    /// <summary>Prefix of a run folder being imported: hidden, so no listing takes it for a run until it is renamed.</summary>
    private const string ImportPrefix = ".qtrk-import-";

    /// <inheritdoc/>
    public string ImportExperiment(ExperimentInfo experiment)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        MlflowValidation.ValidateExperimentName(experiment.Name);
        using var _ = CreationLock.Acquire(RootDirectory);
        ThrowIfNameTaken(experiment.Name);
        string id;
        do
        {
            id = Random.Shared.NextInt64(100_000_000_000_000_000, 1_000_000_000_000_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture);
        } while (ExperimentFolderExists(id));
        // A deleted experiment goes straight to the trash, where MLflow keeps deleted experiments.
        var parent = experiment.LifecycleStage == LifecycleStage.Deleted ? TrashDirectory : RootDirectory;
        var staging = Path.Combine(parent, ImportPrefix + id);
        Directory.CreateDirectory(staging);
        var info = experiment with { ExperimentId = id, ArtifactLocation = AppendUriPath(DefaultArtifactRoot, id) };
        foreach (var (key, value) in experiment.Tags) AtomicFile.WriteExact(StoreLayout.KeyPath(Path.Combine(staging, StoreLayout.TagsFolder), key), value);
        AtomicFile.WriteAllText(Path.Combine(staging, StoreLayout.MetaFile), ExperimentMetaFile.Format(info, includeTags: false));
        Directory.Move(staging, Path.Combine(parent, id));
        return id;
    }

    /// <inheritdoc/>
    public RunInfo ImportRun(RunImport run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var source = run.Info;
        MlflowValidation.ValidateRunId(source.RunId);
        if (run.KeepArtifactUri) ImportedArtifactLocation.Require(ArtifactRoots, source.RunId, source.ArtifactUri);
        var experimentFolder = FindExperimentFolder(source.ExperimentId)
            ?? throw TrackingException.DoesNotExist($"Could not find experiment with ID {source.ExperimentId}");
        var experiment = GetExperiment(source.ExperimentId);
        var target = Path.Combine(experimentFolder, source.RunId);
        if (_runs.Find(source.RunId) is { } existing && File.Exists(Path.Combine(existing, StoreLayout.MetaFile)))
            throw TrackingException.AlreadyExists($"Run '{source.RunId}' already exists in {StoreLayout.Relative(RootDirectory, existing)}.");

        // Everything is written into a hidden folder first and renamed into place last, so an interrupted import
        // leaves no run behind, only a hidden folder the next import of the same run replaces.
        var staging = Path.Combine(experimentFolder, ImportPrefix + source.RunId);
        if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        Directory.CreateDirectory(Path.Combine(staging, StoreLayout.MetricsFolder));
        Directory.CreateDirectory(Path.Combine(staging, StoreLayout.ParamsFolder));
        Directory.CreateDirectory(Path.Combine(staging, StoreLayout.TagsFolder));
        foreach (var (key, value) in run.Params) AtomicFile.WriteExact(StoreLayout.KeyPath(Path.Combine(staging, StoreLayout.ParamsFolder), key), value);
        foreach (var (key, value) in run.Tags) AtomicFile.WriteExact(StoreLayout.KeyPath(Path.Combine(staging, StoreLayout.TagsFolder), key), value);
        WriteMetricFiles(Path.Combine(staging, StoreLayout.MetricsFolder), run.MetricHistory);
        foreach (var input in run.Inputs) WriteInput(experimentFolder, staging, source.RunId, input);

        var info = run.KeepArtifactUri ? source : source with { ArtifactUri = AppendUriPath(experiment.ArtifactLocation, source.RunId, StoreLayout.ArtifactsFolder) };
        AtomicFile.WriteAllText(Path.Combine(staging, StoreLayout.MetaFile), RunMetaFile.Format(info));
        // A folder without meta.yaml under the final name is what an older, interrupted copy could have left.
        if (Directory.Exists(target)) Directory.Delete(target, recursive: true);
        Directory.Move(staging, target);
        _runs.Remember(source.RunId, target);
        return info;
    }

    /// <summary>One file per key, its points in the order given (MLflow's metric line format).</summary>
    private static void WriteMetricFiles(string metricsFolder, IReadOnlyList<Metric> history)
    {
        var byKey = new Dictionary<string, MemoryStream>(StringComparer.Ordinal);
        Span<byte> line = stackalloc byte[128];
        foreach (var point in history)
        {
            if (!byKey.TryGetValue(point.Key, out var lines)) byKey[point.Key] = lines = new MemoryStream();
            lines.Write(line[..MetricFile.FormatLine(point, line)]);
        }
        foreach (var (key, lines) in byKey)
        {
            var path = StoreLayout.KeyPath(metricsFolder, key);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, lines.ToArray());
        }
    }
}
