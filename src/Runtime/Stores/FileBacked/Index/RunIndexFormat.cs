using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Validation;

namespace Qlib.Tracked.Stores.FileBacked.Index;

/// <summary>
/// Version 3 of the index file's payload, built to load lazily (all integers little-endian):
/// <code>
/// int32 version (3) · listing stamp
/// key table:    int32 count, then per key: 7-bit length + UTF-8             (decoded at load, interned)
/// string table: int32 count, int32 heap length, int32 offsets[count + 1], heap (UTF-8, decoded on first use)
/// int32 runs, then per run:
///   int32 folder name (string id) · byte flags (1 built, 2 has info, 4 name from meta) · meta stamp
///   [has info] run id, experiment id, run name, user id (string ids) · int32 status · int64 start ·
///              byte + int64 end · artifact URI (string id) · int32 lifecycle stage · byte + int64 deleted
///   metrics: int32 count, records of key id, stamp, float64 value, int64 timestamp, int64 step (44 bytes)
///   params, tags: int32 count, records of key id, stamp, string id of the value (24 bytes)
///   metric, param, tag folder stamps: int32 count (-1: unknown), per folder: string id of its path, stamp
/// </code>
/// A stamp is int64 write ticks + int64 length. Loading decodes per run only its folder name, meta stamp and run
/// info, and checks every count, offset and id against the file's bounds and tables; each kind of a run's keyed
/// files and folder stamps is decoded when a query first needs it (<see cref="RunIndexEntry.KeepInFile"/>).
/// </summary>
internal static class RunIndexFormat
{
    public const int Version = 3;

    // A keyed-file record: key id (int32), stamp (int64 ticks, int64 length), then the value: a metric's float64 bits,
    // timestamp and step inline (NaN and infinities survive), a param's or tag's string id (values repeat across runs).
    private const int RecordValue = 4 + 16, MetricRecord = RecordValue + 8 + 8 + 8, TextRecord = RecordValue + 4, FolderRecord = 4 + 16;

    private const byte Built = 1, HasInfo = 2, NameFromMeta = 4;

    // Most key folders are flat: one shared path list instead of one per run and kind.
    private static readonly string[] RootOnly = [""];

    public static byte[] Serialize(ExperimentRunIndex index)
    {
        RunIndexEntry[] entries;
        FileStamp listing;
        lock (index.Sync)
        {
            listing = index.ListingStamp;
            entries = [.. index.Entries.Values];
        }
        var tables = new Tables();
        using var runs = new MemoryStream();
        using (var w = new BinaryWriter(runs, Encoding.UTF8, leaveOpen: true))
        {
            foreach (var entry in entries)
            {
                lock (entry.Sync) WriteEntry(w, entry, tables);
            }
        }

        using var payload = new MemoryStream((int)Math.Min(int.MaxValue, runs.Length + tables.EstimatedBytes + 64));
        using (var w = new BinaryWriter(payload, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Version);
            WriteStamp(w, listing);
            tables.Write(w);
            w.Write(entries.Length);
            w.Flush();
            runs.Position = 0;
            runs.CopyTo(payload);
        }
        return payload.ToArray();
    }

