using System.Globalization;
using Qlib.Tracked.Entities;

namespace Qlib.Tracked.Tool.Output;

/// <summary>How qtrack spells values in tables and JSON.</summary>
public static class ValueText
{
    /// <summary>What a table shows where a run has no value for a key.</summary>
    public const string Missing = "-";

    /// <summary>
    /// A metric value: the shortest text that reads back to the same double, and NaN and the infinities
    /// as JSON-friendly words (<c>NaN</c>, <c>Infinity</c>, <c>-Infinity</c>), the spellings of the JSON output.
    /// </summary>
    public static string Number(double value) =>
        double.IsNaN(value) ? "NaN"
        : double.IsPositiveInfinity(value) ? "Infinity"
        : double.IsNegativeInfinity(value) ? "-Infinity"
        : value.ToString("R", CultureInfo.InvariantCulture);

    public static string Number(double? value) => value is { } v ? Number(v) : Missing;

    /// <summary>An epoch-millisecond time as UTC <c>yyyy-MM-dd HH:mm:ss</c>.</summary>
    public static string Time(long? epochMs) =>
        epochMs is { } ms
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)
            : Missing;

    /// <summary>An epoch-millisecond time as UTC <c>yyyy-MM-dd HH:mm:ss.fff</c> (metric points are often milliseconds apart).</summary>
    public static string PreciseTime(long epochMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(epochMs).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture);

    /// <summary>A run's duration (end − start), or the missing mark while it has not ended.</summary>
    public static string Duration(RunInfo info)
    {
        if (info.EndTime is not { } end) return Missing;
        var span = TimeSpan.FromMilliseconds(end - info.StartTime);
        return span.TotalSeconds < 60 ? span.TotalSeconds.ToString("0.0s", CultureInfo.InvariantCulture)
            : span.TotalMinutes < 60 ? span.TotalMinutes.ToString("0.0min", CultureInfo.InvariantCulture)
            : span.TotalHours.ToString("0.0h", CultureInfo.InvariantCulture);
    }
}
