using Qlib.Tracked.Artifacts.FlatParquet;

namespace Qlib.Tracked.Artifacts;

/// <summary>
/// A built-in table whose columns <see cref="FlatParquetWriter"/> can write (naive millisecond timestamps,
/// strings, doubles, 32-bit integers, none nullable). <see cref="ParquetTableSerializer{T}"/> then writes it
/// with that writer instead of Parquet.Net's; tables without it (user tables) keep
/// <see cref="IParquetTable{TSelf}.WriteColumnsAsync"/>, which a built-in table implements from the same column
/// list (<see cref="RowGroupColumns"/>).
/// </summary>
internal interface IFlatParquetTable
{
    /// <summary>Adds every column of the table's schema, in schema order.</summary>
    void AddColumns(IFlatColumnSink writer);
}
