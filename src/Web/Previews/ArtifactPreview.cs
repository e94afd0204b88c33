using System.Text;
using System.Text.Json;

namespace Qlib.Tracked.Web.Previews;

/// <summary>
/// Decides how an artifact is previewed: Parquet (by its magic bytes) as a table, <c>.json</c> as indented
/// JSON, valid UTF-8 without NUL bytes as text (cut at a byte and a line limit), anything else as binary
/// (size only). Content decides, not the name alone, so a mislabelled file is never shown as garbage text.
/// </summary>
internal static class ArtifactPreview
{
    public static async Task WriteAsync(Utf8JsonWriter w, Stream source, string path, long size, WebOptions options, CancellationToken ct)
    {
        w.WriteString("path", path);
        w.WriteNumber("file_size", size);
        var head = new byte[4];
        var read = await source.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct).ConfigureAwait(false);
        source.Position = 0;
        if (read == 4 && head.AsSpan().SequenceEqual("PAR1"u8))
        {
            try
            {
                await ParquetPreview.WriteAsync(w, source, options.PreviewRows, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A damaged file shows why it cannot be previewed instead of failing the page.
                w.WriteString("kind", "error");
                w.WriteString("message", "The Parquet file cannot be read: " + e.Message);
            }
            return;
        }

        var limit = (int)Math.Min(size, options.PreviewBytes);
        var bytes = new byte[limit];
        var got = await source.ReadAtLeastAsync(bytes, limit, throwOnEndOfStream: false, ct).ConfigureAwait(false);
        var truncated = got < size;
        var span = bytes.AsSpan(0, got);
        if (span.Contains((byte)0) || !TryDecodeUtf8(span, truncated, out var text))
        {
            w.WriteString("kind", "binary");
            return;
        }

        if (!truncated && path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) && TryIndentJson(span, out var indented))
        {
            w.WriteString("kind", "json");
            w.WriteString("text", indented);
            w.WriteBoolean("truncated", false);
            return;
        }

        // Text is cut at ten lines per requested table row (1,000 lines by default) as well as at the byte
        // limit: a log of short lines stays readable without shipping megabytes to the page.
        var lines = 0;
        var cut = text.Length;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\n' || ++lines < options.PreviewRows * 10) continue;
            cut = i + 1;
            break;
        }
        w.WriteString("kind", "text");
        w.WriteString("text", text[..cut]);
        w.WriteBoolean("truncated", truncated || cut < text.Length);
    }

    /// <summary>Strict UTF-8; a multi-byte character split by the byte limit is dropped, not an error.</summary>
    private static bool TryDecodeUtf8(ReadOnlySpan<byte> bytes, bool truncated, out string text)
    {
        var strict = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
        for (var trim = 0; trim <= (truncated ? 3 : 0) && trim <= bytes.Length; trim++)
        {
            try
            {
                text = strict.GetString(bytes[..^trim]);
                if (text.Length > 0 && text[0] == '\uFEFF') text = text[1..];
                return true;
            }
            catch (DecoderFallbackException) { }
        }
        text = "";
        return false;
    }

    private static bool TryIndentJson(ReadOnlySpan<byte> bytes, out string indented)
    {
        try
        {
            using var document = JsonDocument.Parse(bytes.ToArray());
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
                document.WriteTo(writer);
            indented = Encoding.UTF8.GetString(buffer.ToArray());
            return true;
        }
        catch (JsonException)
        {
            indented = "";
            return false;
        }
    }
}
