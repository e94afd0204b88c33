using Parquet;
using Parquet.Schema;
using Qlib.Tracked.Artifacts.FlatParquet;

namespace Qlib.Tracked.Artifacts;

/// <summary>
/// Whole-column reads across every row group of a Parquet file. Files written by other tools
/// (pandas, Spark) may split rows into groups and mark columns nullable; tables only see arrays.
/// Not thread-safe: it reads one underlying stream; use it from the table's <c>ReadColumnsAsync</c> only, one call at a time.
/// </summary>
public sealed class ParquetTableReader
{
    private readonly ParquetReader _reader;
    private readonly Stream _source;

    internal ParquetTableReader(ParquetReader reader, Stream source, string artifactName)
    {
        _reader = reader;
        _source = source;
        ArtifactName = artifactName;
        long rows = 0;
        for (var g = 0; g < reader.RowGroupCount; g++) rows += reader.RowGroups[g].RowCount;
        RowCount = checked((int)rows);
    }

    /// <summary>The artifact being read, named in errors.</summary>
    public string ArtifactName { get; }

    /// <summary>The file's row count, summed over its row groups.</summary>
    public int RowCount { get; }

    /// <summary>A double column; nulls (pandas' missing values) become NaN, as pandas shows them.</summary>
    public Task<double[]> ReadDoublesAsync(string column, CancellationToken cancellationToken = default)
    {
        var field = Field(column);
        var values = LargeArrays.AllocateForOverwrite<double>(RowCount); // filled whole, or dropped
        if (field.SchemaElement?.Type == Parquet.Meta.Type.DOUBLE
            && (TryReadFlat(field, values, FlatChunkReader.TryReadPlainFixed) || TryReadFlat(field, values, PlainDecoders.Double)))
            return Task.FromResult(values);
        return ReadAsync<double>(column, double.NaN, cancellationToken);
    }

    /// <summary>
    /// Every row group's chunk of <paramref name="field"/> decoded by <see cref="FlatChunkReader"/>, when each of them
    /// has the layout it reads (our own files, and uncompressed ones from elsewhere); false to use Parquet.Net instead.
    /// </summary>
    private bool TryReadFlat<T>(DataField field, T[] output, FlatChunkReader.PlainDecoder<T> plain) =>
        TryReadFlat<T>(field, output, (stream, chunk, element, span) => FlatChunkReader.TryRead(stream, chunk, element, span, plain));

    private delegate bool ChunkReader<T>(Stream stream, Parquet.Meta.ColumnMetaData chunk, Parquet.Meta.SchemaElement element, Span<T> output);

    private bool TryReadFlat<T>(DataField field, T[] output, ChunkReader<T> readChunk)
    {
        if (!_source.CanSeek || field.IsNullable || field.Path.Length != 1 || field.SchemaElement is not { } element || _reader.Metadata is not { } metadata)
            return false;
        var offset = 0;
        foreach (var group in metadata.RowGroups)
        {
            var chunk = group.Columns.Find(c => c.MetaData?.PathInSchema is [var name] && name == field.Name)?.MetaData;
            if (chunk is null || group.NumRows > output.Length - offset) return false;
            var rows = (int)group.NumRows;
            if (!readChunk(_source, chunk, element, output.AsSpan(offset, rows))) return false;
            offset += rows;
        }
        return offset == output.Length;
    }

    /// <summary>A timestamp column; a null is a corrupt file for a table that needs every row dated.</summary>
    public async Task<DateTime[]> ReadDateTimesAsync(string column, CancellationToken cancellationToken = default)
    {
        var field = Field(column);
        if (IsMillisecondTimestamp(field)) return await ReadMillisecondTimestampsAsync(field, cancellationToken).ConfigureAwait(false);
        var values = await ReadAsync<DateTime>(column, null, cancellationToken).ConfigureAwait(false);
        // Qlib's datetimes are naive (no time zone): report them as such whatever the file's flag says.
        for (var i = 0; i < values.Length; i++) values[i] = DateTime.SpecifyKind(values[i], DateTimeKind.Unspecified);
        return values;
    }

    /// <summary>
    /// INT64 milliseconds (our frames' unit, and pyarrow's for <c>timestamp[ms]</c>): the stored numbers are
    /// read as they are and turned into DateTimes here, which is several times cheaper than Parquet.Net's own
    /// conversion of a million-row column.
    /// </summary>
    private static bool IsMillisecondTimestamp(DataField field) =>
        field is DateTimeDataField && field.Path.Length == 1 && !field.IsArray
        && field.SchemaElement is { Type: Parquet.Meta.Type.INT64 } element
        && (element.LogicalType?.TIMESTAMP?.Unit?.MILLIS is not null
            || (element.LogicalType is null && element.ConvertedType == Parquet.Meta.ConvertedType.TIMESTAMP_MILLIS));

