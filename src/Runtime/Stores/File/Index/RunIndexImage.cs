namespace Qlib.Tracked.Stores.FileBacked.Index;

/// <summary>
/// A loaded version-3 index file, kept as its (mapped) bytes: the key table (decoded once, keys interned)
/// and the string table (decoded on first use, one instance per distinct string). Runs loaded from it keep
/// their keyed files as offsets into <see cref="Memory"/> (see <see cref="PersistedKeys{T}"/>), so a load costs
/// per run its folder name, stamps and run info, not its ~35 keys and values.
/// </summary>
/// <remarks>
/// Every offset, count and id in the file was checked against these tables when it was loaded
/// (<see cref="RunIndexFormat"/>), so nothing read later can fall outside them. Shared by all runs of one
/// experiment and read by several search threads at once: the only mutable state is the string cache, where
/// two threads decoding the same string at once each store an equal instance (harmless).
/// </remarks>
internal sealed class RunIndexImage
{
    private readonly string[] _keys;
    private readonly Dictionary<string, int> _keyIds;
    private readonly int _stringOffsets;
    private readonly int _stringHeap;
    private readonly string?[] _strings;

    /// <param name="memory">The whole file.</param>
    /// <param name="keys">The key table, in id order (interned).</param>
    /// <param name="stringOffsets">Where the string table's (count + 1) offsets start; validated ascending and inside the heap.</param>
    /// <param name="stringHeap">Where the string table's UTF-8 bytes start.</param>
    /// <param name="stringCount">How many strings the table holds.</param>
    public RunIndexImage(IndexFileMemory memory, string[] keys, int stringOffsets, int stringHeap, int stringCount)
    {
        Memory = memory;
        _keys = keys;
        _keyIds = new Dictionary<string, int>(keys.Length, StringComparer.Ordinal);
        for (var i = 0; i < keys.Length; i++)
        {
            if (!_keyIds.TryAdd(keys[i], i)) throw new InvalidDataException($"the key '{keys[i]}' appears twice in the key table");
        }
        _stringOffsets = stringOffsets;
        _stringHeap = stringHeap;
        _strings = new string?[stringCount];
        Metrics = new PersistedMetrics(this);
        Texts = new PersistedTexts(this);
    }

    /// <summary>How the file's metric records read.</summary>
    public PersistedMetrics Metrics { get; }

    /// <summary>How the file's param and tag records read.</summary>
    public PersistedTexts Texts { get; }

    public IndexFileMemory Memory { get; }

    public int KeyCount => _keys.Length;

    public int StringCount => _strings.Length;

    public string Key(int id) => _keys[id];

    /// <summary>The key's id in this file, or -1 when no run of the file has it.</summary>
    public int KeyId(string key) => _keyIds.TryGetValue(key, out var id) ? id : -1;

    /// <summary>String <paramref name="id"/> of the string table, decoded on first use.</summary>
    public string String(int id)
    {
        var cached = _strings[id];
        if (cached is not null) return cached;
        var start = ReadInt32(_stringOffsets + 4 * id);
        var end = ReadInt32(_stringOffsets + 4 * (id + 1));
        var text = Memory.ReadUtf8(_stringHeap + start, end - start);
        _strings[id] = text;
        return text;
    }

    public int ReadInt32(int offset) => Memory.ReadInt32(offset);

    public long ReadInt64(int offset) => Memory.ReadInt64(offset);

    public FileStamp ReadStamp(int offset) => new(ReadInt64(offset), ReadInt64(offset + 8));
}
