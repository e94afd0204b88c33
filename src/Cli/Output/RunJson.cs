using System.Text.Encodings.Web;
using System.Text.Json;
using Qlib.Tracked.Entities;

namespace Qlib.Tracked.Tool.Output;

/// <summary>
/// qtrack's JSON output, written with <see cref="Utf8JsonWriter"/> (no reflection). A run is
/// <c>{run_id, run_name, experiment_id, status, start_time, end_time, lifecycle_stage, params, metrics, tags}</c>:
/// times are epoch milliseconds (<c>end_time</c> null while running), params/tags objects of strings,
/// metrics an object of latest values where NaN and the infinities are the strings <c>"NaN"</c>,
/// <c>"Infinity"</c>, <c>"-Infinity"</c> (JSON has no such numbers). Object keys are sorted ordinally.
/// </summary>
public static class RunJson
{
    /// <summary>Non-ASCII text is written as is, not \u-escaped: this is terminal and file output, not HTML.</summary>
    public static JsonWriterOptions WriterOptions { get; } = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Writes one JSON document to <paramref name="output"/> followed by a newline.</summary>
    public static void WriteDocument(TextWriter output, Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(writer);
        }
        output.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
    }

    public static void WriteRuns(Utf8JsonWriter writer, IEnumerable<Run> runs)
    {
        writer.WriteStartArray();
        foreach (var run in runs) WriteRun(writer, run);
        writer.WriteEndArray();
    }

    public static void WriteRun(Utf8JsonWriter writer, Run run)
    {
        var info = run.Info;
        writer.WriteStartObject();
        writer.WriteString("run_id", info.RunId);
        writer.WriteString("run_name", info.RunName);
        writer.WriteString("experiment_id", info.ExperimentId);
        writer.WriteString("status", info.Status.ToMlflowString());
        writer.WriteNumber("start_time", info.StartTime);
        if (info.EndTime is { } end) writer.WriteNumber("end_time", end);
        else writer.WriteNull("end_time");
        writer.WriteString("lifecycle_stage", info.LifecycleStage.ToMlflowString());
        WriteStrings(writer, "params", run.Data.Params);
        writer.WriteStartObject("metrics");
        foreach (var key in Sorted(run.Data.Metrics.Keys))
        {
            writer.WritePropertyName(key);
            WriteMetricValue(writer, run.Data.Metrics[key].Value);
        }
        writer.WriteEndObject();
        WriteStrings(writer, "tags", run.Data.Tags);
        writer.WriteEndObject();
    }

    /// <summary>A finite value as a JSON number; NaN and ±infinity as the strings "NaN", "Infinity", "-Infinity".</summary>
    public static void WriteMetricValue(Utf8JsonWriter writer, double value)
    {
        if (double.IsFinite(value)) writer.WriteNumberValue(value);
        else writer.WriteStringValue(ValueText.Number(value));
    }

    /// <summary>As <see cref="WriteMetricValue"/>, with null for a missing value.</summary>
    public static void WriteMetricValue(Utf8JsonWriter writer, double? value)
    {
        if (value is { } v) WriteMetricValue(writer, v);
        else writer.WriteNullValue();
    }

    public static void WriteStrings(Utf8JsonWriter writer, string name, IReadOnlyDictionary<string, string> values)
    {
        writer.WriteStartObject(name);
        foreach (var key in Sorted(values.Keys)) writer.WriteString(key, values[key]);
        writer.WriteEndObject();
    }

    public static IEnumerable<string> Sorted(IEnumerable<string> keys) => keys.Order(StringComparer.Ordinal);
}