    private async Task<DateTime[]> ReadMillisecondTimestampsAsync(DataField field, CancellationToken cancellationToken)
    {
        // The same column seen as plain INT64: Parquet.Net reads a field only once it belongs to a schema.
        var raw = new DataField<long>(field.Name, field.IsNullable);
        _ = new ParquetSchema(raw);
        var result = LargeArrays.AllocateForOverwrite<DateTime>(RowCount); // every row is set below
        if (TryReadFlat(field, result, PlainDecoders.UnixMillis)) return result;
        var millis = new long[RowCount];
        var offset = 0;
        for (var g = 0; g < _reader.RowGroupCount; g++)
        {
            using var group = _reader.OpenRowGroupReader(g);
            var rows = checked((int)group.RowCount);
            if (field.IsNullable)
            {
                var nullable = new long?[rows];
                await group.ReadAsync<long>(raw, nullable.AsMemory(), null, cancellationToken).ConfigureAwait(false);
                for (var i = 0; i < rows; i++) millis[offset + i] = nullable[i] ?? throw NullAt(field.Name, offset + i);
            }
            else
            {
                await group.ReadAsync<long>(raw, millis.AsMemory(offset, rows), null, cancellationToken).ConfigureAwait(false);
            }
            offset += rows;
        }
        for (var i = 0; i < millis.Length; i++)
        {
            var ms = millis[i];
            if (ms < PlainDecoders.MinUnixMillis || ms > PlainDecoders.MaxUnixMillis)
                throw new ArtifactCorruptException(ArtifactName, "Parquet", $"column '{field.Name}' holds {ms} ms at row {i}, outside the dates a DateTime can hold");
            result[i] = new DateTime(DateTime.UnixEpoch.Ticks + ms * TimeSpan.TicksPerMillisecond, DateTimeKind.Unspecified);
        }
        return result;
    }

    /// <summary>A string column; nulls are rejected as corrupt.</summary>
    public async Task<string[]> ReadStringsAsync(string column, CancellationToken cancellationToken = default)
    {
        var result = await ReadNullableStringsAsync(column, cancellationToken).ConfigureAwait(false);
        var missing = Array.IndexOf(result, null);
        if (missing >= 0) throw NullAt(column, missing);
        return result!;
    }

    /// <summary>
    /// A string column whose nulls are kept (a missing value, not corruption). Each distinct value becomes one
    /// string shared by every row holding it: the values are decoded as character slices and looked up in a
    /// small table, because a frame's strings (instruments) repeat once per date and a new string per row would
    /// make a million-row read mostly allocation and garbage collection.
    /// </summary>
    public async Task<string?[]> ReadNullableStringsAsync(string column, CancellationToken cancellationToken = default)
    {
        var field = Field(column);
        var result = LargeArrays.Allocate<string?>(RowCount);
        var distinct = new StringInterner();
        if (field.SchemaElement?.Type == Parquet.Meta.Type.BYTE_ARRAY && TryReadFlat(field, result, PlainDecoders.Strings(distinct))) return result;
        var offset = 0;
        for (var g = 0; g < _reader.RowGroupCount; g++)
        {
            using var group = _reader.OpenRowGroupReader(g);
            var rows = checked((int)group.RowCount);
            // Per row group: the slices' buffers are only known to hold their value while this read's results live.
            var slices = new SliceInterner(distinct);
            if (field.IsNullable)
            {
                var values = new ReadOnlyMemory<char>?[rows];
                await group.ReadAsync<ReadOnlyMemory<char>>(field, values.AsMemory(), null, cancellationToken).ConfigureAwait(false);
                for (var i = 0; i < rows; i++)
                    result[offset + i] = values[i] is { } value ? slices.Get(value) : null;
            }
            else
            {
                var values = new ReadOnlyMemory<char>[rows];
                await group.ReadAsync<ReadOnlyMemory<char>>(field, values.AsMemory(), null, cancellationToken).ConfigureAwait(false);
                for (var i = 0; i < rows; i++) result[offset + i] = slices.Get(values[i]);
            }
            offset += rows;
        }
        return result;
    }

    /// <summary>A column of unmanaged values whose nulls are kept as null.</summary>
    public async Task<T?[]> ReadNullableAsync<T>(string column, CancellationToken cancellationToken = default)
        where T : struct
    {
        var field = Field(column);
        var result = new T?[RowCount];
        var offset = 0;
        for (var g = 0; g < _reader.RowGroupCount; g++)
        {
            using var group = _reader.OpenRowGroupReader(g);
            var rows = checked((int)group.RowCount);
            if (field.IsNullable)
            {
                await group.ReadAsync<T>(field, result.AsMemory(offset, rows), null, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var values = new T[rows];
                await group.ReadAsync<T>(field, values.AsMemory(), null, cancellationToken).ConfigureAwait(false);
                for (var i = 0; i < rows; i++) result[offset + i] = values[i];
            }
            offset += rows;
        }
        return result;
    }

    /// <summary>A column of unmanaged values; a null becomes <paramref name="valueForNull"/> or, when that is null, an error.</summary>
    public async Task<T[]> ReadAsync<T>(string column, T? valueForNull = null, CancellationToken cancellationToken = default)
        where T : struct
    {
        var field = Field(column);
        var result = new T[RowCount];
        var offset = 0;
        for (var g = 0; g < _reader.RowGroupCount; g++)
        {
            using var group = _reader.OpenRowGroupReader(g);
            var rows = checked((int)group.RowCount);
            if (field.IsNullable)
            {
                var nullable = new T?[rows];
                await group.ReadAsync<T>(field, nullable.AsMemory(), null, cancellationToken).ConfigureAwait(false);
                for (var i = 0; i < rows; i++)
                    result[offset + i] = nullable[i] ?? valueForNull ?? throw NullAt(column, offset + i);
            }
            else
            {
                await group.ReadAsync<T>(field, result.AsMemory(offset, rows), null, cancellationToken).ConfigureAwait(false);
            }
            offset += rows;
        }
        return result;
    }

    private DataField Field(string column) =>
        Array.Find(_reader.Schema.DataFields, f => f.Name == column)
        ?? throw new ArtifactTypeMismatchException(ArtifactName, "a Parquet table without column '" + column + "'", "a table that reads it");

    private ArtifactCorruptException NullAt(string column, int row) =>
        new(ArtifactName, "Parquet", $"column '{column}' is null at row {row}, which this table does not allow");
}
