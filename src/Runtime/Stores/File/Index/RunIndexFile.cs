using System.Buffers.Binary;

namespace Qlib.Tracked.Stores.FileBacked.Index;

/// <summary>
/// The persisted copy of one experiment's index: <c>&lt;experiment&gt;/.qtrk-run-index</c>, a plain file
/// (MLflow lists only sub-folders of an experiment as runs, so it never sees it). Layout: 8-byte magic,
/// payload length, a 64-bit hash of the payload, then the payload, whose first int32 is its format version.
/// Written to a temp file and renamed, so readers see the old copy or the new one; a torn, truncated or
/// foreign file fails the length or hash check and is rebuilt from the run folders. Nothing in it is trusted
/// beyond saving reads: every entry carries the stamps of the files it came from and is re-checked on use.
/// </summary>
/// <remarks>
/// Version 3 (<see cref="RunIndexFormat"/>, what is written) loads lazily: the file is memory-mapped
/// (<see cref="IndexFileMemory"/>), and per run only its folder name, meta stamp and run info are decoded; its
/// metrics, params, tags and key-folder stamps stay fixed-size records in the file, decoded when a query first
/// needs them, one key at a time. Every count, offset and id is checked at load, so a file that passes the hash
/// but is malformed fails the load (and is rebuilt), never a later query; a loaded file rewritten in place is
/// dropped before the next query. Versions 1 and 2 (<see cref="RunIndexLegacyFormat"/>, everything inline and
/// decoded at load) are still read, and rewritten as version 3 after the first query.
/// </remarks>
internal static class RunIndexFile
{
    public const string FileName = ".qtrk-run-index";
    private static readonly byte[] Magic = "QTRKRIX1"u8.ToArray();
    private const int HeaderLength = 8 + 8 + 8;

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

        var path = PathOf(index.Folder);
        var temp = TempFileNames.ForReplace(path);
        try
        {
            File.WriteAllBytes(temp, bytes);
            File.Move(temp, path, overwrite: true);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try { File.Delete(temp); } catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException) { }
            return false;
        }
    }

    /// <summary><see cref="LoadResult.LoadedOlderFormat"/>: loaded from a version 1 or 2 file, which should be rewritten.</summary>
    public enum LoadResult { Loaded, LoadedOlderFormat, Missing, Corrupt }

    /// <summary>
    /// Loads a persisted index into <paramref name="index"/>; on <see cref="LoadResult.Corrupt"/> <paramref name="problem"/> says why.
    /// On <see cref="LoadResult.Loaded"/>, <paramref name="memory"/> is the file the entries still read from (see
    /// <see cref="IndexFileMemory.ChangedSinceOpened"/>).
    /// </summary>
    public static LoadResult TryLoad(ExperimentRunIndex index, RunIndexContext context, out string? problem, out IndexFileMemory? memory)
    {
        problem = null;
        memory = null;
        IndexFileMemory file;
        if (LinuxStat.IsSpecialFile(PathOf(index.Folder)))
        {
            problem = AtomicFile.SpecialFileRefusal;
            return LoadResult.Corrupt;
        }
        try { file = IndexFileMemory.Open(PathOf(index.Folder)); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException) { return LoadResult.Missing; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            problem = e.Message;
            return LoadResult.Corrupt;
        }
        var result = TryLoad(file, index, context, out problem);
        if (result == LoadResult.Loaded) memory = file;
        else file.Dispose(); // nothing refers to it
        return result;
    }

    /// <inheritdoc cref="TryLoad(ExperimentRunIndex, RunIndexContext, out string?, out IndexFileMemory?)"/>
    public static LoadResult TryLoad(ExperimentRunIndex index, RunIndexContext context, out string? problem) =>
        TryLoad(index, context, out problem, out _);

    private static LoadResult TryLoad(IndexFileMemory file, ExperimentRunIndex index, RunIndexContext context, out string? problem)
    {
        problem = null;
        try
        {
            if (file.Length < HeaderLength || !file.BytesEqual(0, Magic))
            {
                problem = "it does not start with the run index header";
                return LoadResult.Corrupt;
            }
            var length = file.ReadInt64(8);
            if (length != file.Length - HeaderLength)
            {
                problem = $"it holds {file.Length - HeaderLength} bytes after the header, the header says {length} (a torn write)";
                return LoadResult.Corrupt;
            }
            if (file.Hash(HeaderLength, file.Length - HeaderLength) != (ulong)file.ReadInt64(16))
            {
                problem = "its checksum does not match its content";
                return LoadResult.Corrupt;
            }
            var version = file.Length >= HeaderLength + 4 ? file.ReadInt32(HeaderLength) : -1;
            if (version is RunIndexLegacyFormat.Version or RunIndexLegacyFormat.VersionWithoutFolderStamps)
            {
                // Decoded in full into objects: the copy is only needed while loading.
                RunIndexLegacyFormat.Load(file.ToArray(), HeaderLength, index, context);
                return LoadResult.LoadedOlderFormat;
            }
            RunIndexFormat.Load(file, HeaderLength, index, context); // the entries keep reading their keyed files from it
            return LoadResult.Loaded;
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or FormatException or ArgumentException or InvalidDataException)
        {
            problem = "its content does not parse: " + e.Message;
            return LoadResult.Corrupt;
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
