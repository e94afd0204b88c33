using System.Globalization;

namespace Qlib.Tracked.Tool.Gc;

/// <summary>
/// Durations as <c>mlflow gc --older-than</c> spells them: one or more NUMBER+UNIT parts with units
/// d, h, m, s (e.g. <c>30d</c>, <c>12h</c>, <c>90m</c>, <c>1d12h</c>). A bare number is refused: "30"
/// could mean days or seconds, and guessing wrong deletes runs.
/// </summary>
public static class DurationText
{
    public static TimeSpan Parse(string text, string optionName)
    {
        ArgumentNullException.ThrowIfNull(text);
        var total = TimeSpan.Zero;
        var i = 0;
        var parts = 0;
        while (i < text.Length)
        {
            var start = i;
            while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
            if (i == start || i == text.Length) throw Invalid(text, optionName);
            var number = long.Parse(text.AsSpan(start, i - start), NumberStyles.None, CultureInfo.InvariantCulture);
            total += text[i] switch
            {
                'd' => TimeSpan.FromDays(number),
                'h' => TimeSpan.FromHours(number),
                'm' => TimeSpan.FromMinutes(number),
                's' => TimeSpan.FromSeconds(number),
                _ => throw Invalid(text, optionName),
            };
            i++;
            parts++;
        }
        if (parts == 0) throw Invalid(text, optionName);
        return total;
    }

    private static TrackingException Invalid(string text, string optionName) =>
        TrackingException.InvalidParameter(
            $"Invalid {optionName} '{text}': use NUMBER followed by d, h, m or s, e.g. 30d, 12h, 90m or 1d12h.");
}
