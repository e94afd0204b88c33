using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Validation;

namespace Qlib.Tracked.Stores.FileBacked.Index;

/// <summary>
/// Version 4 of the index file's payload, built to load lazily (all integers little-endian):
/// <code>
/// int32 version (4) · listing stamp
/// string table: int32 count, int32 heap length, int32 offsets[count + 1], heap (UTF-8; a string used as a key or
///               folder path is decoded at load and pooled, any other on first use)
/// int32 runs, then per run:
///   int32 folder name (string id) · byte flags (1 built, 2 has info, 4 name from meta) · meta stamp
///   [has info] run id, experiment id, run name, user id (string ids) · int32 status · int64 start ·
///              byte + int64 end · artifact URI (string id) · int32 lifecycle stage · byte + int64 deleted
///   six parts, each an int32 count and then fixed-size records whose first field is a key (string id) and second a stamp:
///   metrics: + float64 value, int64 timestamp, int64 step (44 bytes); params, tags: + string id of the value (24 bytes);
///   metric, param, tag folder stamps (count -1: unknown): the path, the kind's own folder ("") first (20 bytes)
/// </code>
/// A stamp is int64 write ticks + int64 length. Loading decodes per run only its folder name, meta stamp and run
/// info, and checks every count, offset and id against the file's bounds and table; each kind of a run's keyed
/// files and folder stamps is decoded when a query first needs it (<see cref="RunIndexEntry.KeepInFile"/>).
/// </summary>
internal static class RunIndexFormat
{
    public const int Version = 4;

    // A record: key id (int32), stamp (int64 ticks, int64 length), then the value: a metric's float64 bits, timestamp
    // and step inline (NaN and infinities survive), a param's or tag's string id (values repeat across runs), none for a folder.
    private const int RecordValue = 4 + 16, MetricRecord = RecordValue + 8 + 8 + 8, TextRecord = RecordValue + 4, FolderRecord = RecordValue;

