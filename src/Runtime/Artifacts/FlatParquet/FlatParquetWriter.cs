using System.Buffers;
using System.Buffers.Binary;
using Parquet.Schema;

namespace Qlib.Tracked.Artifacts.FlatParquet;

/// <summary>
/// Writes a flat table of required columns (naive millisecond timestamps, strings, doubles, 32-bit integers) as
/// one row group of an uncompressed Parquet file: repeating columns dictionary-encoded (PLAIN dictionary page,
/// RLE_DICTIONARY data pages), the rest PLAIN, with min/max statistics. pandas/pyarrow, DuckDB, Spark and
/// Parquet.Net read it like any other Parquet file.
/// </summary>
/// <remarks>
/// Exists for speed: Parquet.Net 6.1 neither dictionary-encodes timestamps nor compresses per column, so its
/// smallest file of a 1.25 M-row prediction needs Snappy over the random scores, and its timestamp conversion
/// and string dictionary dominate the write. Reading opens the file with Parquet.Net and decodes chunks of this
/// layout with <see cref="FlatChunkReader"/> (see ParquetTableReader).
/// </remarks>
internal sealed class FlatParquetWriter : IFlatColumnSink
{
    /// <summary>Rows per data page: pages stay a few megabytes, which every reader buffers comfortably.</summary>
    public const int MaxRowsPerPage = 1 << 20;

    private readonly List<FlatColumn> _columns = [];

    public void Add(DateTimeDataField field, DateTime[] values)
    {
        if (field.DateTimeFormat != DateTimeFormat.Timestamp || field.Unit != DateTimeTimeUnit.Millis || field.IsAdjustedToUTC)
            throw new ArgumentException($"Column '{field.Name}': only naive millisecond timestamps are written here.", nameof(field));
        Add(field, new TimestampMillisColumn(field.Name, values));
    }

    public void Add(DataField<string> field, string[] values) => Add(field, new StringColumn(field.Name, values));

    public void Add(DataField<double> field, double[] values) => Add(field, new DoubleColumn(field.Name, values));

    public void Add(DataField<int> field, int[] values) => Add(field, new Int32Column(field.Name, values));

    private void Add(DataField field, FlatColumn column)
    {
        if (field.IsNullable || field.IsArray || field.Path.Length != 1)
            throw new ArgumentException($"Column '{field.Name}': only top-level, non-nullable, non-list columns are written here.", nameof(field));
        _columns.Add(column);
    }

    /// <summary>Writes the file; the columns must be <paramref name="schema"/>'s, in its order, all of one length.</summary>
    public void WriteTo(Stream destination, ParquetSchema schema, IReadOnlyDictionary<string, string> keyValueMetadata)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("The Parquet writer stores values in the machine's byte order, which must be little-endian.");
        CheckMatches(schema);
        var rows = _columns.Count == 0 ? 0 : _columns[0].RowCount;

