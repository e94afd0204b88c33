using System.Text;

namespace Qlib.Tracked.Artifacts;

/// <summary>UTF-8 text without a BOM, readable by any tool; refuses our binary artifacts by name.</summary>
public sealed class TextArtifactSerializer : IArtifactSerializer<string>
{
    public static TextArtifactSerializer Instance { get; } = new();

    // Strict decoding: a pickle or an image must fail, not come back as text full of U+FFFD.
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public string Format => "text";

    public void Serialize(Stream destination, string value) => destination.Write(Strict.GetBytes(value));

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
