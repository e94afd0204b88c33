using Qlib.Tracked.Entities;

namespace Qlib.Tracked.Stores.FileBacked.Index;

/// <summary>
/// How one kind of keyed file is laid out in a version-3 index file: per run a block of fixed-size records,
/// each <c>key id (int32), stamp (write ticks int64, length int64)</c> followed by the value. Fixed records let
/// <see cref="KeyedFiles{T}"/> find a key by scanning ints and decode only the value asked for.
/// </summary>
internal abstract class PersistedKeys<T>(RunIndexImage image, int recordSize)
{
    protected const int ValueOffset = 4 + 16;

    public RunIndexImage Image => image;
    public int RecordSize => recordSize;

    public string KeyAt(int records, int i) => image.Key(image.ReadInt32(records + i * recordSize));

    public FileStamp StampAt(int records, int i) => image.ReadStamp(records + i * recordSize + 4);

    public T ValueAt(int records, int i) => Decode(records + i * recordSize);

    /// <summary>The record holding <paramref name="key"/> among <paramref name="count"/> records, or -1.</summary>
    public int IndexOf(int records, int count, string key)
    {
        var id = image.KeyId(key);
        return id < 0 ? -1 : image.Memory.IndexOfInt32(records, count, recordSize, id);
    }

    protected abstract T Decode(int record);
}

/// <summary>A metric's latest point, inline: value (float64 bits, so NaN and infinities survive), timestamp, step.</summary>
internal sealed class PersistedMetrics(RunIndexImage image) : PersistedKeys<Metric>(image, Size)
{
    public const int Size = ValueOffset + 8 + 8 + 8;

    protected override Metric Decode(int record) =>
        new(Image.Key(Image.ReadInt32(record)), BitConverter.Int64BitsToDouble(Image.ReadInt64(record + ValueOffset)),
            Image.ReadInt64(record + ValueOffset + 8), Image.ReadInt64(record + ValueOffset + 16));
}

/// <summary>A param's or tag's exact text, as an id into the file's string table (values repeat a lot across runs).</summary>
internal sealed class PersistedTexts(RunIndexImage image) : PersistedKeys<string>(image, Size)
{
    public const int Size = ValueOffset + 4;

    protected override string Decode(int record) => Image.String(Image.ReadInt32(record + ValueOffset));
}
