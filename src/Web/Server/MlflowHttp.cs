using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.Features;
using Qlib.Tracked.Stores.Rest.Protocol;

namespace Qlib.Tracked.Web.Server;

/// <summary>
/// Reading MLflow requests and writing MLflow answers with the protocol's source-generated JSON (no reflection):
/// bodies read as they stream in, within the 1 MB MLflow allows a tracking call, GET arguments from the query string,
/// required fields refused in MLflow's words.
/// </summary>
internal static class MlflowHttp
{
    /// <summary>
    /// The JSON body as <typeparamref name="T"/>; an empty body is an empty message (what a GET carries). A body over
    /// MLflow's 1,000,000 bytes is read to its end and discarded before the refusal is answered (within the hard cap
    /// <see cref="DrainLimitBytes"/>), so a client still sending gets MLflow's error rather than a reset connection.
    /// The body is parsed where Kestrel buffered it (its request pipe), once it is complete: no copy into a stream of our
    /// own and no asynchronous parser per request (a 1,000-point log-batch is ~80 KB).
    /// </summary>
    public static async Task<T> Body<T>(HttpContext http, JsonTypeInfo<T> type) where T : new()
    {
        var request = http.Request;
        if (request.ContentLength is { } length && length > MlflowRoutes.MaxBatchRequestBytes)
        {
            await Drain(http);
            throw TooLarge(length);
        }
        var pipe = request.BodyReader;
        while (true)
        {
            var read = await pipe.ReadAsync(http.RequestAborted);
            var body = read.Buffer;
            if (body.Length > MlflowRoutes.MaxBatchRequestBytes)
            {
                pipe.AdvanceTo(body.End);
                throw TooLarge(body.Length + await Drain(http));
            }
            if (!read.IsCompleted)
            {
                pipe.AdvanceTo(body.Start, body.End); // nothing consumed, all examined: wait for the rest
                continue;
            }
            try
            {
                return body.IsEmpty ? new T() : Parse(body, type);
            }
            finally
            {
                pipe.AdvanceTo(body.End);
            }
        }
    }

    private static T Parse<T>(ReadOnlySequence<byte> body, JsonTypeInfo<T> type) where T : new()
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            var message = JsonSerializer.Deserialize(ref reader, type) ?? new T();
            // A reader stops after one value; the stream reader refused anything but whitespace after it, and so does this.
            if (reader.Read())
                throw TrackingException.InvalidParameter(
                    $"The request body is not valid JSON for this route: more follows the message at byte {reader.TokenStartIndex.ToString(CultureInfo.InvariantCulture)}.");
            return message;
        }
        catch (JsonException e)
        {
            throw TrackingException.InvalidParameter($"The request body is not valid JSON for this route: {e.Message}");
        }
    }

    /// <summary>The most bytes of a tracking request read at all: beyond it the connection is cut (Kestrel's 413).</summary>
    public const long DrainLimitBytes = 64L << 20;

    private static async Task<long> Drain(HttpContext http)
    {
        var chunk = new byte[16 * 1024];
        long total = 0;
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, http.RequestAborted)) > 0) total += read;
        return total;
    }

    /// <summary>MLflow's refusal of a tracking request over 1,000,000 bytes (its words for log-batch, where it matters).</summary>
    private static TrackingException TooLarge(long? size) => TrackingException.InvalidParameter(
        $"Batched logging API requests must be at most {MlflowRoutes.MaxBatchRequestBytes.ToString(CultureInfo.InvariantCulture)} bytes, got a request of size "
        + (size is { } s ? s.ToString(CultureInfo.InvariantCulture) : "over the limit") + ".");

    /// <summary>Caps the body of this request at <paramref name="limit"/> bytes (null: no cap), before anything reads it.</summary>
    public static void LimitBody(HttpContext http, long? limit)
    {
        var feature = http.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (feature is { IsReadOnly: false }) feature.MaxRequestBodySize = limit;
    }

    /// <summary>
    /// Writes <paramref name="body"/> as the JSON answer: serialized at once into Kestrel's response pipe (its pooled
    /// buffers, so even a 25,000-point history page is never one large array), then flushed once.
    /// </summary>
    public static async Task Answer<T>(HttpContext http, T body, JsonTypeInfo<T> type, int status = StatusCodes.Status200OK)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        Serialize(http.Response.BodyWriter, body, type);
        await http.Response.BodyWriter.FlushAsync(http.RequestAborted);
    }

    private static void Serialize<T>(IBufferWriter<byte> destination, T body, JsonTypeInfo<T> type)
    {
        // The writer carries what SerializeAsync would take from the options (escaping, indentation, depth).
        var options = type.Options;
        using var writer = new Utf8JsonWriter(destination,
            new JsonWriterOptions { Encoder = options.Encoder, Indented = options.WriteIndented, MaxDepth = options.MaxDepth });
        JsonSerializer.Serialize(writer, body, type);
    }

    public static Task Empty(HttpContext http) => Answer(http, new EmptyMessage(), MlflowJsonContext.Default.EmptyMessage);

    public static Task Error(HttpContext http, int status, string code, string message) =>
        Answer(http, new ErrorMessage { ErrorCode = code, Message = message }, MlflowJsonContext.Default.ErrorMessage, status);

    /// <summary>A query argument (the first when repeated), or null.</summary>
    public static string? Query(HttpContext http, string name) =>
        http.Request.Query.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;

    /// <summary>A repeated query argument (<c>experiment_ids=1&amp;experiment_ids=2</c>) as a list, or null when absent.</summary>
    public static List<string>? QueryList(HttpContext http, string name) =>
        http.Request.Query.TryGetValue(name, out var values) && values.Count > 0 ? [.. values.Select(v => v ?? "")] : null;

    /// <summary>An int64 query argument; INVALID_PARAMETER_VALUE naming it when it is not one.</summary>
    public static long? QueryInt64(HttpContext http, string name)
    {
        var text = Query(http, name);
        if (string.IsNullOrEmpty(text)) return null;
        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw TrackingException.InvalidParameter($"Invalid value {text} for parameter '{name}' supplied: it must be an integer.");
    }

    /// <summary>MLflow's refusal of a missing required field.</summary>
    public static string Required(string? value, string name) =>
        string.IsNullOrEmpty(value)
            ? throw TrackingException.InvalidParameter($"Missing value for required parameter '{name}'. See the API docs for more information about request parameters.")
            : value;

    /// <summary>A required field that may be given in its legacy spelling (<c>run_uuid</c> for <c>run_id</c>).</summary>
    public static string RunId(string? runId, string? runUuid) =>
        Required(string.IsNullOrEmpty(runId) ? runUuid : runId, "run_id");

    /// <summary>A <c>max_results</c> within [1, limit], in MLflow's words when it is not.</summary>
    public static int MaxResults(long? value, int fallback, int limit)
    {
        if (value is null) return fallback;
        if (value < 1 || value > limit)
            throw TrackingException.InvalidParameter(
                $"Invalid value {value.Value.ToString(CultureInfo.InvariantCulture)} for parameter 'max_results' supplied. Hint: Value was of type 'int'. See the API docs for more information about request parameters.");
        return (int)value.Value;
    }
}
