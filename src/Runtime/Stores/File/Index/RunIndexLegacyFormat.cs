using System.Text;
using Qlib.Tracked.Entities;

namespace Qlib.Tracked.Stores.FileBacked.Index;

/// <summary>
/// Reads index files of format versions 1 and 2 (written before the lazily loaded version 3): every run's keys,
/// values and stamps inline, decoded in full at load. Kept so an existing index still saves the first query's
/// rebuild; the store writes version 3 over it after loading.
/// </summary>
internal static class RunIndexLegacyFormat
{
    public const int Version = 2;

    // Version 1 had no key-folder stamps; its entries load with them unknown (each folder is listed once more).
    public const int VersionWithoutFolderStamps = 1;

    public static void Load(byte[] bytes, int offset, ExperimentRunIndex index, RunIndexContext context)
    {
        // The stream covers the whole file and starts at the payload, so positions are offsets into `bytes`.
        var payload = bytes;
        using var r = new BinaryReader(new MemoryStream(bytes, writable: false) { Position = offset }, Encoding.UTF8);
        var strings = new PooledStringReader(r, payload, context);
        var version = r.ReadInt32();
        if (version != Version && version != VersionWithoutFolderStamps) throw new InvalidDataException($"format version {version}, expected {Version}");
        var listing = ReadStamp(r);
        var count = ReadCount(r);
        var entries = new Dictionary<string, RunIndexEntry>(count, StringComparer.Ordinal);
        for (var n = 0; n < count; n++)
        {
            var entry = new RunIndexEntry(strings.ReadValue()) { Built = r.ReadBoolean(), MetaStamp = ReadStamp(r) };
            RunIndexFormat.CheckFolderName(entry.FolderName);
            if (r.ReadBoolean())
            {
                entry.Info = new RunInfo(
                    strings.ReadValue(), strings.ReadValue(), strings.ReadValue(), strings.ReadValue(), RunIndexFormat.CheckStatus(r.ReadInt32()), r.ReadInt64(),
                    ReadNullable(r), strings.ReadValue(), RunIndexFormat.CheckStage(r.ReadInt32()), ReadNullable(r));
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
            if (version == Version)
            {
                entry.MetricFolders = ReadFolders(r);
                entry.ParamFolders = ReadFolders(r);
                entry.TagFolders = ReadFolders(r);
            }
            if (!entries.TryAdd(entry.FolderName, entry)) throw new InvalidDataException($"the run folder '{entry.FolderName}' appears twice");
        }
        if (r.BaseStream.Position != payload.Length) throw new InvalidDataException("trailing bytes after the last run");
        lock (index.Sync)
        {
            index.Entries = entries;
            index.ListingStamp = listing;
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
            RunIndexFormat.CheckKeyFolderPath(paths[i], i);
            stamps[i] = ReadStamp(r);
        }
        return new FolderStamps(paths, stamps);
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

    private static FileStamp ReadStamp(BinaryReader r) => new(r.ReadInt64(), r.ReadInt64());

    private static long? ReadNullable(BinaryReader r)
    {
        var has = r.ReadBoolean();
        var value = r.ReadInt64();
        return has ? value : null;
    }
}
