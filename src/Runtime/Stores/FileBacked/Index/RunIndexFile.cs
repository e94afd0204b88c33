using System.Buffers.Binary;

namespace Qlib.Tracked.Stores.FileBacked.Index;

/// <summary>
/// The persisted copy of one experiment's index, <c>&lt;experiment&gt;/.qtrk-run-index</c>: 8-byte magic, payload
/// length, a 64-bit hash of the payload, then the payload (<see cref="RunIndexFormat"/>, whose first int32 is its
/// version). Written to a temp file and renamed over the old one; a torn, foreign, damaged or older-version file is
/// reported and rebuilt from the run folders (it is a cache: nothing in it is used without re-checking its stamps).
/// </summary>
internal static class RunIndexFile
{
    public const string FileName = ".qtrk-run-index";
    private static readonly byte[] Magic = "QTRKRIX1"u8.ToArray();
    public const int HeaderLength = 8 + 8 + 8;

    public static string PathOf(string experimentFolder) => Path.Combine(experimentFolder, FileName);

    /// <summary>Writes the index; false when the store cannot be written (a read-only store keeps its index in memory).</summary>
    public static bool TrySave(ExperimentRunIndex index)
    {
        var payload = RunIndexFormat.Serialize(index);
        var bytes = new byte[HeaderLength + payload.Length];
        Magic.CopyTo(bytes, 0);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(8), payload.Length);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(16), Hash(payload));
        payload.CopyTo(bytes, HeaderLength);

        try
        {
            AtomicReplace.WriteAllBytes(PathOf(index.Folder), bytes);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false; // AtomicReplace has removed its temp file; the index stays in memory
        }
    }

    /// <summary>
    /// Loads the persisted index into <paramref name="index"/> and returns the file its entries now read from (the
    /// caller disposes of it when the store is disposed); null when there is none, or when it cannot be used
    /// (<paramref name="problem"/> says why).
    /// </summary>
    public static IndexFileMemory? TryLoad(ExperimentRunIndex index, RunIndexContext context, out string? problem)
    {
        problem = null;
        var path = PathOf(index.Folder);
        if (Interop.LinuxStat.IsSpecialFile(path))
        {
            problem = AtomicFile.SpecialFileRefusal;
            return null;
        }
        IndexFileMemory file;
        try { file = IndexFileMemory.Open(path); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException) { return null; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            problem = e.Message;
            return null;
        }
        problem = TryLoad(file, index, context);
        if (problem is null) return file;
        file.Dispose(); // nothing refers to it
        return null;
    }

    /// <summary>Checks the header and loads the payload; the problem, or null when loaded.</summary>
    private static string? TryLoad(IndexFileMemory file, ExperimentRunIndex index, RunIndexContext context)
    {
        var bytes = file.Bytes;
        if (bytes.Length < HeaderLength || !bytes.StartsWith(Magic)) return "it does not start with the run index header";
        var length = BinaryPrimitives.ReadInt64LittleEndian(bytes[8..]);
        if (length != bytes.Length - HeaderLength)
            return $"it holds {bytes.Length - HeaderLength} bytes after the header, the header says {length} (a torn write)";
        if (Hash(bytes[HeaderLength..]) != BinaryPrimitives.ReadUInt64LittleEndian(bytes[16..])) return "its checksum does not match its content";
        var version = bytes.Length >= HeaderLength + 4 ? BinaryPrimitives.ReadInt32LittleEndian(bytes[HeaderLength..]) : -1;
        if (version != RunIndexFormat.Version) return $"it is in format version {version}, and this version of Qlib.Tracked reads {RunIndexFormat.Version}";
        try
        {
            RunIndexFormat.Load(file, HeaderLength, index, context);
            return null;
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException or IndexOutOfRangeException)
        {
            return "its content does not parse: " + e.Message;
        }
    }

    /// <summary>A 64-bit multiply-xorshift hash over 8-byte words: catches torn and garbled files, not adversaries.</summary>
    internal static ulong Hash(ReadOnlySpan<byte> data)
    {
        const ulong Prime = 0x9E3779B97F4A7C15;
        var h = 0xCBF29CE484222325UL ^ (ulong)data.Length;
        var i = 0;
        for (; i + 8 <= data.Length; i += 8)
        {
            h ^= BinaryPrimitives.ReadUInt64LittleEndian(data[i..]);
            h *= Prime;
            h ^= h >> 29;
        }
        for (; i < data.Length; i++)
        {
            h ^= data[i];
            h *= Prime;
        }
        return h ^ (h >> 32);
    }
}
