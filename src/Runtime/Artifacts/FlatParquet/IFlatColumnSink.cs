using Parquet.Schema;

namespace Qlib.Tracked.Artifacts.FlatParquet;

/// <summary>
/// Where a built-in table adds its columns (<see cref="IFlatParquetTable.AddColumns"/>): the flat writer, or
/// Parquet.Net's row group for <see cref="IParquetTable{TSelf}.WriteColumnsAsync"/>. One column list per table
/// serves both.
/// </summary>
internal interface IFlatColumnSink
{
    void Add(DateTimeDataField field, DateTime[] values);

    void Add(DataField<string> field, string[] values);

    void Add(DataField<double> field, double[] values);

    void Add(DataField<int> field, int[] values);
}
