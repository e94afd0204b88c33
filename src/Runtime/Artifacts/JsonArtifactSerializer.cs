using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Qlib.Tracked.Artifacts;

/// <summary>
/// JSON through a caller-supplied source-generated <see cref="JsonTypeInfo{T}"/> (no reflection).
/// JSON carries no type name, so a mismatch shows up only when the shapes disagree; set
/// <c>UnmappedMemberHandling = Disallow</c> on the context to also catch extra properties.
/// Thread-safe as its <see cref="JsonTypeInfo{T}"/> is (source-generated ones are).
/// </summary>
public sealed class JsonArtifactSerializer<T> : IArtifactSerializer<T>
{
    private readonly JsonTypeInfo<T> _typeInfo;

    /// <summary>A serializer through <paramref name="typeInfo"/> (e.g. <c>MyContext.Default.MyType</c>).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="typeInfo"/> is null.</exception>
    public JsonArtifactSerializer(JsonTypeInfo<T> typeInfo) => _typeInfo = typeInfo ?? throw new ArgumentNullException(nameof(typeInfo));

    /// <inheritdoc/>
    public string Format => "json";

    /// <inheritdoc/>
    public void Serialize(Stream destination, T value) => JsonSerializer.Serialize(destination, value, _typeInfo);

    /// <summary>Reads JSON of <typeparamref name="T"/>'s shape.</summary>
    /// <exception cref="ArtifactTypeMismatchException">The bytes are one of our binary artifacts, not JSON, JSON of another shape, or JSON <c>null</c>.</exception>
    public T Deserialize(Stream source, string artifactName)
    {
        var data = ArtifactBytes.ReadAll(source);
        var requested = $"JSON for '{ArtifactTypeName.Of<T>()}'";
        var own = ArtifactSniffer.DescribeOwn(data);
        if (own is not null) throw new ArtifactTypeMismatchException(artifactName, own, requested);
        T? value;
        try
        {
            value = JsonSerializer.Deserialize(data, _typeInfo);
        }
        catch (JsonException e)
        {
            throw new ArtifactTypeMismatchException(artifactName, "JSON of another shape (or not JSON)", requested, e.Message, e);
        }
        catch (NotSupportedException e)
        {
            throw new ArtifactTypeMismatchException(artifactName, "JSON this type cannot be built from", requested, e.Message, e);
        }
        return value ?? throw new ArtifactTypeMismatchException(artifactName, "JSON null", requested);
    }
}