    private static void WriteEntry(BinaryWriter w, RunIndexEntry entry, Tables tables)
    {
        w.Write(tables.StringId(entry.FolderName));
        // An entry not yet read in full is saved as "unknown" so the next reader builds it.
        var info = entry.Built ? entry.Info : null;
        w.Write((byte)((entry.Built ? Built : 0) | (info is not null ? HasInfo : 0) | (info is not null && entry.NameFromMeta ? NameFromMeta : 0)));
        WriteStamp(w, entry.Built ? entry.MetaStamp : FileStamp.Unsettled);
        if (info is not null)
        {
            w.Write(tables.StringId(info.RunId));
            w.Write(tables.StringId(info.ExperimentId));
            w.Write(tables.StringId(info.RunName));
            w.Write(tables.StringId(info.UserId));
            w.Write((int)info.Status);
            w.Write(info.StartTime);
            WriteNullable(w, info.EndTime);
            w.Write(tables.StringId(info.ArtifactUri));
            w.Write((int)info.LifecycleStage);
            WriteNullable(w, info.DeletedTime);
        }
        if (!entry.Built)
        {
            for (var part = 0; part < 6; part++) w.Write(part < 3 ? 0 : -1); // no records, folder stamps unknown
            return;
        }
        var metrics = entry.Metrics;
        w.Write(metrics.Count);
        for (var i = 0; i < metrics.Count; i++)
        {
            var m = metrics.ValueAt(i);
            w.Write(tables.KeyId(metrics.KeyAt(i)));
            WriteStamp(w, metrics.StampAt(i));
            w.Write(BitConverter.DoubleToInt64Bits(m.Value));
            w.Write(m.Timestamp);
            w.Write(m.Step);
        }
        WriteTexts(w, entry.Params, tables);
        WriteTexts(w, entry.Tags, tables);
        WriteFolders(w, entry.MetricFolders, tables);
        WriteFolders(w, entry.ParamFolders, tables);
        WriteFolders(w, entry.TagFolders, tables);
    }

    private static void WriteTexts(BinaryWriter w, KeyedFiles<string> files, Tables tables)
    {
        w.Write(files.Count);
        for (var i = 0; i < files.Count; i++)
        {
            w.Write(tables.KeyId(files.KeyAt(i)));
            WriteStamp(w, files.StampAt(i));
            w.Write(tables.StringId(files.ValueAt(i)));
        }
    }

    private static void WriteFolders(BinaryWriter w, FolderStamps? folders, Tables tables)
    {
        w.Write(folders?.Stamps.Length ?? -1);
        if (folders is null) return;
        for (var i = 0; i < folders.Stamps.Length; i++)
        {
            w.Write(tables.StringId(folders.RelativePaths[i]));
            WriteStamp(w, folders.Stamps[i]);
        }
    }

    private static void WriteStamp(BinaryWriter w, FileStamp stamp)
    {
        w.Write(stamp.WriteTicks);
        w.Write(stamp.Length);
    }

    private static void WriteNullable(BinaryWriter w, long? value)
    {
        w.Write(value.HasValue);
        w.Write(value ?? 0);
    }

    /// <summary>The distinct keys and strings of one file, numbered in first-seen order.</summary>
    private sealed class Tables
    {
        private readonly Dictionary<string, int> _keys = new(StringComparer.Ordinal);
        private readonly List<string> _keyList = [];
        private readonly Dictionary<string, int> _strings = new(StringComparer.Ordinal);
        private readonly List<string> _stringList = [];

        public long EstimatedBytes => _stringList.Sum(s => 2L * s.Length + 4) + 16L * _keyList.Count;

        public int KeyId(string key) => Number(_keys, _keyList, key);

        public int StringId(string text) => Number(_strings, _stringList, text);

        private static int Number(Dictionary<string, int> ids, List<string> list, string text)
        {
            if (ids.TryGetValue(text, out var id)) return id;
            ids[text] = id = list.Count;
            list.Add(text);
            return id;
        }

        public void Write(BinaryWriter w)
        {
            w.Write(_keyList.Count);
            foreach (var key in _keyList) w.Write(key);
            var offsets = new int[_stringList.Count + 1];
            var heap = new MemoryStream();
            for (var i = 0; i < _stringList.Count; i++)
            {
                var bytes = Encoding.UTF8.GetBytes(_stringList[i]);
                heap.Write(bytes);
                offsets[i + 1] = checked((int)heap.Length);
            }
            w.Write(_stringList.Count);
            w.Write(checked((int)heap.Length));
            foreach (var offset in offsets) w.Write(offset);
            w.Write(heap.GetBuffer(), 0, (int)heap.Length);
        }
    }

