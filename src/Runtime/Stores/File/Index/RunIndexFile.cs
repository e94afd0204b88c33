using System.Buffers.Binary;
using System.Text;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Shared;

namespace Qlib.Tracked.Stores.FileBacked.Index;

/// <summary>
/// The persisted copy of one experiment's index: <c>&lt;experiment&gt;/.qtrk-run-index</c>, a plain file
/// (MLflow lists only sub-folders of an experiment as runs, so it never sees it). Layout: 8-byte magic,
/// payload length, a 64-bit hash of the payload, then the payload. Written to a temp file and renamed, so
/// readers see the old copy or the new one; a torn, truncated or foreign file fails the length or hash
/// check and is rebuilt from the run folders. Nothing in it is trusted beyond saving reads: every entry
/// carries the stamps of the files it came from and is re-checked on use.
/// </summary>
internal static class RunIndexFile
{
    public const string FileName = ".qtrk-run-index";
    private static readonly byte[] Magic = "QTRKRIX1"u8.ToArray();
    private const int HeaderLength = 8 + 8 + 8;
    private const int FormatVersion = 2;

    // Version 1 had no key-folder stamps; its entries load with them unknown (each folder is listed once more).
    private const int FormatVersionWithoutFolderStamps = 1;

    public static string PathOf(string experimentFolder) => Path.Combine(experimentFolder, FileName);

