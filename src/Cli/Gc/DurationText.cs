using System.Globalization;

namespace Qlib.Tracked.Tool.Gc;

/// <summary>
/// Durations as <c>mlflow gc --older-than</c> spells them: one or more NUMBER+UNIT parts with units
/// d, h, m, s (e.g. <c>30d</c>, <c>12h</c>, <c>90m</c>, <c>1d12h</c>). A bare number is refused: "30"
/// could mean days or seconds, and guessing wrong deletes runs.
/// </summary>
public static class DurationText
{
    /// <summary>
    /// The longest duration accepted: <see cref="TimeSpan.MaxValue"/> in whole days (about 29 000 years). Anything
    /// longer cannot be represented, and "older than now minus it" would overflow the epoch-millisecond arithmetic.
    /// </summary>
    public static readonly TimeSpan Longest = TimeSpan.FromDays(Math.Floor(TimeSpan.MaxValue.TotalDays));

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
            var unit = text[i] switch
            {
                'd' => TimeSpan.TicksPerDay,
                'h' => TimeSpan.TicksPerHour,
                'm' => TimeSpan.TicksPerMinute,
                's' => TimeSpan.TicksPerSecond,
                _ => throw Invalid(text, optionName),
            };
            // Checked in ticks, so a number of any length is either a duration or this error, never an overflow.
            if (!long.TryParse(text.AsSpan(start, i - start), NumberStyles.None, CultureInfo.InvariantCulture, out var number)
                || number > (Longest.Ticks - total.Ticks) / unit)
                throw TooLong(text, optionName);
            total += TimeSpan.FromTicks(number * unit);
            i++;
            parts++;
        }
        if (parts == 0) throw Invalid(text, optionName);
        return total;
    }

    private static TrackingException Invalid(string text, string optionName) =>
        TrackingException.InvalidParameter(
            $"Invalid {optionName} '{text}': use NUMBER followed by d, h, m or s, e.g. 30d, 12h, 90m or 1d12h.");

    private static TrackingException TooLong(string text, string optionName) =>
        TrackingException.InvalidParameter(string.Create(CultureInfo.InvariantCulture,
            $"Invalid {optionName} '{text}': longer than the longest duration supported, {(long)Longest.TotalDays}d."));
}