        try
        {
            // One thread: encoding the 1.25 M-row prediction takes ~15 ms, and splitting its three columns over the
            // thread pool measured slower (29–43 ms vs 15–18 ms) on a 2-core machine that is busy with other work.
            foreach (var c in _columns) c.Encode();
            WriteEncoded(destination, rows, keyValueMetadata);
        }
        finally
        {
            foreach (var c in _columns) c.Release();
        }
    }

    private void WriteEncoded(Stream destination, int rows, IReadOnlyDictionary<string, string> keyValueMetadata)
    {

        var output = new CountingOutput(destination);
        output.Write(ParquetFormat.Magic);
        var chunks = new ColumnChunkInfo[_columns.Count];
        using var header = new PooledBufferWriter(64);
        using var scratch = new PooledBufferWriter();
        for (var c = 0; c < _columns.Count; c++)
        {
            var column = _columns[c];
            var start = output.Position;
            long? dictionaryOffset = null;
            if (column.Dictionary is { } dictionary)
            {
                dictionaryOffset = output.Position;
                WritePageHeader(header, ParquetFormat.DictionaryPage, dictionary.WrittenCount, column.DictionaryCount, encoding: ParquetFormat.Plain);
                output.Write(header.WrittenSpan);
                output.Write(dictionary.WrittenSpan);
            }
            var dataOffset = output.Position;
            var encoding = column.Dictionary is null ? ParquetFormat.Plain : ParquetFormat.RleDictionary;
            var first = 0;
            do
            {
                var count = Math.Min(MaxRowsPerPage, rows - first);
                var body = column.DataPage(first, count, scratch);
                WritePageHeader(header, ParquetFormat.DataPage, body.Length, count, encoding);
                output.Write(header.WrittenSpan);
                output.Write(body);
                first += count;
            }
            while (first < rows);
            chunks[c] = new ColumnChunkInfo(start, dataOffset, dictionaryOffset, output.Position - start, encoding);
        }

        using var footer = new PooledBufferWriter(1024);
        WriteFooter(new ThriftCompactWriter(footer), rows, chunks, keyValueMetadata);
        output.Write(footer.WrittenSpan);
        Span<byte> tail = stackalloc byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(tail, footer.WrittenCount);
        ParquetFormat.Magic.CopyTo(tail[4..]);
        output.Write(tail);
    }

    private void CheckMatches(ParquetSchema schema)
    {
        var fields = schema.DataFields;
        var names = string.Join(", ", _columns.Select(c => c.Name));
        if (fields.Length != _columns.Count || fields.Where((f, i) => f.Name != _columns[i].Name).Any())
            throw new InvalidOperationException($"The columns written ({names}) are not the schema's ({string.Join(", ", fields.Select(f => f.Name))}) in order.");
        if (_columns.Any(c => c.RowCount != _columns[0].RowCount))
            throw new InvalidOperationException($"The columns written have different lengths: {string.Join(", ", _columns.Select(c => c.Name + "=" + c.RowCount))}.");
    }

    private static void WritePageHeader(PooledBufferWriter header, int pageType, int size, int values, int encoding)
    {
        header.ResetWrittenCount();
        var thrift = new ThriftCompactWriter(header);
        thrift.StructBegin();
        thrift.FieldI32(1, pageType);
        thrift.FieldI32(2, size);   // uncompressed
        thrift.FieldI32(3, size);   // compressed: the same, no codec
        if (pageType == ParquetFormat.DataPage)
        {
            thrift.FieldStructBegin(5);
            thrift.FieldI32(1, values);
            thrift.FieldI32(2, encoding);
            thrift.FieldI32(3, ParquetFormat.Rle);   // definition levels (none: required column)
            thrift.FieldI32(4, ParquetFormat.Rle);   // repetition levels (none: flat column)
            thrift.StructEnd();
        }
        else
        {
            thrift.FieldStructBegin(7);
            thrift.FieldI32(1, values);
            thrift.FieldI32(2, encoding);
            thrift.StructEnd();
        }
        thrift.StructEnd();
    }

    private void WriteFooter(ThriftCompactWriter thrift, int rows, ColumnChunkInfo[] chunks, IReadOnlyDictionary<string, string> keyValueMetadata)
    {
        thrift.StructBegin();
        thrift.FieldI32(1, 1); // format version
        thrift.FieldStructListBegin(2, _columns.Count + 1);
        thrift.StructBegin();
        thrift.FieldString(4, "schema");
        thrift.FieldI32(5, _columns.Count);
        thrift.StructEnd();
        foreach (var column in _columns)
        {
            thrift.StructBegin();
            column.WriteSchemaElement(thrift);
            thrift.StructEnd();
        }
        thrift.FieldI64(3, rows);

        thrift.FieldStructListBegin(4, 1);
        thrift.StructBegin();
        thrift.FieldStructListBegin(1, _columns.Count);
        long totalBytes = 0;
        for (var c = 0; c < _columns.Count; c++)
        {
            WriteColumnChunk(thrift, _columns[c], chunks[c], rows);
            totalBytes += chunks[c].TotalBytes;
        }
        thrift.FieldI64(2, totalBytes);
        thrift.FieldI64(3, rows);
        if (chunks.Length > 0) thrift.FieldI64(5, chunks[0].Start);
        thrift.FieldI64(6, totalBytes);
        thrift.StructEnd();

        if (keyValueMetadata.Count > 0)
        {
            thrift.FieldStructListBegin(5, keyValueMetadata.Count);
            foreach (var (key, value) in keyValueMetadata)
            {
                thrift.StructBegin();
                thrift.FieldString(1, key);
                thrift.FieldString(2, value);
                thrift.StructEnd();
            }
        }
        thrift.FieldString(6, "Qlib.Tracked");
        // Column orders say the min_value/max_value statistics use each type's natural order (signed numbers,
        // byte-wise strings), which lets readers such as pyarrow and DuckDB trust them for pruning.
        thrift.FieldStructListBegin(7, _columns.Count);
        for (var c = 0; c < _columns.Count; c++)
        {
            thrift.StructBegin();
            thrift.FieldEmptyStruct(1); // TYPE_ORDER
            thrift.StructEnd();
        }
        thrift.StructEnd();
    }

    private static void WriteColumnChunk(ThriftCompactWriter thrift, FlatColumn column, ColumnChunkInfo chunk, int rows)
    {
        thrift.StructBegin();
        thrift.FieldI64(2, chunk.Start);
        thrift.FieldStructBegin(3);
        thrift.FieldI32(1, column.PhysicalType);
        thrift.FieldI32List(2, chunk.DataEncoding == ParquetFormat.Plain ? [ParquetFormat.Plain] : [ParquetFormat.Plain, ParquetFormat.RleDictionary]);
        thrift.FieldStringList(3, [column.Name]);
        thrift.FieldI32(4, ParquetFormat.Uncompressed);
        thrift.FieldI64(5, rows);
        thrift.FieldI64(6, chunk.TotalBytes);
        thrift.FieldI64(7, chunk.TotalBytes);
        thrift.FieldI64(9, chunk.DataOffset);
        if (chunk.DictionaryOffset is { } dictionaryOffset) thrift.FieldI64(11, dictionaryOffset);
        thrift.FieldStructBegin(12);
        if (column.Max is { } max && column.SignedStatistics) thrift.FieldBinary(1, max);
        if (column.Min is { } min && column.SignedStatistics) thrift.FieldBinary(2, min);
        thrift.FieldI64(3, 0); // null count
        if (column.Max is { } maxValue) thrift.FieldBinary(5, maxValue);
        if (column.Min is { } minValue) thrift.FieldBinary(6, minValue);
        thrift.StructEnd();
        thrift.StructEnd();
        thrift.StructEnd();
    }

    private readonly record struct ColumnChunkInfo(long Start, long DataOffset, long? DictionaryOffset, long TotalBytes, int DataEncoding);

    /// <summary>Tracks the file offset itself, so the destination need not be seekable.</summary>
    private sealed class CountingOutput(Stream stream)
    {
        public long Position { get; private set; }

        public void Write(ReadOnlySpan<byte> bytes)
        {
            stream.Write(bytes);
            Position += bytes.Length;
        }
    }
}
