using Qlib.Tracked.Entities;

namespace Qlib.Tracked.Stores.FileBacked.Index;

/// <summary>Reads the value of one keyed file; false when the file is gone or holds no value (an empty metric file).</summary>
internal delegate bool KeyedFileReader<T>(string path, string key, Action<string, string> warn, out T value);

/// <summary>The two kinds of keyed file: a metric's latest point, a param's or tag's exact text.</summary>
internal static class KeyedFileReaders
{
    public static readonly KeyedFileReader<Metric> LatestMetric = (string path, string key, Action<string, string> warn, out Metric value) =>
    {
        var history = MetricFile.ReadHistory(path, key, (line, reason) => warn(path, $"Skipped line {line}: {reason}."));
        var latest = MetricFile.Latest(history);
        value = latest.GetValueOrDefault();
        return latest.HasValue;
    };

    public static readonly KeyedFileReader<string> ExactText = (string path, string key, Action<string, string> warn, out string value) =>
    {
        var read = AtomicFile.TryReadExact(path, AtomicFile.MaxValueBytes, out var text, out var refused);
        if (!read && refused is not null) warn(path, $"Skipped the value of '{key}': {refused}.");
        value = read ? text! : null!;
        return read;
    };
}
