using System.Text;
using System.Text.Json;

namespace Qlib.Tracked.Stores.Search;

/// <summary>MLflow's page tokens: base64 of the JSON <c>{"offset": N}</c>, spelled as Python's json.dumps spells it. Stateless; thread-safe.</summary>
public static class SearchPageToken
{
    /// <summary>MLflow's page token for <paramref name="offset"/>: base64 of <c>{"offset": N}</c>.</summary>
    public static string Encode(int offset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        return Convert.ToBase64String(Encoding.UTF8.GetBytes($"{{\"offset\": {offset}}}"));
    }

    /// <summary>
    /// The offset a token names; 0 for no token. A malformed token is INVALID_PARAMETER_VALUE with MLflow's
    /// messages ("Invalid page token, could not base64-decode", "…, decoded value=…", "…, parsed value=…");
    /// as MLflow, the offset must be a positive integer (a number or a numeric string).
    /// </summary>
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
            throw TrackingException.InvalidParameter($"Invalid page token, could not base64-decode: '{token}'");
        }
        var text = Encoding.UTF8.GetString(bytes);
        JsonElement offset;
        try
        {
            using var json = JsonDocument.Parse(bytes);
            if (json.RootElement.ValueKind != JsonValueKind.Object || !json.RootElement.TryGetProperty("offset", out var found))
                throw TrackingException.InvalidParameter($"Invalid page token, parsed value={text} (no \"offset\")");
            offset = found.Clone();
        }
        catch (JsonException)
        {
            throw TrackingException.InvalidParameter($"Invalid page token, decoded value={text}");
        }
        if (!TryReadOffset(offset, out var value) || value <= 0)
            throw TrackingException.InvalidParameter($"Invalid page token, parsed value={text} (the offset must be a positive integer)");
        return value;
    }

    /// <summary>A JSON number, or a string of digits (MLflow applies int() to whatever it finds).</summary>
    private static bool TryReadOffset(JsonElement offset, out int value)
    {
        value = 0;
        return offset.ValueKind switch
        {
            JsonValueKind.Number => offset.TryGetInt32(out value),
            JsonValueKind.String => int.TryParse(offset.GetString(), System.Globalization.NumberStyles.AllowLeadingSign,
                System.Globalization.CultureInfo.InvariantCulture, out value),
            _ => false,
        };
    }
}