    /// <summary>Loads a version-3 payload starting at <paramref name="offset"/> of the whole file's <paramref name="memory"/>.</summary>
    /// <remarks>Runs once per process, before tiered compilation would optimize it: compiled optimized at once.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Load(IndexFileMemory memory, int offset, ExperimentRunIndex index, RunIndexContext context)
    {
        var c = new Cursor(memory.Bytes, offset);
        var version = c.Int32();
        if (version != Version) throw new InvalidDataException($"format version {version}, expected {Version}");
        var listing = c.Stamp();
        var image = ReadTables(ref c, memory, context);

        var count = c.Count(MinRunBytes);
        var runs = new RunIndexEntry[count];
        var seen = new KeySet(image.KeyCount);
        for (var n = 0; n < count; n++) runs[n] = ReadRun(ref c, image, seen);
        if (c.Position != memory.Length) throw new InvalidDataException("trailing bytes after the last run");
        var entries = new Dictionary<string, RunIndexEntry>(count, StringComparer.Ordinal);
        foreach (var entry in runs)
        {
            if (!entries.TryAdd(entry.FolderName, entry)) throw new InvalidDataException($"the run folder '{entry.FolderName}' appears twice");
        }
        lock (index.Sync)
        {
            index.Entries = entries;
            index.ListingStamp = listing;
        }
    }

    // Folder name, flags, meta stamp, three record counts and three folder counts.
    private const int MinRunBytes = 4 + 1 + 16 + 3 * 4 + 3 * 4;

    private static RunIndexEntry ReadRun(ref Cursor c, RunIndexImage image, KeySet seen)
    {
        var folderName = c.String(image);
        CheckFolderName(folderName);
        var flags = c.Byte();
        if ((flags & ~(Built | HasInfo | NameFromMeta)) != 0) throw new InvalidDataException($"unknown run flags {flags}");
        var entry = new RunIndexEntry(folderName) { Built = (flags & Built) != 0, MetaStamp = c.Stamp() };
        if ((flags & HasInfo) != 0)
        {
            entry.Info = new RunInfo(
                c.String(image), c.String(image), c.String(image), c.String(image), CheckStatus(c.Int32()), c.Int64(),
                c.Nullable(), c.String(image), CheckStage(c.Int32()), c.Nullable());
            entry.NameFromMeta = (flags & NameFromMeta) != 0;
        }
        // Checked now, decoded when first used (RunIndexEntry.KeepInFile).
        var block = c.Position;
        SkipRecords(ref c, image, MetricRecord, seen, hasStringValue: false);
        SkipRecords(ref c, image, TextRecord, seen, hasStringValue: true);
        SkipRecords(ref c, image, TextRecord, seen, hasStringValue: true);
        for (var kind = 0; kind < 3; kind++) SkipFolders(ref c, image);
        entry.KeepInFile(image, block);
        return entry;
    }

    private static RunIndexImage ReadTables(ref Cursor c, IndexFileMemory memory, RunIndexContext context)
    {
        var keyCount = c.Count(1);
        var keys = new string[keyCount];
        for (var i = 0; i < keyCount; i++) keys[i] = context.Intern(c.Utf8());

        var stringCount = c.Count(4);
        var heapLength = c.Int32();
        var offsets = c.Skip(4 * (stringCount + 1));
        var heap = c.Skip(heapLength);
        var previous = 0;
        for (var i = 0; i <= stringCount; i++)
        {
            var at = BinaryPrimitives.ReadInt32LittleEndian(memory.Bytes[(offsets + 4 * i)..]);
            if (i == 0 ? at != 0 : at < previous) throw new InvalidDataException($"string {i} starts at {at}, before the end of the one before");
            previous = at;
        }
        if (previous != heapLength) throw new InvalidDataException($"the strings end at {previous}, the heap is {heapLength} bytes");
        return new RunIndexImage(memory, keys, offsets, heap, stringCount);
    }