    // A run's six parts in order: metric, param and tag records, then metric, param and tag folder stamps.
    private static readonly int[] PartRecord = [MetricRecord, TextRecord, TextRecord, FolderRecord, FolderRecord, FolderRecord];
    private const int FolderPart = 3;

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
            for (var part = 0; part < PartRecord.Length; part++) w.Write(part < FolderPart ? 0 : -1); // no records, folder stamps unknown
            return;
        }
        WriteRecords(w, entry.Metrics, tables, m =>
        {
            w.Write(BitConverter.DoubleToInt64Bits(m.Value));
            w.Write(m.Timestamp);
            w.Write(m.Step);
        });
        WriteRecords(w, entry.Params, tables, value => w.Write(tables.StringId(value)));
        WriteRecords(w, entry.Tags, tables, value => w.Write(tables.StringId(value)));
        WriteFolders(w, entry.MetricFolders, tables);
        WriteFolders(w, entry.ParamFolders, tables);
        WriteFolders(w, entry.TagFolders, tables);
    }

    private static void WriteRecords<T>(BinaryWriter w, KeyedFiles<T> files, Tables tables, Action<T> writeValue)
    {
        w.Write(files.Count);
        for (var i = 0; i < files.Count; i++)
        {
            w.Write(tables.StringId(files.KeyAt(i)));
            WriteStamp(w, files.StampAt(i));
            writeValue(files.ValueAt(i));
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

    /// <summary>The distinct strings (keys and values alike) of one file, numbered in first-seen order.</summary>
    private sealed class Tables
    {
        private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
        private readonly List<string> _strings = [];

        public long EstimatedBytes => _strings.Sum(s => 2L * s.Length + 4);

        public int StringId(string text)
        {
            if (_ids.TryGetValue(text, out var id)) return id;
            _ids[text] = id = _strings.Count;
            _strings.Add(text);
            return id;
        }

        public void Write(BinaryWriter w)
        {
            var offsets = new int[_strings.Count + 1];
            var heap = new MemoryStream();
            for (var i = 0; i < _strings.Count; i++)
            {
                var bytes = Encoding.UTF8.GetBytes(_strings[i]);
                heap.Write(bytes);
                offsets[i + 1] = checked((int)heap.Length);
            }
            w.Write(_strings.Count);
            w.Write(checked((int)heap.Length));
            foreach (var offset in offsets) w.Write(offset);
            w.Write(heap.GetBuffer(), 0, (int)heap.Length);
        }
    }

    /// <summary>Loads a version-4 payload starting at <paramref name="offset"/> of the whole file's <paramref name="memory"/>.</summary>
    /// <remarks>Runs once per process, before tiered compilation would optimize it: compiled optimized at once.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Load(IndexFileMemory memory, int offset, ExperimentRunIndex index, RunIndexContext context)
    {
        var c = new Cursor(memory.Bytes, offset);
        var version = c.Int32();
        if (version != Version) throw new InvalidDataException($"format version {version}, expected {Version}");
        var listing = c.Stamp();
        var image = ReadTable(ref c, memory);

        var count = c.Count(c.Int32(), MinRunBytes);
        var runs = new RunIndexEntry[count];
        var keys = new KeySet(image, context);
        for (var n = 0; n < count; n++) runs[n] = ReadRun(ref c, image, keys);
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

    // Folder name, flags, meta stamp and six part counts.
    private const int MinRunBytes = 4 + 1 + 16 + 6 * 4;

    private static RunIndexEntry ReadRun(ref Cursor c, RunIndexImage image, KeySet keys)
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
        for (var part = 0; part < PartRecord.Length; part++) CheckPart(ref c, image, part, keys);
        entry.KeepInFile(image, block);
        return entry;
    }

    private static RunIndexImage ReadTable(ref Cursor c, IndexFileMemory memory)
    {
        var stringCount = c.Count(c.Int32(), 4);
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
        return new RunIndexImage(memory, offsets, heap, stringCount);
    }

    /// <summary>
    /// Checks one part of a run (every key once in it, every value id in the table; a folder part starts with the
    /// kind's own folder, then safe sub-folders) and moves past it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CheckPart(ref Cursor c, RunIndexImage image, int part, KeySet keys)
    {
        var count = c.Int32();
        if (count == -1 && part >= FolderPart) return;
        var size = PartRecord[part];
        c.Count(count, size);
        if (count == 0 && part >= FolderPart) throw new InvalidDataException("a key folder's stamps without the folder's own");
        var records = image.Memory.Bytes.Slice(c.Skip(count * size), count * size);
        keys.Clear();
        for (var i = 0; i < count; i++)
        {
            var key = keys.Add(image.Checked(BinaryPrimitives.ReadInt32LittleEndian(records[(i * size)..])));
            if (part >= FolderPart) CheckKeyFolderPath(key, i);
            else if (size == TextRecord) image.Checked(BinaryPrimitives.ReadInt32LittleEndian(records[(i * size + RecordValue)..]));
        }
    }

    private static Cursor Part(RunIndexImage image, int block, int part)
    {
        var c = new Cursor(image.Memory.Bytes, block);
        for (var p = 0; p < part; p++) c.Skip(Math.Max(0, c.Int32()) * PartRecord[p]);
        return c;
    }

    /// <summary>The metrics of the run block at <paramref name="block"/> (validated at load).</summary>
    public static KeyedFiles<Metric> DecodeMetrics(RunIndexImage image, int block)
    {
        var c = Part(image, block, 0);
        var files = new KeyedFiles<Metric>(c.Int32());
        while (files.Count < files.Capacity)
        {
            var key = c.String(image);
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
            var key = c.String(image);
            var stamp = c.Stamp();
            files.Add(key, c.String(image), stamp);
        }
        return files;
    }

    /// <summary>The folder stamps of kind <paramref name="kind"/> (0 metrics, 1 params, 2 tags) of the run block at <paramref name="block"/>.</summary>
    public static FolderStamps? DecodeFolders(RunIndexImage image, int block, int kind)
    {
        var c = Part(image, block, FolderPart + kind);
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

    /// <summary>
    /// The keys of one part (a generation counter per string id: cleared in O(1)). A string first used as a key is
    /// decoded and pooled, and must differ from every other key of the file: one id per key, as the writer numbers them.
    /// </summary>
    private sealed class KeySet(RunIndexImage image, RunIndexContext context)
    {
        private readonly int[] _generation = new int[image.StringCount];
        private readonly HashSet<string> _keys = new(StringComparer.Ordinal);
        private int _current = 1;

        public void Clear() => _current++;

        /// <summary>The key of string id <paramref name="id"/>.</summary>
        public string Add(int id)
        {
            var seen = _generation[id];
            if (seen == _current) throw new InvalidDataException($"the key '{image.String(id)}' appears twice in one run");
            _generation[id] = _current;
            if (seen != 0) return image.String(id);
            var key = image.Pool(id, context);
            return _keys.Add(key) ? key : throw new InvalidDataException($"the key '{key}' appears twice in the string table");
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

        /// <summary><paramref name="count"/> items of at least <paramref name="minBytes"/> each, checked to fit in what is left.</summary>
        public readonly int Count(int count, int minBytes) =>
            count >= 0 && (long)count * minBytes <= _bytes.Length - Position ? count : throw new InvalidDataException($"impossible count {count}");

        /// <summary>Moves past <paramref name="length"/> bytes; returns where they start.</summary>
        public int Skip(int length)
        {
            if (length < 0 || length > _bytes.Length - Position) throw new InvalidDataException($"{length} bytes at {Position} run past the end");
            var start = Position;
            Position += length;
            return start;
        }

        /// <summary>A string-table reference.</summary>
        public string String(RunIndexImage image) => image.String(image.Checked(Int32()));
    }
}
