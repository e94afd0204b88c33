using Parquet;
using Parquet.Schema;

namespace Qlib.Tracked.Artifacts;

/// <summary>
/// A columnar table stored as one Parquet file (predictions, labels, IC series, reports). The
/// static members replace the reflection ParquetSerializer would use (and which breaks under
/// NativeAOT): each table states its schema and moves its own columns.
/// Implementations decide their own thread safety; the built-in frames are safe to read concurrently while nobody writes their arrays.
/// </summary>
public interface IParquetTable<TSelf> where TSelf : IParquetTable<TSelf>
{
    /// <summary>The columns written, in file order. Loading checks a file has each of them with the same CLR type.</summary>
    static abstract ParquetSchema Schema { get; }

    /// <summary>The number of rows; every column has this many values.</summary>
    int RowCount { get; }

    /// <summary>Writes every column of <see cref="Schema"/> into <paramref name="group"/>.</summary>
    Task WriteColumnsAsync(ParquetRowGroupWriter group, CancellationToken cancellationToken);

    /// <summary>Builds the table from a file whose schema has already been checked against <see cref="Schema"/>.</summary>
    static abstract Task<TSelf> ReadColumnsAsync(ParquetTableReader reader, CancellationToken cancellationToken);
}
