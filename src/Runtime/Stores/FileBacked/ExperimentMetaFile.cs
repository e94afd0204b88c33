using Qlib.Tracked.Entities;
using Qlib.Tracked.Formats;
using Qlib.Tracked.Formats.Python;

namespace Qlib.Tracked.Stores.FileBacked;

/// <summary>An experiment's <c>meta.yaml</c> (reference §1.1): fields, spelling, and old-MLflow tolerance.</summary>
internal static class ExperimentMetaFile
{
    /// <summary>
    /// The meta text. <paramref name="includeTags"/> mirrors MLflow, whose delete/restore/rename
    /// rewrite the whole experiment including a <c>tags:</c> mapping (readers use the tags folder).
    /// </summary>
    public static string Format(ExperimentInfo experiment, bool includeTags)
    {
        var map = new YamlMapping()
            .Add("artifact_location", experiment.ArtifactLocation)
            .Add("creation_time", experiment.CreationTime)
            .Add("experiment_id", experiment.ExperimentId)
            .Add("last_update_time", experiment.LastUpdateTime)
            .Add("lifecycle_stage", experiment.LifecycleStage.ToMlflowString())
            .Add("name", experiment.Name);
        if (includeTags)
        {
            var tags = new YamlMapping();
            foreach (var (k, v) in experiment.Tags) tags.Add(k, v);
            map.Add("tags", tags);
        }
        return PyYamlWriter.Write(map);
    }

    /// <summary>
    /// Parses a meta file; null (with <paramref name="problem"/>) when it is unreadable or lacks a
    /// name. 1.x files (int id, no times) are accepted; a missing stage reads as active.
    /// </summary>
    public static ExperimentInfo? Parse(string text, string folderName, IReadOnlyDictionary<string, string> tags, out string? problem)
    {
        var meta = YamlMeta.TryParse(text);
        if (meta is null)
        {
            problem = "meta.yaml is empty or not a YAML mapping";
            return null;
        }
        if (!MetaFields.TryTexts(meta, out problem, "name", "experiment_id", "artifact_location"))
        {
            problem = "meta.yaml is unreadable: " + problem;
            return null;
        }
        var name = meta.GetString("name");
        if (name is null)
        {
            problem = "meta.yaml has no experiment name";
            return null;
        }
        var id = meta.GetString("experiment_id") ?? folderName;
        if (id != folderName)
        {
            problem = $"meta.yaml names experiment '{MetaFields.Shorten(id)}' but its folder is '{folderName}'";
            return null;
        }
        if (!MetaFields.TryStage(meta, "lifecycle_stage", out var stage, out problem)
            || !MetaFields.TryTime(meta, "creation_time", out var creationTime, out problem)
            || !MetaFields.TryTime(meta, "last_update_time", out var lastUpdateTime, out problem))
        {
            problem = "meta.yaml is unreadable: " + problem;
            return null;
        }
        return new ExperimentInfo(
            id,
            name,
            meta.GetString("artifact_location") ?? "",
            stage,
            creationTime,
            lastUpdateTime,
            tags);
    }
}
