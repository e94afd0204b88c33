namespace Qlib.Tracked.Stores.FileBacked.Index;

/// <summary>
/// One kind of a run's keyed files (<c>metrics/</c>, <c>params/</c> or <c>tags/</c>): key, the value read
/// from its file, and the stamp it was read under. Parallel arrays scanned linearly: a run has tens of
/// keys, and 100,000 runs × 35 small dictionaries would cost far more memory than the values.
/// Not thread-safe; the owning <see cref="RunIndexEntry"/> is locked around every use.
/// </summary>
internal sealed class KeyedFiles<T>
{
    private string[] _keys;
    private T[] _values;
    private FileStamp[] _stamps;

    public KeyedFiles(int capacity = 0)
    {
        _keys = capacity == 0 ? [] : new string[capacity];
        _values = capacity == 0 ? [] : new T[capacity];
        _stamps = capacity == 0 ? [] : new FileStamp[capacity];
    }

    public int Count { get; private set; }

    public string KeyAt(int i) => _keys[i];

    public T ValueAt(int i) => _values[i];

    public FileStamp StampAt(int i) => _stamps[i];

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
        if (i < 0)
        {
            if (Count == _keys.Length)
            {
                var size = Math.Max(4, Count * 2);
                Array.Resize(ref _keys, size);
                Array.Resize(ref _values, size);
                Array.Resize(ref _stamps, size);
            }
            i = Count++;
            _keys[i] = key;
        }
        _values[i] = value;
        _stamps[i] = stamp;
    }

    /// <summary>
    /// Adds a key read from the persisted index. Its keys are pooled (one instance per name), so a duplicate —
    /// which our writer never produces — is found by reference alone, without comparing strings.
    /// </summary>
    public void AddPooled(string key, T value, FileStamp stamp)
    {
        for (var i = 0; i < Count; i++)
        {
            if (ReferenceEquals(_keys[i], key)) throw new InvalidDataException($"the key '{key}' appears twice in one run");
        }
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

    public void Remove(string key)
    {
        var i = IndexOf(key);
        if (i >= 0) RemoveAt(i);
    }

    public Dictionary<string, T> ToDictionary()
    {
        var result = new Dictionary<string, T>(Count, StringComparer.Ordinal);
        for (var i = 0; i < Count; i++) result[_keys[i]] = _values[i];
        return result;
    }
}
