using Parquet;
using Parquet.Schema;

namespace Qlib.Tracked.Artifacts;

/// <summary>
/// Whole-column reads across every row group of a Parquet file. Files written by other tools
/// (pandas, Spark) may split rows into groups and mark columns nullable; tables only see arrays.
/// </summary>
public sealed class ParquetTableReader
{
    private readonly ParquetReader _reader;

    internal ParquetTableReader(ParquetReader reader, string artifactName)
    {
        _reader = reader;
        ArtifactName = artifactName;
        long rows = 0;
        for (var g = 0; g < reader.RowGroupCount; g++) rows += reader.RowGroups[g].RowCount;
        RowCount = checked((int)rows);
    }

    public string ArtifactName { get; }

    public int RowCount { get; }

    /// <summary>A double column; nulls (pandas' missing values) become NaN, as pandas shows them.</summary>
    public Task<double[]> ReadDoublesAsync(string column, CancellationToken cancellationToken = default) =>
        ReadAsync<double>(column, double.NaN, cancellationToken);

    /// <summary>A timestamp column; a null is a corrupt file for a table that needs every row dated.</summary>
    public async Task<DateTime[]> ReadDateTimesAsync(string column, CancellationToken cancellationToken = default)
    {
        var values = await ReadAsync<DateTime>(column, null, cancellationToken).ConfigureAwait(false);
        // Qlib's datetimes are naive (no time zone): report them as such whatever the file's flag says.
        for (var i = 0; i < values.Length; i++) values[i] = DateTime.SpecifyKind(values[i], DateTimeKind.Unspecified);
        return values;
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
        var result = new string?[RowCount];
        var distinct = new StringInterner();
        var offset = 0;
        for (var g = 0; g < _reader.RowGroupCount; g++)
        {
            using var group = _reader.OpenRowGroupReader(g);
            var rows = checked((int)group.RowCount);
            if (field.IsNullable)
            {
                var values = new ReadOnlyMemory<char>?[rows];
                await group.ReadAsync<ReadOnlyMemory<char>>(field, values.AsMemory(), null, cancellationToken).ConfigureAwait(false);
                for (var i = 0; i < rows; i++)
                    result[offset + i] = values[i] is { } value ? distinct.Get(value.Span) : null;
            }
            else
            {
                var values = new ReadOnlyMemory<char>[rows];
                await group.ReadAsync<ReadOnlyMemory<char>>(field, values.AsMemory(), null, cancellationToken).ConfigureAwait(false);
                for (var i = 0; i < rows; i++) result[offset + i] = distinct.Get(values[i].Span);
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
