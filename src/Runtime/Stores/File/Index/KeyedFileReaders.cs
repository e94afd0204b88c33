using Qlib.Tracked.Entities;

namespace Qlib.Tracked.Stores.FileBacked.Index;

/// <summary>How the value of one keyed file is read: a metric's latest point, or a param/tag's exact text.</summary>
internal interface IKeyedFileReader<T>
{
    /// <summary>The value, or false when the file is gone or holds no value (an empty metric file).</summary>
    bool TryRead(string path, string key, Action<string, string> warn, out T value);
}

internal sealed class LatestMetricReader : IKeyedFileReader<Metric>
{
    public static readonly LatestMetricReader Instance = new();

    public bool TryRead(string path, string key, Action<string, string> warn, out Metric value)
    {
        var history = MetricFile.ReadHistory(path, key, (line, reason) => warn(path, $"Skipped line {line}: {reason}."));
        if (MetricFile.Latest(history) is { } latest)
        {
            value = latest;
            return true;
        }
        value = default;
        return false;
    }
}

internal sealed class ExactTextReader : IKeyedFileReader<string>
{
    public static readonly ExactTextReader Instance = new();

    public bool TryRead(string path, string key, Action<string, string> warn, out string value)
    {
        if (AtomicFile.TryReadExact(path, AtomicFile.MaxValueBytes, out var text, out var refused))
        {
            value = text!;
            return true;
        }
        if (refused is not null) warn(path, $"Skipped the value of '{key}': {refused}.");
        value = null!;
        return false;
    }
}
