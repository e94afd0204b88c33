namespace Qlib.Tracked.Stores.FileBacked.Index;

/// <summary>
/// One kind of a run's keyed files (<c>metrics/</c>, <c>params/</c> or <c>tags/</c>): key, the value read
/// from its file, and the stamp it was read under. Parallel arrays scanned linearly: a run has tens of
/// keys, and 100,000 runs × 35 small dictionaries would cost far more memory than the values.
/// Not thread-safe; the owning <see cref="RunIndexEntry"/> is locked around every use.
/// </summary>
/// <remarks>
/// Loaded from a version-3 index file, it reads its records straight from the file's bytes (each value decoded
/// when asked for) until its first change, when it copies them into its own arrays: a query over 100,000 runs
/// decodes the one or two keys its filter names, not all ~35 of every run.
/// </remarks>
internal sealed class KeyedFiles<T>
{
    private string[] _keys;
    private T[] _values;
    private FileStamp[] _stamps;

    // Non-null until the first change: the records start at _records in _persisted's bytes.
    private PersistedKeys<T>? _persisted;
    private int _records;

    public KeyedFiles(int capacity = 0)
    {
        _keys = capacity == 0 ? [] : new string[capacity];
        _values = capacity == 0 ? [] : new T[capacity];
        _stamps = capacity == 0 ? [] : new FileStamp[capacity];
    }

    /// <summary>The <paramref name="count"/> records at <paramref name="records"/> of a loaded file (validated by its loader).</summary>
    public static KeyedFiles<T> Persisted(PersistedKeys<T> persisted, int records, int count) =>
        new() { _persisted = persisted, _records = records, Count = count };

    public int Count { get; private set; }

    /// <summary>True while the values are still read from the loaded file.</summary>
    public bool IsPersisted => _persisted is not null;

    public string KeyAt(int i)
    {
        if (_persisted is { } p)
        {
            CheckIndex(i);
            return p.KeyAt(_records, i);
        }
        return _keys[i];
    }

    public T ValueAt(int i)
    {
        if (_persisted is { } p)
        {
            CheckIndex(i);
            return p.ValueAt(_records, i);
        }
        return _values[i];
    }

    public FileStamp StampAt(int i)
    {
        if (_persisted is { } p)
        {
            CheckIndex(i);
            return p.StampAt(_records, i);
        }
        return _stamps[i];
    }

    public int IndexOf(string key)
    {
        if (_persisted is { } p) return p.IndexOf(_records, Count, key);
        for (var i = 0; i < Count; i++)
        {
            if (ReferenceEquals(_keys[i], key) || string.Equals(_keys[i], key, StringComparison.Ordinal)) return i;
        }
        return -1;
    }

    public void Set(string key, T value, FileStamp stamp)
    {
        Materialize();
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
        Materialize();
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
        Materialize();
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
        if (_persisted is { } p)
        {
            for (var i = 0; i < Count; i++) result[p.KeyAt(_records, i)] = p.ValueAt(_records, i);
        }
        else
        {
            for (var i = 0; i < Count; i++) result[_keys[i]] = _values[i];
        }
        return result;
    }

    /// <summary>Copies the records out of the loaded file before the first change (the file's bytes never change).</summary>
    private void Materialize()
    {
        if (_persisted is not { } p) return;
        var count = Count;
        _keys = new string[count];
        _values = new T[count];
        _stamps = new FileStamp[count];
        for (var i = 0; i < count; i++)
        {
            _keys[i] = p.KeyAt(_records, i);
            _values[i] = p.ValueAt(_records, i);
            _stamps[i] = p.StampAt(_records, i);
        }
        _persisted = null;
    }

    // The arrays would throw for an index past Count's capacity; the file's records must too, not read a neighbour.
    private void CheckIndex(int i)
    {
        if ((uint)i >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(i), i, $"only {Count} keys");
    }
}
