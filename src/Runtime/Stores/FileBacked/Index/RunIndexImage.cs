using System.Buffers.Binary;

namespace Qlib.Tracked.Stores.FileBacked.Index;

/// <summary>
/// A loaded index file's tables over its (mapped) bytes: the key table (decoded at load, keys interned) and the
/// string table (each string decoded on first use). Runs loaded from it keep their keyed files and folder stamps
/// as offsets into <see cref="Memory"/> until first used (<see cref="RunIndexEntry.KeepInFile"/>).
/// </summary>
/// <remarks>
/// Every offset, count and id was checked at load (<see cref="RunIndexFormat"/>). Read by several threads at once: two
/// threads decoding the same string each store an equal instance (harmless).
/// </remarks>
internal sealed class RunIndexImage
{
    private readonly string[] _keys;
    private readonly int _stringOffsets;
    private readonly int _stringHeap;
    private readonly string?[] _strings;

    public RunIndexImage(IndexFileMemory memory, string[] keys, int stringOffsets, int stringHeap, int stringCount)
    {
        Memory = memory;
        _keys = keys;
        var distinct = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            if (!distinct.Add(key)) throw new InvalidDataException($"the key '{key}' appears twice in the key table");
        }
        _stringOffsets = stringOffsets;
        _stringHeap = stringHeap;
        _strings = new string?[stringCount];
    }

    public IndexFileMemory Memory { get; }

    public int KeyCount => _keys.Length;

    public int StringCount => _strings.Length;

    public string Key(int id) => _keys[id];

    /// <summary>String <paramref name="id"/> of the string table, decoded on first use.</summary>
    public string String(int id)
    {
        var cached = _strings[id];
        if (cached is not null) return cached;
        var start = ReadInt32(_stringOffsets + 4 * id);
        var end = ReadInt32(_stringOffsets + 4 * (id + 1));
        var text = System.Text.Encoding.UTF8.GetString(Memory.Bytes.Slice(_stringHeap + start, end - start));
        _strings[id] = text;
        return text;
    }

    private int ReadInt32(int offset) => BinaryPrimitives.ReadInt32LittleEndian(Memory.Bytes.Slice(offset, 4));
}
