using System.Text.Json;

namespace Qlib.Tracked.LoadGen;

/// <summary>
/// Reads a <c>metrics/get-history</c> answer forward-only: every byte is read and checked as JSON, each point must be
/// an object with the requested key and a numeric (or NaN/±Infinity string) value, and the points are counted — but no
/// object is made per point and no number converted. Deserializing 25,000-point pages into message objects cost the
/// load generator more CPU than the server spent answering them, on the same cores, which made the measurement the
/// client's. MLflow's server gets the same reader.
/// </summary>
internal static class HistoryPageReader
{
    /// <summary>The page's point count and next page token (null on the last page).</summary>
    public static (int Points, string? NextPageToken) Read(ReadOnlySpan<byte> json, string key)
    {
        var reader = new Utf8JsonReader(json);
        Expect(ref reader, JsonTokenType.StartObject);
        var (points, token) = (0, (string?)null);
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("metrics"))
            {
                Expect(ref reader, JsonTokenType.StartArray);
                while (Next(ref reader) == JsonTokenType.StartObject)
                {
                    ReadPoint(ref reader, key);
                    points++;
                }
                if (reader.TokenType != JsonTokenType.EndArray) throw Bad("'metrics' holds something other than point objects");
            }
            else if (reader.ValueTextEquals("next_page_token"))
            {
                Expect(ref reader, JsonTokenType.String);
                token = reader.GetString();
            }
            else
            {
                Next(ref reader);
                reader.Skip();
            }
        }
        if (reader.TokenType != JsonTokenType.EndObject || reader.Read()) throw Bad("the answer is not one JSON object");
        return (points, string.IsNullOrEmpty(token) ? null : token);
    }

    private static void ReadPoint(ref Utf8JsonReader reader, string key)
    {
        var (hasKey, hasValue) = (false, false);
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("key"))
            {
                Expect(ref reader, JsonTokenType.String);
                if (!reader.ValueTextEquals(key)) throw Bad($"a point of another metric '{reader.GetString()}'");
                hasKey = true;
            }
            else if (reader.ValueTextEquals("value"))
            {
                if (Next(ref reader) is not (JsonTokenType.Number or JsonTokenType.String)) throw Bad("a point whose value is not a number");
                hasValue = true;
            }
            else
            {
                Next(ref reader);
                reader.Skip();
            }
        }
        if (!hasKey || !hasValue) throw Bad("a point without its key or value");
    }

    private static JsonTokenType Next(ref Utf8JsonReader reader) =>
        reader.Read() ? reader.TokenType : throw Bad("the answer ends early");

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        if (Next(ref reader) != type) throw Bad($"{reader.TokenType} where {type} belongs");
    }

    private static LoadGenException Bad(string what) => new($"metrics/get-history answered JSON that is not a history page: {what}");
}
