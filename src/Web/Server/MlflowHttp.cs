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
    /// <paramref name="maxBytes"/> (MLflow's 1,000,000 bytes unless the route allows more) is read to its end and
    /// discarded before the refusal is answered (within the hard cap <see cref="DrainLimitBytes"/>), so a client still
    /// sending gets MLflow's error rather than a reset connection.
    /// </summary>
    public static async Task<T> Body<T>(HttpContext http, JsonTypeInfo<T> type, long maxBytes = MlflowRoutes.MaxBatchRequestBytes) where T : new()
    {
        var request = http.Request;
        if (request.ContentLength is { } length && length > maxBytes)
        {
            await Drain(http);
            throw TooLarge(length, maxBytes);
        }
        // Read whole into a pooled buffer (sized by Content-Length when given), then parsed in one synchronous pass: a
        // 1,000-point batch is ~70 KB, which a growing MemoryStream allocated afresh on the large-object heap each time.
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(Math.Max(request.ContentLength ?? 0, 16 * 1024), maxBytes + 1));
        try
        {
            var size = 0;
            while (true)
            {
                if (size == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(2L * buffer.Length, maxBytes + 1));
                    buffer.AsSpan(0, size).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                var read = await request.Body.ReadAsync(buffer.AsMemory(size), http.RequestAborted);
                if (read == 0) break;
                size += read;
                if (size > maxBytes) throw TooLarge(size + await Drain(http), maxBytes);
            }
            if (size == 0) return new T();
            try
            {
                return JsonSerializer.Deserialize(buffer.AsSpan(0, size), type) ?? new T();
            }
            catch (JsonException e)
            {
                throw TrackingException.InvalidParameter($"The request body is not valid JSON for this route: {e.Message}");
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
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

    /// <summary>MLflow's refusal of a tracking request over its limit (its words for log-batch, where it matters).</summary>
    private static TrackingException TooLarge(long? size, long maxBytes) => TrackingException.InvalidParameter(
        $"Batched logging API requests must be at most {maxBytes.ToString(CultureInfo.InvariantCulture)} bytes, got a request of size "
        + (size is { } s ? s.ToString(CultureInfo.InvariantCulture) : "over the limit") + ".");

    /// <summary>Caps the body of this request at <paramref name="limit"/> bytes (null: no cap), before anything reads it.</summary>
    public static void LimitBody(HttpContext http, long? limit)
    {
        var feature = http.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (feature is { IsReadOnly: false }) feature.MaxRequestBodySize = limit;
    }

    public static async Task Answer<T>(HttpContext http, T body, JsonTypeInfo<T> type, int status = StatusCodes.Status200OK)
    {
        StartJsonAnswer(http, status);
        await JsonSerializer.SerializeAsync(http.Response.Body, body, type, http.RequestAborted);
    }

    /// <summary>The status and content type of a JSON answer, before its body is written.</summary>
    public static void StartJsonAnswer(HttpContext http, int status = StatusCodes.Status200OK)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
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
