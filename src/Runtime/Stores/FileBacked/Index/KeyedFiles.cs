using Qlib.Tracked.Entities;

namespace Qlib.Tracked.Stores.FileBacked.Index;

/// <summary>
/// One kind of a run's keyed files (<c>metrics/</c>, <c>params/</c> or <c>tags/</c>): key, the value read
/// from its file, and the stamp it was read under. Parallel arrays scanned linearly: a run has tens of
/// keys, and 100,000 runs × 35 small dictionaries would cost far more memory than the values.
/// Not thread-safe; the owning <see cref="RunIndexEntry"/> is locked around every use.
/// </summary>
internal sealed class KeyedFiles<T>(int capacity = 0)
{
    private string[] _keys = capacity == 0 ? [] : new string[capacity];
    private T[] _values = capacity == 0 ? [] : new T[capacity];
    private FileStamp[] _stamps = capacity == 0 ? [] : new FileStamp[capacity];

    public int Count { get; private set; }

    /// <summary>Keys it holds without growing (what a decoder sized it for).</summary>
    public int Capacity => _keys.Length;

    public string KeyAt(int i) => _keys[CheckIndex(i)];

    public T ValueAt(int i) => _values[CheckIndex(i)];

    public FileStamp StampAt(int i) => _stamps[CheckIndex(i)];

    public int IndexOf(string key)
    {
        for (var i = 0; i < Count; i++)
        {
            if (ReferenceEquals(_keys[i], key) || string.Equals(_keys[i], key, StringComparison.Ordinal)) return i;
        }
        return -1;
    }

    public void Set(string key, T value, FileStamp stamp)
    {
        var i = IndexOf(key);
        if (i < 0) Add(key, value, stamp);
        else
        {
            _values[i] = value;
            _stamps[i] = stamp;
        }
    }

    /// <summary>Appends a key known not to be there yet (a loaded file's records were checked for duplicates).</summary>
    public void Add(string key, T value, FileStamp stamp)
    {
        if (Count == _keys.Length)
        {
            var size = Math.Max(4, Count * 2);
            Array.Resize(ref _keys, size);
            Array.Resize(ref _values, size);
            Array.Resize(ref _stamps, size);
        }
        _keys[Count] = key;
        _values[Count] = value;
        _stamps[Count] = stamp;
        Count++;
    }

    public void RemoveAt(int i)
    {
        Count--;
        _keys[i] = _keys[Count];
        _values[i] = _values[Count];
        _stamps[i] = _stamps[Count];
        _keys[Count] = null!;
        _values[Count] = default!;
    }

    public Dictionary<string, T> ToDictionary()
    {
        var result = new Dictionary<string, T>(Count, StringComparer.Ordinal);
        for (var i = 0; i < Count; i++) result[_keys[i]] = _values[i];
        return result;
    }

    // The arrays are larger than Count: an index past it must throw, not read a removed or unused slot.
    private int CheckIndex(int i) => (uint)i < (uint)Count ? i : throw new ArgumentOutOfRangeException(nameof(i), i, $"only {Count} keys");
}

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
