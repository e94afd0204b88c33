using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores.FileBacked;
using Qlib.Tracked.Stores.FileBacked.Index;
using Qlib.Tracked.Validation;

namespace Qlib.Tracked.Stores;

// Runs: create, read (info + data + inputs), update, delete/restore, tags, metric history.
public sealed partial class FileStore
{
    private const string RunNameTag = "mlflow.runName";

    /// <inheritdoc/>
    public Run CreateRun(string experimentId, string? userId, long startTime, IReadOnlyList<RunTag>? tags, string? runName)
    {
        MlflowValidation.ValidateExperimentId(experimentId);
        tags ??= [];
        foreach (var tag in tags)
        {
            _keys.ValidateTagKey(tag.Key);
            MlflowValidation.ValidateTagValue(tag.Key, tag.Value);
        }
        var experiment = GetExperimentForRunCreation(experimentId);
        if (experiment.LifecycleStage != LifecycleStage.Active)
            throw TrackingException.InvalidState($"Could not create run under non-active experiment with ID {experimentId}.");

        string? tagName = null;
        foreach (var tag in tags)
        {
            if (tag.Key == RunNameTag) tagName = tag.Value;
        }
        if (runName is not null && tagName is not null && runName != tagName)
            throw TrackingException.InvalidParameter(
                $"Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different values (run_name='{runName}', mlflow.runName='{tagName}').");
        var name = runName ?? tagName ?? RunNames.Next();

        var runId = Guid.NewGuid().ToString("N");
        var folder = Path.Combine(RootDirectory, experimentId, runId);
        Directory.CreateDirectory(folder);
        Directory.CreateDirectory(Path.Combine(folder, StoreLayout.MetricsFolder));
        Directory.CreateDirectory(Path.Combine(folder, StoreLayout.ParamsFolder));
        var tagFolder = Path.Combine(folder, StoreLayout.TagsFolder);
        Directory.CreateDirectory(tagFolder);
        // No artifacts/ yet: MLflow creates it with the first artifact, and every inode counts on run creation.

        var info = new RunInfo(
            runId, experimentId, name, userId ?? "unknown", RunStatus.Running, startTime, null,
            AppendUriPath(experiment.ArtifactLocation, runId, StoreLayout.ArtifactsFolder), LifecycleStage.Active);
        var allTags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var tag in tags) allTags[tag.Key] = tag.Value;
        allTags[RunNameTag] = name; // MLflow always records the name as a tag too
        foreach (var (key, value) in allTags) AtomicFile.WriteExact(StoreLayout.KeyPath(tagFolder, key), value);
        WriteRunMeta(folder, info, isNew: true);
        _runs.Remember(runId, folder);
        return new Run(info, new RunData(new Dictionary<string, Metric>(), new Dictionary<string, string>(), allTags), []);
    }

    /// <inheritdoc/>
    public Run GetRun(string runId)
    {
        var (folder, info) = LoadRun(runId, useCache: false);
        return ReadRun(folder, info);
    }

    /// <inheritdoc/>
    public RunInfo UpdateRunInfo(string runId, RunStatus status, long? endTime, string? runName)
    {
        lock (_metaWriteLock)
        {
            // The stat-checked meta cache saves a YAML parse on the run-end hot path.
            var (folder, info) = LoadActiveRun(runId, useCache: true);
            var updated = info with { Status = status, EndTime = endTime, RunName = runName ?? info.RunName };
            if (runName is not null)
            {
                _keys.ValidateTagKey(RunNameTag);
                MlflowValidation.ValidateTagValue(RunNameTag, runName);
                AtomicFile.WriteExact(StoreLayout.KeyPath(Path.Combine(folder, StoreLayout.TagsFolder), RunNameTag), runName);
            }
            WriteRunMeta(folder, updated);
            return updated;
        }
    }

    /// <inheritdoc/>
    public void DeleteRun(string runId)
    {
        lock (_metaWriteLock)
        {
            var (folder, info) = LoadRun(runId, useCache: false);
            WriteRunMeta(folder, info with { LifecycleStage = LifecycleStage.Deleted, DeletedTime = StoreLayout.NowMillis() });
        }
    }

    /// <inheritdoc/>
    public void RestoreRun(string runId)
    {
        lock (_metaWriteLock)
        {
            var (folder, info) = LoadRun(runId, useCache: false);
            WriteRunMeta(folder, info with { LifecycleStage = LifecycleStage.Active, DeletedTime = null });
        }
    }

    /// <inheritdoc/>
    public void DeleteTag(string runId, string key)
    {
        _keys.ValidateTagKey(key);
        var (folder, _) = LoadActiveRun(runId);
        var path = StoreLayout.KeyPath(Path.Combine(folder, StoreLayout.TagsFolder), key);
        if (!File.Exists(path))
            throw TrackingException.DoesNotExist($"No tag with name: {key} in run with id {runId}");
        File.Delete(path);
    }

    /// <inheritdoc/>
    public IReadOnlyList<Metric> GetMetricHistory(string runId, string metricKey) =>
        ReadMetricHistory(runId, metricKey, 0, int.MaxValue);

    /// <summary>One page of <see cref="GetMetricHistory(string, string)"/>: the metric file is read only up to the page's last point.</summary>
    public IReadOnlyList<Metric> GetMetricHistory(string runId, string metricKey, int offset, int maxPoints)
    {
        MetricHistoryRange.Validate(offset, maxPoints);
        return ReadMetricHistory(runId, metricKey, offset, maxPoints);
    }

    private MetricPoints ReadMetricHistory(string runId, string metricKey, int offset, int maxPoints)
    {
        _keys.ValidateMetricKey(metricKey);
        var (folder, _) = LoadRun(runId, useCache: true);
        var path = StoreLayout.KeyPath(Path.Combine(folder, StoreLayout.MetricsFolder), metricKey);
        // A key with '/' is a file in a sub-folder, so the folder itself ("train" of "train/loss") is not a metric;
        // opening it would fail as "access denied", which says nothing about the key.
        if (Directory.Exists(path))
        {
            var inside = Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Take(5)
                .Select(file => metricKey + "/" + Path.GetRelativePath(path, file).Replace(Path.DirectorySeparatorChar, '/')).ToList();
            throw TrackingException.InvalidParameter(
                $"Metric '{metricKey}' of run '{runId}' is a folder ({StoreLayout.Relative(RootDirectory, path)}/), not a metric: a metric key "
                + "names a file under the run's metrics folder" + (inside.Count == 0 ? "; this folder holds none." : $", such as {string.Join(", ", inside)}."));
        }
        return MetricFile.ReadHistory(path, metricKey, (line, reason) => Warn(path, $"Skipped line {line}: {reason}.", runId), offset, maxPoints);
    }

    // ----- helpers -----

    /// <summary>
    /// The run's folder and parsed meta; RESOURCE_DOES_NOT_EXIST when no experiment holds it.
    /// <paramref name="useCache"/> lets hot write paths reuse a meta parsed while its file stamp is unchanged.
    /// </summary>
    private (string Folder, RunInfo Info) LoadRun(string runId, bool useCache)
    {
        MlflowValidation.ValidateRunId(runId);
        string folder;
        FileStamp stamp;
        if (_runs.TryGetRemembered(runId, out var remembered) && (stamp = FileStamp.OfFile(remembered, "", StoreLayout.MetaFile)).Exists)
        {
            folder = remembered;
        }
        else
        {
            folder = _runs.Find(runId) ?? throw TrackingException.DoesNotExist($"Run '{runId}' not found");
            stamp = FileStamp.OfFile(folder, "", StoreLayout.MetaFile);
        }
        var metaPath = Path.Combine(folder, StoreLayout.MetaFile);
        if (useCache && stamp.Exists && _runMetas.TryGet(folder, stamp, out var cached))
            return (folder, cached);

        var text = AtomicFile.ReadTextWithRetry(metaPath, out var refused);
        string? problem = refused is null ? null : "meta.yaml is unreadable: " + refused;
        if (text is null && problem is null) throw TrackingException.DoesNotExist($"Run '{runId}' not found");
        var nameFromMeta = false;
        var info = (text is null ? null : RunMetaFile.Parse(text, runId, out nameFromMeta, out problem))
            // MLflow's code for a run whose metadata cannot be read (INVALID_STATE): a store problem, not a bug here.
            ?? throw new TrackingException(ErrorCode.InvalidState,
                $"Run '{runId}' is malformed: {problem} ({StoreLayout.Relative(RootDirectory, metaPath)}).");
        if (!nameFromMeta) info = info with { RunName = ReadRunNameTag(folder, runId) }; // MLflow 1.x meta has no run_name
        _runMetas.Put(folder, stamp, info);
        return (folder, info);
    }

    /// <summary>As <see cref="LoadRun"/>, refusing deleted runs (MLflow's <c>check_run_is_active</c>).</summary>
    private (string Folder, RunInfo Info) LoadActiveRun(string runId, bool useCache = false)
    {
        var run = LoadRun(runId, useCache);
        if (run.Info.LifecycleStage != LifecycleStage.Active)
            throw TrackingException.InvalidParameter(
                $"The run {runId} must be in the 'active' state. Current state is {run.Info.LifecycleStage.ToMlflowString()}.");
        return run;
    }

    private void WriteRunMeta(string folder, RunInfo info, bool isNew = false)
    {
        var path = Path.Combine(folder, StoreLayout.MetaFile);
        if (isNew) AtomicFile.WriteNewText(path, RunMetaFile.Format(info));
        else AtomicFile.WriteAllText(path, RunMetaFile.Format(info));
        _runMetas.Put(folder, FileStamp.OfFile(folder, "", StoreLayout.MetaFile), info);
    }

    /// <summary>Runs of one experiment folder in the view; folders that are not readable runs are reported and skipped.</summary>
    private List<(string Folder, RunInfo Info)> ListRunInfos(string experimentFolder, ViewType viewType)
    {
        var result = new List<(string, RunInfo)>();
        if (!Directory.Exists(experimentFolder)) return result;
        foreach (var folder in Directory.EnumerateDirectories(experimentFolder))
        {
            var name = Path.GetFileName(folder);
            if (StoreLayout.IsReservedExperimentChild(name)) continue;
            var metaPath = Path.Combine(folder, StoreLayout.MetaFile);
            var text = AtomicFile.ReadTextWithRetry(metaPath, out var refused);
            if (refused is not null)
            {
                Warn(metaPath, $"Skipped an unreadable run: meta.yaml is unreadable: {refused}.", name);
                continue;
            }
            if (text is null)
            {
                Warn(folder, "Skipped a folder that is not a run: it has no meta.yaml.");
                continue;
            }
            var info = RunMetaFile.Parse(text, name, out var nameFromMeta, out var problem);
            if (info is null)
            {
                Warn(metaPath, $"Skipped an unreadable run: {problem}.", name);
                continue;
            }
            if (!nameFromMeta) info = info with { RunName = ReadRunNameTag(folder, info.RunId) };
            _runs.Remember(info.RunId, folder);
            if (viewType.Includes(info.LifecycleStage)) result.Add((folder, info));
        }
        return result;
    }

    private string ReadRunNameTag(string folder, string runId)
    {
        var path = StoreLayout.KeyPath(Path.Combine(folder, StoreLayout.TagsFolder), RunNameTag);
        var name = KeyValueFolder.TryRead(path, out var refused);
        if (refused is not null) Warn(path, $"Left the run name out: {refused}.", runId);
        return name ?? "";
    }

    /// <summary>A whole run: latest metric per key, params, tags and dataset inputs.</summary>
    private Run ReadRun(string folder, RunInfo info)
    {
        var tags = KeyValueFolder.ReadAll(Path.Combine(folder, StoreLayout.TagsFolder), (path, message) => Warn(path, message, info.RunId));
        var parameters = KeyValueFolder.ReadAll(Path.Combine(folder, StoreLayout.ParamsFolder), (path, message) => Warn(path, message, info.RunId));
        var metrics = ReadLatestMetrics(folder, info.RunId);
        var inputs = DatasetInputs.Read(folder, Path.GetDirectoryName(folder)!, (path, message) => Warn(path, message, info.RunId));
        return new Run(info, new RunData(metrics, parameters, tags), inputs);
    }

    private Dictionary<string, Metric> ReadLatestMetrics(string folder, string runId)
    {
        var result = new Dictionary<string, Metric>(StringComparer.Ordinal);
        var metricsFolder = Path.Combine(folder, StoreLayout.MetricsFolder);
        foreach (var (file, _, _) in KeyFileListing.List(metricsFolder, (path, message) => Warn(path, message, runId)))
        {
            var key = file[(metricsFolder.Length + 1)..].Replace(Path.DirectorySeparatorChar, '/');
            var history = MetricFile.ReadHistory(file, key, (line, reason) => Warn(file, $"Skipped line {line}: {reason}.", runId));
            if (MetricFile.Latest(history) is { } latest) result[key] = latest;
        }
        return result;
    }
}