    /// <summary>Writes the index; false when the store cannot be written (a read-only store keeps its index in memory).</summary>
    public static bool TrySave(ExperimentRunIndex index)
    {
        var payload = Serialize(index);
        var bytes = new byte[HeaderLength + payload.Length];
        Magic.CopyTo(bytes, 0);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(8), payload.Length);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(16), Hash(payload));
        payload.CopyTo(bytes, HeaderLength);

        var path = PathOf(index.Folder);
        var temp = Path.Combine(index.Folder, "." + FileName + "." + Guid.NewGuid().ToString("N") + ".tmp");
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

    public enum LoadResult { Loaded, Missing, Corrupt }

    /// <summary>Loads a persisted index into <paramref name="index"/>; on <see cref="LoadResult.Corrupt"/> <paramref name="problem"/> says why.</summary>
    public static LoadResult TryLoad(ExperimentRunIndex index, RunIndexContext context, out string? problem)
    {
        problem = null;
        byte[] bytes;
        try { bytes = File.ReadAllBytes(PathOf(index.Folder)); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException) { return LoadResult.Missing; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = e.Message;
            return LoadResult.Corrupt;
        }
        if (bytes.Length < HeaderLength || !bytes.AsSpan(0, 8).SequenceEqual(Magic))
        {
            problem = "it does not start with the run index header";
            return LoadResult.Corrupt;
        }
        var length = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(8));
        if (length != bytes.Length - HeaderLength)
        {
            problem = $"it holds {bytes.Length - HeaderLength} bytes after the header, the header says {length} (a torn write)";
            return LoadResult.Corrupt;
        }
        var payload = bytes.AsMemory(HeaderLength);
        if (Hash(payload.Span) != BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(16)))
        {
            problem = "its checksum does not match its content";
            return LoadResult.Corrupt;
        }
        try
        {
            Deserialize(bytes, HeaderLength, index, context); // in place: no copy of a file that can be 100+ MB
            return LoadResult.Loaded;
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or FormatException or ArgumentException or InvalidDataException)
        {
            problem = "its content does not parse: " + e.Message;
            return LoadResult.Corrupt;
        }
    }

    private static byte[] Serialize(ExperimentRunIndex index)
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(FormatVersion);
            RunIndexEntry[] entries;
            lock (index.Sync)
            {
                WriteStamp(w, index.ListingStamp);
                entries = [.. index.Entries.Values];
            }
            w.Write(entries.Length);
            foreach (var entry in entries)
            {
                lock (entry.Sync) WriteEntry(w, entry);
            }
        }
        return stream.ToArray();
    }

    private static void WriteEntry(BinaryWriter w, RunIndexEntry entry)
    {
        w.Write(entry.FolderName);
        // An entry not yet read in full is saved as "unknown" so the next reader builds it.
        w.Write(entry.Built);
        WriteStamp(w, entry.Built ? entry.MetaStamp : FileStamp.Unsettled);
        var info = entry.Info;
        w.Write(info is not null && entry.Built);
        if (info is not null && entry.Built)
        {
            w.Write(info.RunId);
            w.Write(info.ExperimentId);
            w.Write(info.RunName);
            w.Write(info.UserId);
            w.Write((int)info.Status);
            w.Write(info.StartTime);
            WriteNullable(w, info.EndTime);
            w.Write(info.ArtifactUri);
            w.Write((int)info.LifecycleStage);
            WriteNullable(w, info.DeletedTime);
            w.Write(entry.NameFromMeta);
        }
        if (!entry.Built)
        {
            w.Write(0);
            w.Write(0);
            w.Write(0);
            WriteFolders(w, null);
            WriteFolders(w, null);
            WriteFolders(w, null);
            return;
        }
        w.Write(entry.Metrics.Count);
        for (var i = 0; i < entry.Metrics.Count; i++)
        {
            var m = entry.Metrics.ValueAt(i);
            w.Write(entry.Metrics.KeyAt(i));
            WriteStamp(w, entry.Metrics.StampAt(i));
            w.Write(m.Value);
            w.Write(m.Timestamp);
            w.Write(m.Step);
        }
        WriteTexts(w, entry.Params);
        WriteTexts(w, entry.Tags);
        WriteFolders(w, entry.MetricFolders);
        WriteFolders(w, entry.ParamFolders);
        WriteFolders(w, entry.TagFolders);
    }

    private static void WriteFolders(BinaryWriter w, FolderStamps? folders)
    {
        w.Write(folders?.Stamps.Length ?? -1);
        if (folders is null) return;
        for (var i = 0; i < folders.Stamps.Length; i++)
        {
            w.Write(folders.RelativePaths[i]);
            WriteStamp(w, folders.Stamps[i]);
        }
    }

    private static FolderStamps? ReadFolders(BinaryReader r)
    {
        if (r.ReadInt32() is var count && count == -1) return null;
        if (count < 0 || count > r.BaseStream.Length - r.BaseStream.Position) throw new InvalidDataException($"impossible count {count}");
        var paths = new string[count];
        var stamps = new FileStamp[count];
        for (var i = 0; i < count; i++)
        {
            paths[i] = r.ReadString();
            if (i == 0 ? paths[i].Length != 0 : !KeyPathRule.IsSafeRelativePath(paths[i].Replace(Path.DirectorySeparatorChar, '/')))
                throw new InvalidDataException($"bad key sub-folder '{paths[i]}'");
            stamps[i] = ReadStamp(r);
        }
        return new FolderStamps(paths, stamps);
    }

    private static void WriteTexts(BinaryWriter w, KeyedFiles<string> files)
    {
        w.Write(files.Count);
        for (var i = 0; i < files.Count; i++)
        {
            w.Write(files.KeyAt(i));
            WriteStamp(w, files.StampAt(i));
            w.Write(files.ValueAt(i));
        }
    }

    private static void Deserialize(byte[] bytes, int offset, ExperimentRunIndex index, RunIndexContext context)
    {
        // The stream covers the whole file and starts at the payload, so positions are offsets into `bytes`.
        var payload = bytes;
        using var r = new BinaryReader(new MemoryStream(bytes, writable: false) { Position = offset }, Encoding.UTF8);
        var strings = new PooledStringReader(r, payload, context);
        var version = r.ReadInt32();
        if (version != FormatVersion && version != FormatVersionWithoutFolderStamps) throw new InvalidDataException($"format version {version}, expected {FormatVersion}");
        var listing = ReadStamp(r);
        var count = ReadCount(r);
        var entries = new Dictionary<string, RunIndexEntry>(count, StringComparer.Ordinal);
        for (var n = 0; n < count; n++)
        {
            var entry = new RunIndexEntry(strings.ReadValue()) { Built = r.ReadBoolean(), MetaStamp = ReadStamp(r) };
            if (r.ReadBoolean())
            {
                entry.Info = new RunInfo(
                    strings.ReadValue(), strings.ReadValue(), strings.ReadValue(), strings.ReadValue(), (RunStatus)r.ReadInt32(), r.ReadInt64(),
                    ReadNullable(r), strings.ReadValue(), (LifecycleStage)r.ReadInt32(), ReadNullable(r));
                entry.NameFromMeta = r.ReadBoolean();
            }
            var metricCount = ReadCount(r);
            var metrics = new KeyedFiles<Metric>(metricCount);
            for (var i = 0; i < metricCount; i++)
            {
                var key = strings.ReadKey();
                var stamp = ReadStamp(r);
                metrics.AddPooled(key, new Metric(key, r.ReadDouble(), r.ReadInt64(), r.ReadInt64()), stamp);
            }
            entry.Metrics = metrics;
            entry.Params = ReadTexts(r, strings);
            entry.Tags = ReadTexts(r, strings);
            if (version == FormatVersion)
            {
                entry.MetricFolders = ReadFolders(r);
                entry.ParamFolders = ReadFolders(r);
                entry.TagFolders = ReadFolders(r);
            }
            entries[entry.FolderName] = entry;
        }
        if (r.BaseStream.Position != payload.Length) throw new InvalidDataException("trailing bytes after the last run");
        lock (index.Sync)
        {
            index.Entries = entries;
            index.ListingStamp = listing;
        }
    }

    private static KeyedFiles<string> ReadTexts(BinaryReader r, PooledStringReader strings)
    {
        var count = ReadCount(r);
        var files = new KeyedFiles<string>(count);
        for (var i = 0; i < count; i++)
        {
            var key = strings.ReadKey();
            var stamp = ReadStamp(r);
            files.AddPooled(key, strings.ReadValue(), stamp);
        }
        return files;
    }

    private static int ReadCount(BinaryReader r)
    {
        var count = r.ReadInt32();
        if (count < 0 || count > r.BaseStream.Length - r.BaseStream.Position) throw new InvalidDataException($"impossible count {count}");
        return count;
    }

    private static void WriteStamp(BinaryWriter w, FileStamp stamp)
    {
        w.Write(stamp.WriteTicks);
        w.Write(stamp.Length);
    }

    private static FileStamp ReadStamp(BinaryReader r) => new(r.ReadInt64(), r.ReadInt64());

    private static void WriteNullable(BinaryWriter w, long? value)
    {
        w.Write(value.HasValue);
        w.Write(value ?? 0);
    }

    private static long? ReadNullable(BinaryReader r)
    {
        var has = r.ReadBoolean();
        var value = r.ReadInt64();
        return has ? value : null;
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
