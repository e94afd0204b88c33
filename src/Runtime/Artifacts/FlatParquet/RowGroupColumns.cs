using Parquet;
using Parquet.Schema;

namespace Qlib.Tracked.Artifacts.FlatParquet;

/// <summary>
/// A built-in table's columns written through Parquet.Net (its <see cref="IParquetTable{TSelf}.WriteColumnsAsync"/>,
/// for callers that write row groups themselves): the columns <see cref="IFlatParquetTable.AddColumns"/> lists, in
/// that order.
/// </summary>
internal sealed class RowGroupColumns : IFlatColumnSink
{
    private readonly List<Func<ParquetRowGroupWriter, CancellationToken, Task>> _writes = [];

    public static async Task WriteAsync(IFlatParquetTable table, ParquetRowGroupWriter group, CancellationToken cancellationToken)
    {
        var columns = new RowGroupColumns();
        table.AddColumns(columns);
        foreach (var write in columns._writes) await write(group, cancellationToken).ConfigureAwait(false);
    }

    public void Add(DateTimeDataField field, DateTime[] values) =>
        _writes.Add((group, ct) => group.WriteAsync<DateTime>(field, values, null, null, ct));

    public void Add(DataField<string> field, string[] values) =>
        _writes.Add((group, _) => group.WriteAsync(field, values, null));

    public void Add(DataField<double> field, double[] values) =>
        _writes.Add((group, ct) => group.WriteAsync<double>(field, values, null, null, ct));

    public void Add(DataField<int> field, int[] values) =>
        _writes.Add((group, ct) => group.WriteAsync<int>(field, values, null, null, ct));
}
