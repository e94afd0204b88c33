using System.Globalization;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Formats;

namespace Qlib.Tracked.Stores.FileBacked;

/// <summary>
/// The typed fields of a <c>meta.yaml</c>, read strictly: an absent or null field is what MLflow makes of it (the
/// caller's default), but a field that is there and does not hold a valid value is a problem naming the field and the
/// rule, never a stand-in value (a start_time of "abc" read as 0 would list the run as started in 1970; an unknown
/// status read as RUNNING would make gc mark it KILLED). MLflow's own reader fails on such files too.
/// </summary>
internal static class MetaFields
{
    /// <summary>The earliest and latest epoch-millisecond times a date can show (years 1 to 9999).</summary>
    private static readonly long EarliestTime = DateTimeOffset.MinValue.ToUnixTimeMilliseconds();
    private static readonly long LatestTime = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    /// <summary>
    /// False (with the problem) when one of the text fields <paramref name="keys"/> holds a list or mapping: read as
    /// absent, it would quietly become an empty name or user, or a run name taken from elsewhere.
    /// </summary>
    public static bool TryTexts(YamlMeta meta, out string? problem, params ReadOnlySpan<string> keys)
    {
        foreach (var key in keys)
        {
            if (meta.HasValue(key) && meta.GetString(key) is null)
            {
                problem = $"its {key} is a list or mapping, not text";
                return false;
            }
        }
        problem = null;
        return true;
    }

    /// <summary>An epoch-millisecond time; null when absent or null.</summary>
    public static bool TryTime(YamlMeta meta, string key, out long? value, out string? problem)
    {
        value = null;
        problem = null;
        if (!meta.HasValue(key)) return true;
        var text = meta.GetString(key);
        if (text is null)
        {
            problem = $"its {key} is a list or mapping, not a time (an integer number of milliseconds since 1970-01-01)";
            return false;
        }
        var number = meta.GetLong(key);
        if (number is null)
        {
            problem = $"its {key} is '{Shorten(text)}', which is not a time (an integer number of milliseconds since 1970-01-01)";
            return false;
        }
        if (number < EarliestTime || number > LatestTime)
        {
            problem = string.Create(CultureInfo.InvariantCulture,
                $"its {key} is {number}, outside the times a date can show ({EarliestTime} to {LatestTime} ms, years 1 to 9999)");
            return false;
        }
        value = number;
        return true;
    }

    /// <summary>A run status, as MLflow's integer code or its name; <paramref name="absent"/> when absent or null (MLflow: RUNNING).</summary>
    public static bool TryStatus(YamlMeta meta, string key, RunStatus absent, out RunStatus value, out string? problem)
    {
        value = absent;
        problem = null;
        if (!meta.HasValue(key)) return true;
        var text = meta.GetString(key);
        if (text is not null && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var code) && Enum.IsDefined((RunStatus)code))
        {
            value = (RunStatus)code;
            return true;
        }
        if (text is not null && EntityNames.TryParseRunStatus(text, out value)) return true;
        problem = $"its {key} is {(text is null ? "a list or mapping" : $"'{Shorten(text)}'")}, which is not a run status " +
            "(1 RUNNING, 2 SCHEDULED, 3 FINISHED, 4 FAILED or 5 KILLED)";
        return false;
    }

    /// <summary>A lifecycle stage, active or deleted; active when absent or null (MLflow 1.x files may lack it).</summary>
    public static bool TryStage(YamlMeta meta, string key, out LifecycleStage value, out string? problem)
    {
        value = LifecycleStage.Active;
        problem = null;
        if (!meta.HasValue(key)) return true;
        var text = meta.GetString(key);
        if (string.Equals(text, "active", StringComparison.OrdinalIgnoreCase)) return true;
        if (string.Equals(text, "deleted", StringComparison.OrdinalIgnoreCase))
        {
            value = LifecycleStage.Deleted;
            return true;
        }
        problem = $"its {key} is {(text is null ? "a list or mapping" : $"'{Shorten(text)}'")}, which is not a lifecycle stage (active or deleted)";
        return false;
    }

    /// <summary>
    /// A value quoted in a message: cut short (a hostile file's megabyte of junk must not become a megabyte of warning)
    /// and with control characters shown as <c>\uXXXX</c> (a warning must not move a terminal's cursor or recolour it).
    /// </summary>
    internal static string Shorten(string text)
    {
        const int Limit = 80;
        var cut = text.Length <= Limit ? text : text[..Limit];
        var shown = new System.Text.StringBuilder(cut.Length + 1);
        foreach (var c in cut)
        {
            if (char.IsControl(c)) shown.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            else shown.Append(c);
        }
        if (cut.Length < text.Length) shown.Append('…');
        return shown.ToString();
    }
}
