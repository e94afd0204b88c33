using System.Globalization;
using System.Text.Json;
using Qlib.Tracked.Entities;

namespace Qlib.Tracked.Web;

/// <summary>How the API spells entities in JSON (the shapes are documented in the README).</summary>
internal static class JsonWrite
{
    /// <summary>A finite double as a number; NaN and infinities as the strings "NaN", "Infinity", "-Infinity" (JSON has no literals for them).</summary>
    public static void Number(Utf8JsonWriter w, double value)
    {
        if (double.IsFinite(value)) w.WriteNumberValue(value);
        else w.WriteStringValue(double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
    }

    public static void Number(Utf8JsonWriter w, string name, double value)
    {
        w.WritePropertyName(name);
        Number(w, value);
    }

    public static void NullableNumber(Utf8JsonWriter w, string name, long? value)
    {
        if (value is { } v) w.WriteNumber(name, v);
        else w.WriteNull(name);
    }

    public static void StringMap(Utf8JsonWriter w, string name, IEnumerable<KeyValuePair<string, string>> map)
    {
        w.WriteStartObject(name);
        foreach (var (key, value) in map.OrderBy(p => p.Key, StringComparer.Ordinal)) w.WriteString(key, value);
        w.WriteEndObject();
    }

    /// <summary>Latest metrics as <c>{"key": value}</c> (compact, for tables).</summary>
    public static void MetricValues(Utf8JsonWriter w, string name, IEnumerable<KeyValuePair<string, Metric>> metrics)
    {
        w.WriteStartObject(name);
        foreach (var (key, metric) in metrics.OrderBy(p => p.Key, StringComparer.Ordinal)) Number(w, key, metric.Value);
        w.WriteEndObject();
    }

    public static void MetricPoint(Utf8JsonWriter w, Metric metric)
    {
        w.WriteStartObject();
        w.WriteString("key", metric.Key);
        Number(w, "value", metric.Value);
        w.WriteNumber("step", metric.Step);
        w.WriteNumber("timestamp", metric.Timestamp);
        w.WriteEndObject();
    }

    public static void RunInfo(Utf8JsonWriter w, RunInfo info, PathRedactor redactor)
    {
        w.WriteString("run_id", info.RunId);
        w.WriteString("run_name", info.RunName);
        w.WriteString("experiment_id", info.ExperimentId);
        w.WriteString("user_id", info.UserId);
        w.WriteString("status", info.Status.ToMlflowString());
        w.WriteNumber("start_time", info.StartTime);
        NullableNumber(w, "end_time", info.EndTime);
        w.WriteString("artifact_uri", redactor.PresentLocation(info.ArtifactUri, info.ExperimentId, info.RunId));
        w.WriteString("lifecycle_stage", info.LifecycleStage.ToMlflowString());
    }

    public static void Experiment(Utf8JsonWriter w, ExperimentInfo experiment, PathRedactor redactor)
    {
        w.WriteString("experiment_id", experiment.ExperimentId);
        w.WriteString("name", experiment.Name);
        w.WriteString("artifact_location", redactor.PresentLocation(experiment.ArtifactLocation, experiment.ExperimentId));
        w.WriteString("lifecycle_stage", experiment.LifecycleStage.ToMlflowString());
        NullableNumber(w, "creation_time", experiment.CreationTime);
        NullableNumber(w, "last_update_time", experiment.LastUpdateTime);
        StringMap(w, "tags", experiment.Tags);
    }

    public static string Invariant(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
