using System.Text;

namespace Qlib.Tracked.Artifacts;

/// <summary>UTF-8 text without a BOM, readable by any tool; refuses our binary artifacts by name. Stateless; thread-safe: one instance may serve concurrent calls, each on its own stream.</summary>
public sealed class TextArtifactSerializer : IArtifactSerializer<string>
{
    /// <summary>The shared instance (the serializer has no state).</summary>
    public static TextArtifactSerializer Instance { get; } = new();

    // Strict decoding: a pickle or an image must fail, not come back as text full of U+FFFD.
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <inheritdoc/>
    public string Format => "text";

    /// <inheritdoc/>
    /// <exception cref="EncoderFallbackException"><paramref name="value"/> holds a lone surrogate, which UTF-8 cannot encode.</exception>
    public void Serialize(Stream destination, string value) => destination.Write(Strict.GetBytes(value));

    /// <summary>Reads UTF-8 text; a leading BOM written by another tool is skipped.</summary>
    /// <exception cref="ArtifactTypeMismatchException">The bytes are one of our binary artifacts, or not valid UTF-8.</exception>
    public string Deserialize(Stream source, string artifactName)
    {
        var data = ArtifactBytes.ReadAll(source);
        var own = ArtifactSniffer.DescribeOwn(data);
        if (own is not null) throw new ArtifactTypeMismatchException(artifactName, own, "text (string)");
        var text = data.AsSpan();
        if (text.StartsWith("\uFEFF"u8)) text = text[3..]; // tolerate a BOM from other writers
        try
        {
            return Strict.GetString(text);
        }
        catch (DecoderFallbackException e)
        {
            throw new ArtifactTypeMismatchException(artifactName, "binary data that is not UTF-8 text", "text (string)", inner: e);
        }
    }
}
