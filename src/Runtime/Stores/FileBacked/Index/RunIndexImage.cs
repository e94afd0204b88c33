using System.Buffers.Binary;

namespace Qlib.Tracked.Stores.FileBacked.Index;

/// <summary>
/// A loaded index file's string table over its (mapped) bytes: each string decoded on first use, keys and folder
/// paths at load (pooled). Runs loaded from it keep their keyed files and folder stamps as offsets into
/// <see cref="Memory"/> until first used (<see cref="RunIndexEntry.KeepInFile"/>).
/// </summary>
/// <remarks>
/// Every offset, count and id was checked at load (<see cref="RunIndexFormat"/>). Read by several threads at once: two
/// threads decoding the same string each store an equal instance (harmless).
/// </remarks>
internal sealed class RunIndexImage(IndexFileMemory memory, int stringOffsets, int stringHeap, int stringCount)
{
    private readonly string?[] _strings = new string?[stringCount];

    public IndexFileMemory Memory { get; } = memory;

    public int StringCount => _strings.Length;

    /// <summary>An id read from the file, checked against the table.</summary>
    public int Checked(int id) => (uint)id < (uint)_strings.Length ? id : throw new InvalidDataException($"string id {id} is not in the string table");

    /// <summary>String <paramref name="id"/> of the string table, decoded on first use.</summary>
    public string String(int id)
    {
        var cached = _strings[id];
        if (cached is not null) return cached;
        var start = ReadInt32(stringOffsets + 4 * id);
        var end = ReadInt32(stringOffsets + 4 * (id + 1));
        var text = System.Text.Encoding.UTF8.GetString(Memory.Bytes.Slice(stringHeap + start, end - start));
        _strings[id] = text;
        return text;
    }

    /// <summary>String <paramref name="id"/> as the store's one instance of that key (at load, on one thread).</summary>
    public string Pool(int id, RunIndexContext context) => _strings[id] = context.Intern(String(id));

    private int ReadInt32(int offset) => BinaryPrimitives.ReadInt32LittleEndian(Memory.Bytes.Slice(offset, 4));
}