    /// <summary>Checks a block of records (every key id in the table, once per run; every string id in the table) and moves past it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SkipRecords(ref Cursor c, RunIndexImage image, int recordSize, KeySet seen, bool hasStringValue)
    {
        var count = c.Count(recordSize);
        var records = image.Memory.Bytes.Slice(c.Skip(count * recordSize), count * recordSize);
        seen.Clear();
        for (var at = 0; at < records.Length; at += recordSize)
        {
            var key = BinaryPrimitives.ReadInt32LittleEndian(records[at..]);
            if ((uint)key >= (uint)image.KeyCount) throw new InvalidDataException($"key id {key} is not in the key table");
            if (!seen.Add(key)) throw new InvalidDataException($"the key '{image.Key(key)}' appears twice in one run");
            if (!hasStringValue) continue;
            var id = BinaryPrimitives.ReadInt32LittleEndian(records[(at + RecordValue)..]);
            if ((uint)id >= (uint)image.StringCount) throw new InvalidDataException($"string id {id} is not in the string table");
        }
    }

    /// <summary>Checks one kind's folder stamps (the kind's own folder first, then safe sub-folders) and moves past them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SkipFolders(ref Cursor c, RunIndexImage image)
    {
        var count = c.Int32();
        if (count == -1) return;
        c.CheckCount(count, FolderRecord);
        if (count == 0) throw new InvalidDataException("a key folder's stamps without the folder's own");
        for (var i = 0; i < count; i++)
        {
            CheckKeyFolderPath(c.String(image), i);
            c.Skip(16);
        }
    }

    // A run block holds six parts in order: metric, param and tag records, then metric, param and tag folder stamps.
    private static Cursor Part(RunIndexImage image, int block, int part)
    {
        var c = new Cursor(image.Memory.Bytes, block);
        for (var p = 0; p < part; p++) c.Skip(Math.Max(0, c.Int32()) * (p == 0 ? MetricRecord : p < 3 ? TextRecord : FolderRecord));
        return c;
    }

    /// <summary>The metrics of the run block at <paramref name="block"/> (validated at load).</summary>
    public static KeyedFiles<Metric> DecodeMetrics(RunIndexImage image, int block)
    {
        var c = Part(image, block, 0);
        var files = new KeyedFiles<Metric>(c.Int32());
        while (files.Count < files.Capacity)
        {
            var key = image.Key(c.Int32());
            var stamp = c.Stamp();
            files.Add(key, new Metric(key, BitConverter.Int64BitsToDouble(c.Int64()), c.Int64(), c.Int64()), stamp);
        }
        return files;
    }

    /// <summary>The params (or tags) of the run block at <paramref name="block"/> (validated at load).</summary>
    public static KeyedFiles<string> DecodeTexts(RunIndexImage image, int block, bool tags)
    {
        var c = Part(image, block, tags ? 2 : 1);
        var files = new KeyedFiles<string>(c.Int32());
        while (files.Count < files.Capacity)
        {
            var key = image.Key(c.Int32());
            var stamp = c.Stamp();
            files.Add(key, c.String(image), stamp);
        }
        return files;
    }

    /// <summary>The folder stamps of kind <paramref name="kind"/> (0 metrics, 1 params, 2 tags) of the run block at <paramref name="block"/>.</summary>
    public static FolderStamps? DecodeFolders(RunIndexImage image, int block, int kind)
    {
        var c = Part(image, block, 3 + kind);
        var count = c.Int32();
        if (count == -1) return null;
        var paths = count == 1 ? RootOnly : new string[count];
        var stamps = new FileStamp[count];
        for (var i = 0; i < count; i++)
        {
            if (count > 1) paths[i] = c.String(image);
            else c.Skip(4);
            stamps[i] = c.Stamp();
        }
        return new FolderStamps(paths, stamps);
    }

