using System.Text;
using System.Text.Json;

namespace Qlib.Tracked.Stores.Search;

/// <summary>MLflow's page tokens: base64 of the JSON <c>{"offset": N}</c> (Python's json.dumps spacing).</summary>
public static class SearchPageToken
{
    public static string Encode(int offset) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{{\"offset\": {offset}}}"));

    /// <summary>The offset a token names; 0 for no token; INVALID_PARAMETER_VALUE for a malformed one.</summary>
    public static int Decode(string? token)
    {
        if (string.IsNullOrEmpty(token)) return 0;
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(token);
        }
        catch (FormatException)
        {
            throw TrackingException.InvalidParameter("Invalid page token, could not base64-decode");
        }
        var text = Encoding.UTF8.GetString(bytes);
        try
        {
            using var json = JsonDocument.Parse(bytes);
            if (json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("offset", out var offset)
                && offset.TryGetInt32(out var value) && value >= 0)
                return value;
        }
        catch (JsonException)
        {
            throw TrackingException.InvalidParameter($"Invalid page token, decoded value={text}");
        }
        throw TrackingException.InvalidParameter($"Invalid page token, parsed value={text}");
    }
}
