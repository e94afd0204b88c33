using System.IO.Pipelines;
using System.Text.Json;
using Qlib.Tracked.Entities;

namespace Qlib.Tracked.Web.Server;

/// <summary>
/// Writes a <c>metrics/get-history</c> answer straight from the store's points into the response, byte for byte what
/// serializing a <c>GetMetricHistoryResponse</c> with <c>MlflowJsonContext</c> gives (the same writer, encoder and
/// number format; NaN and ±Infinity as MLflow's strings), without a message object per point: a 25,000-point page
/// through the serializer was mostly those objects, its per-property dispatch and the garbage they left.
/// </summary>
internal static class MetricHistoryPageWriter
{
    // Flushed to the socket every this many bytes, so a page never sits whole in memory.
    private const int FlushBytes = 64 * 1024;

    private static readonly JsonEncodedText Metrics = JsonEncodedText.Encode("metrics");
    private static readonly JsonEncodedText Key = JsonEncodedText.Encode("key");
    private static readonly JsonEncodedText Value = JsonEncodedText.Encode("value");
    private static readonly JsonEncodedText Timestamp = JsonEncodedText.Encode("timestamp");
    private static readonly JsonEncodedText Step = JsonEncodedText.Encode("step");
    private static readonly JsonEncodedText NextPageToken = JsonEncodedText.Encode("next_page_token");
    private static readonly JsonEncodedText NaN = JsonEncodedText.Encode("NaN");
    private static readonly JsonEncodedText PositiveInfinity = JsonEncodedText.Encode("Infinity");
    private static readonly JsonEncodedText NegativeInfinity = JsonEncodedText.Encode("-Infinity");

    /// <summary>
    /// <c>{"metrics": [the first <paramref name="count"/> points], "next_page_token": …}</c>, each part omitted when
    /// empty or null, as the serializer omits them. The points are the store's history of <paramref name="key"/>, so
    /// each carries that key: it is encoded once for the page.
    /// </summary>
    public static async Task WriteAsync(HttpContext http, string key, IReadOnlyList<Metric> points, int count, string? nextPageToken)
    {
        MlflowHttp.StartJsonAnswer(http);
        var pipe = http.Response.BodyWriter;
        using var json = new Utf8JsonWriter(pipe);
        json.WriteStartObject();
        if (count > 0)
        {
            json.WriteStartArray(Metrics);
            var encodedKey = JsonEncodedText.Encode(key);
            for (var i = 0; i < count; i++)
            {
                var point = points[i];
                json.WriteStartObject();
                json.WriteString(Key, encodedKey);
                WriteValue(json, point.Value);
                json.WriteNumber(Timestamp, point.Timestamp);
                json.WriteNumber(Step, point.Step);
                json.WriteEndObject();
                if (json.BytesPending >= FlushBytes) await FlushAsync(json, pipe, http.RequestAborted);
            }
            json.WriteEndArray();
        }
        if (nextPageToken is not null) json.WriteString(NextPageToken, nextPageToken);
        json.WriteEndObject();
        await FlushAsync(json, pipe, http.RequestAborted);
    }

    private static void WriteValue(Utf8JsonWriter json, double value)
    {
        if (double.IsFinite(value)) json.WriteNumber(Value, value);
        else json.WriteString(Value, double.IsNaN(value) ? NaN : value > 0 ? PositiveInfinity : NegativeInfinity);
    }

    private static async ValueTask FlushAsync(Utf8JsonWriter json, PipeWriter pipe, CancellationToken cancel)
    {
        json.Flush();
        await pipe.FlushAsync(cancel);
    }
}
