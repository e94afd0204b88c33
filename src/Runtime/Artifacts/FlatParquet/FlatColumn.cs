using System.Buffers;

namespace Qlib.Tracked.Artifacts.FlatParquet;

/// <summary>
/// One required (non-null) column of a <see cref="FlatParquetWriter"/> file: how its schema element reads, and
/// its values encoded once into an optional dictionary page plus data pages.
/// </summary>
internal abstract class FlatColumn
{
    protected FlatColumn(string name, int rowCount)
    {
        Name = name;
        RowCount = rowCount;
    }

    public string Name { get; }

    public int RowCount { get; }

    /// <summary>Parquet's physical type (<see cref="ParquetFormat.PhysicalType"/>).</summary>
    public abstract int PhysicalType { get; }

    /// <summary>The PLAIN-encoded dictionary when the data pages hold indices into it; null for PLAIN data pages.</summary>
    public PooledBufferWriter? Dictionary { get; protected set; }

    public int DictionaryCount { get; protected set; }

    /// <summary>Statistics in Parquet's plain byte form; null when the column has no orderable value (empty, all NaN).</summary>
    public byte[]? Min { get; protected set; }

    public byte[]? Max { get; protected set; }

    /// <summary>
    /// Whether <see cref="Min"/>/<see cref="Max"/> may also go into Statistics' deprecated min/max fields, which
    /// readers compare as signed values (true for numbers, not for strings).
    /// </summary>
    public virtual bool SignedStatistics => true;

    /// <summary>Writes the schema element's fields (type, repetition, name, annotations) between its struct markers.</summary>
    public void WriteSchemaElement(ThriftCompactWriter thrift)
    {
        thrift.FieldI32(1, PhysicalType);
        thrift.FieldI32(3, ParquetFormat.Required);
        thrift.FieldString(4, Name);
        WriteAnnotations(thrift);
    }

    /// <summary>Converted type (field 6) and logical type (field 10), in that order; none by default.</summary>
    protected virtual void WriteAnnotations(ThriftCompactWriter thrift)
    {
    }

    /// <summary>Computes the dictionary (when values repeat) and the statistics; <see cref="DataPage"/> then cuts the pages.</summary>
    public abstract void Encode();

    /// <summary>Returns pooled buffers once the file is written (overrides call this too).</summary>
    public virtual void Release()
    {
        Dictionary?.Dispose();
        Dictionary = null;
    }

    /// <summary>The body of the data page holding rows <c>[start, start + count)</c>, PLAIN or dictionary indices.</summary>
    public abstract ReadOnlySpan<byte> DataPage(int start, int count, PooledBufferWriter scratch);
}
