using System.Text.Json;
using Qlib.Tracked.Entities;

namespace Qlib.Tracked.Tool.Output;

/// <summary>An artifact entry in qtrack's JSON: <c>{"path", "is_dir", "file_size"}</c> (MLflow's FileInfo fields; size null for folders).</summary>
public static class ArtifactJson
{
    public static void Write(Utf8JsonWriter writer, ArtifactInfo artifact)
    {
        writer.WriteStartObject();
        writer.WriteString("path", artifact.Path);
        writer.WriteBoolean("is_dir", artifact.IsDir);
        if (artifact.FileSize is { } size) writer.WriteNumber("file_size", size);
        else writer.WriteNull("file_size");
        writer.WriteEndObject();
    }
}
