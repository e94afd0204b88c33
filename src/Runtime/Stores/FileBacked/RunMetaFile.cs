using Qlib.Tracked.Entities;
using Qlib.Tracked.Formats;
using Qlib.Tracked.Formats.Python;

namespace Qlib.Tracked.Stores.FileBacked;

/// <summary>A run's <c>meta.yaml</c> (reference §1.2): the exact key set MLflow 2.x writes, and 1.x tolerance on read.</summary>
internal static class RunMetaFile
{
    /// <summary>MLflow's legacy SourceType.LOCAL, always written.</summary>
    private const long LegacySourceTypeLocal = 4;

    public static string Format(RunInfo run)
    {
        var map = new YamlMapping()
            .Add("artifact_uri", run.ArtifactUri)
            .Add("end_time", run.EndTime)
            .Add("entry_point_name", "")
            .Add("experiment_id", run.ExperimentId)
            .Add("lifecycle_stage", run.LifecycleStage.ToMlflowString())
            .Add("run_id", run.RunId)
            .Add("run_name", run.RunName)
            .Add("run_uuid", run.RunId)
            .Add("source_name", "")
            .Add("source_type", LegacySourceTypeLocal)
            .Add("source_version", "")
            .Add("start_time", run.StartTime)
            .Add("status", (long)run.Status)
            .AddEmptyList("tags")
            .Add("user_id", run.UserId);
        // Only deleted runs carry deleted_time (MLflow's create-time "deleted_time: null" is dropped by its first rewrite).
        if (run.DeletedTime is { } deleted) map.Add("deleted_time", deleted);
        return PyYamlWriter.Write(map);
    }

    /// <summary>
    /// Parses a run meta. 1.x files have <c>name</c> instead of <c>run_name</c> (the caller then
    /// takes the name from the <c>mlflow.runName</c> tag: <paramref name="nameFromMeta"/> is null),
    /// may lack status (RUNNING) and lifecycle stage (active), and may write ids as integers.
    /// </summary>
    public static RunInfo? Parse(string text, string folderName, out bool nameFromMeta, out string? problem)
    {
        nameFromMeta = false;
        var meta = YamlMeta.TryParse(text);
        if (meta is null)
        {
            problem = "meta.yaml is empty or not a YAML mapping";
            return null;
        }
        if (!MetaFields.TryTexts(meta, out problem, "run_id", "run_uuid", "experiment_id", "run_name", "user_id", "artifact_uri"))
        {
            problem = "meta.yaml is unreadable: " + problem;
            return null;
        }
        var runId = meta.GetString("run_id") ?? meta.GetString("run_uuid") ?? folderName;
        if (runId != folderName)
        {
            problem = $"meta.yaml names run '{MetaFields.Shorten(runId)}' but its folder is '{folderName}'";
            return null;
        }
        var experimentId = meta.GetString("experiment_id");
        if (experimentId is null)
        {
            problem = "meta.yaml has no experiment_id";
            return null;
        }
        if (!MetaFields.TryStatus(meta, "status", RunStatus.Running, out var status, out problem)
            || !MetaFields.TryTime(meta, "start_time", out var startTime, out problem)
            || !MetaFields.TryTime(meta, "end_time", out var endTime, out problem)
            || !MetaFields.TryTime(meta, "deleted_time", out var deletedTime, out problem)
            || !MetaFields.TryStage(meta, "lifecycle_stage", out var stage, out problem))
        {
            problem = "meta.yaml is unreadable: " + problem;
            return null;
        }
        var runName = meta.GetString("run_name");
        nameFromMeta = runName is not null;
        return new RunInfo(
            runId,
            experimentId,
            runName ?? "",
            meta.GetString("user_id") ?? "",
            status,
            startTime ?? 0, // MLflow writes start_time: null for a run created without one
            endTime,
            meta.GetString("artifact_uri") ?? "",
            stage,
            deletedTime);
    }
}