    /// <summary>A run folder name is one path segment: the index must never make the store look outside the experiment.</summary>
    internal static void CheckFolderName(string name)
    {
        if (name.Length == 0 || name is "." or ".." || name.Contains('/') || name.Contains('\\') || name.Contains('\0'))
            throw new InvalidDataException($"'{name}' is not a run folder name");
    }

    /// <summary>The first folder of a key kind is the kind's folder itself (""); the others are safe sub-paths of it.</summary>
    internal static void CheckKeyFolderPath(string path, int i)
    {
        if (i == 0 ? path.Length != 0 : !KeyPathRule.IsSafeRelativePath(path.Replace(Path.DirectorySeparatorChar, '/')))
            throw new InvalidDataException($"bad key sub-folder '{path}'");
    }

    internal static RunStatus CheckStatus(int value) =>
        value is >= (int)RunStatus.Running and <= (int)RunStatus.Killed ? (RunStatus)value : throw new InvalidDataException($"unknown run status {value}");

    internal static LifecycleStage CheckStage(int value) =>
        value is (int)LifecycleStage.Active or (int)LifecycleStage.Deleted ? (LifecycleStage)value : throw new InvalidDataException($"unknown lifecycle stage {value}");

    /// <summary>Which key ids one block of records has used (a generation counter per id: cleared in O(1)).</summary>
    private sealed class KeySet(int keyCount)
    {
        private readonly int[] _generation = new int[keyCount];
        private int _current;

        public void Clear() => _current++;

        public bool Add(int key)
        {
            if (_generation[key] == _current) return false;
            _generation[key] = _current;
            return true;
        }
    }

    /// <summary>A read position in the file; every read is bounds-checked and fails the load with <see cref="InvalidDataException"/>.</summary>
    private ref struct Cursor(ReadOnlySpan<byte> bytes, int position)
    {
        private readonly ReadOnlySpan<byte> _bytes = bytes;
        public int Position = position;

        public int Int32() => BinaryPrimitives.ReadInt32LittleEndian(_bytes.Slice(Skip(4), 4));

        public long Int64() => BinaryPrimitives.ReadInt64LittleEndian(_bytes.Slice(Skip(8), 8));

        public byte Byte() => _bytes[Skip(1)];

        public FileStamp Stamp() => new(Int64(), Int64());

        public long? Nullable()
        {
            var has = Byte();
            var value = Int64();
            return has switch { 0 => null, 1 => value, _ => throw new InvalidDataException($"bad presence byte {has}") };
        }

        /// <summary>A count of items of at least <paramref name="minBytes"/> each that fit in what is left.</summary>
        public int Count(int minBytes)
        {
            var count = Int32();
            CheckCount(count, minBytes);
            return count;
        }

        public readonly void CheckCount(int count, int minBytes)
        {
            if (count < 0 || (long)count * minBytes > _bytes.Length - Position) throw new InvalidDataException($"impossible count {count}");
        }

        /// <summary>Moves past <paramref name="length"/> bytes; returns where they start.</summary>
        public int Skip(int length)
        {
            if (length < 0 || length > _bytes.Length - Position) throw new InvalidDataException($"{length} bytes at {Position} run past the end");
            var start = Position;
            Position += length;
            return start;
        }

        /// <summary>A string-table reference.</summary>
        public string String(RunIndexImage image)
        {
            var id = Int32();
            if ((uint)id >= (uint)image.StringCount) throw new InvalidDataException($"string id {id} is not in the string table");
            return image.String(id);
        }

        /// <summary>An inline string: 7-bit encoded length, then UTF-8.</summary>
        public string Utf8()
        {
            var length = 0;
            for (var shift = 0; ; shift += 7)
            {
                if (shift > 28) throw new InvalidDataException("a string length runs past 32 bits");
                var b = Byte();
                length |= (b & 0x7F) << shift;
                if ((b & 0x80) == 0) break;
            }
            return Encoding.UTF8.GetString(_bytes.Slice(Skip(length), length));
        }
    }
}
