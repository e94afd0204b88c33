using System.Globalization;
using System.Text.Json;
using Parquet;
using Parquet.Schema;
using Qlib.Tracked.Formats.Python;

namespace Qlib.Tracked.Web.Previews;

/// <summary>
/// The first rows of any flat Parquet file (ours, pandas', DuckDB's), read column by column through
/// Parquet.Net's low-level row-group API. Values are shown as text: floats in their shortest round-trip
/// spelling, timestamps as ISO dates, nulls as JSON null. Nested (repeated) columns are listed but not read.
/// </summary>
internal static class ParquetPreview
{
    public static async Task WriteAsync(Utf8JsonWriter w, Stream source, int maxRows, CancellationToken ct)
    {
        await using var reader = await ParquetReader.CreateAsync(source, leaveStreamOpen: true, cancellationToken: ct).ConfigureAwait(false);
        var fields = reader.Schema.DataFields;
        long totalRows = 0;
        for (var g = 0; g < reader.RowGroupCount; g++) totalRows += reader.RowGroups[g].RowCount;
        var shown = (int)Math.Min(totalRows, maxRows);

        var cells = new string?[fields.Length][];
        for (var c = 0; c < fields.Length; c++) cells[c] = new string?[shown];
        var offset = 0;
        for (var g = 0; g < reader.RowGroupCount && offset < shown; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var rows = checked((int)group.RowCount);
            var take = Math.Min(rows, shown - offset);
            for (var c = 0; c < fields.Length; c++)
            {
                if (!IsFlat(fields[c])) continue;
                var values = await ReadColumnAsync(group, fields[c], rows, ct).ConfigureAwait(false);
                Array.Copy(values, 0, cells[c], offset, take);
            }
            offset += take;
        }

        w.WriteString("kind", "table");
        w.WriteNumber("total_rows", totalRows);
        w.WriteBoolean("truncated", totalRows > shown);
        w.WriteStartArray("columns");
        foreach (var field in fields)
        {
            w.WriteStartObject();
            w.WriteString("name", field.Path.ToString());
            w.WriteString("type", IsFlat(field) ? TypeName(field.ClrType) : "nested (not shown)");
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("rows");
        for (var r = 0; r < shown; r++)
        {
            w.WriteStartArray();
            for (var c = 0; c < fields.Length; c++) w.WriteStringValue(cells[c][r]);
            w.WriteEndArray();
        }
        w.WriteEndArray();
    }

    private static bool IsFlat(DataField field) => field.MaxRepetitionLevel == 0;

    private static async Task<string?[]> ReadColumnAsync(ParquetRowGroupReader group, DataField field, int rows, CancellationToken ct)
    {
        var type = field.ClrType;
        if (type == typeof(string) || type == typeof(ReadOnlyMemory<char>))
        {
            var strings = new string?[rows];
            await group.ReadAsync(field, strings.AsMemory(), null, ct).ConfigureAwait(false);
            return strings;
        }
        if (type == typeof(byte[]))
        {
            var bytes = new byte[]?[rows];
            await group.ReadAsync(field, bytes.AsMemory(), null, ct).ConfigureAwait(false);
            return Array.ConvertAll(bytes, b => b is null ? null : $"<{b.Length} bytes>");
        }
        return type switch
        {
            _ when type == typeof(double) => await ReadAsync<double>(group, field, rows, v => Format(v), ct).ConfigureAwait(false),
            _ when type == typeof(float) => await ReadAsync<float>(group, field, rows, v => Format(v), ct).ConfigureAwait(false),
            _ when type == typeof(int) => await ReadAsync<int>(group, field, rows, v => v.ToString(CultureInfo.InvariantCulture), ct).ConfigureAwait(false),
            _ when type == typeof(long) => await ReadAsync<long>(group, field, rows, v => v.ToString(CultureInfo.InvariantCulture), ct).ConfigureAwait(false),
            _ when type == typeof(short) => await ReadAsync<short>(group, field, rows, v => v.ToString(CultureInfo.InvariantCulture), ct).ConfigureAwait(false),
            _ when type == typeof(sbyte) => await ReadAsync<sbyte>(group, field, rows, v => v.ToString(CultureInfo.InvariantCulture), ct).ConfigureAwait(false),
            _ when type == typeof(byte) => await ReadAsync<byte>(group, field, rows, v => v.ToString(CultureInfo.InvariantCulture), ct).ConfigureAwait(false),
            _ when type == typeof(ushort) => await ReadAsync<ushort>(group, field, rows, v => v.ToString(CultureInfo.InvariantCulture), ct).ConfigureAwait(false),
            _ when type == typeof(uint) => await ReadAsync<uint>(group, field, rows, v => v.ToString(CultureInfo.InvariantCulture), ct).ConfigureAwait(false),
            _ when type == typeof(ulong) => await ReadAsync<ulong>(group, field, rows, v => v.ToString(CultureInfo.InvariantCulture), ct).ConfigureAwait(false),
            _ when type == typeof(bool) => await ReadAsync<bool>(group, field, rows, v => v ? "True" : "False", ct).ConfigureAwait(false),
            _ when type == typeof(decimal) => await ReadAsync<decimal>(group, field, rows, v => v.ToString(CultureInfo.InvariantCulture), ct).ConfigureAwait(false),
            _ when type == typeof(DateTime) => await ReadAsync<DateTime>(group, field, rows, Format, ct).ConfigureAwait(false),
            _ when type == typeof(DateOnly) => await ReadAsync<DateOnly>(group, field, rows, v => v.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ct).ConfigureAwait(false),
            _ when type == typeof(TimeSpan) => await ReadAsync<TimeSpan>(group, field, rows, v => v.ToString("c", CultureInfo.InvariantCulture), ct).ConfigureAwait(false),
            _ when type == typeof(TimeOnly) => await ReadAsync<TimeOnly>(group, field, rows, v => v.ToString("HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture), ct).ConfigureAwait(false),
            _ when type == typeof(Guid) => await ReadAsync<Guid>(group, field, rows, v => v.ToString(), ct).ConfigureAwait(false),
            _ => Enumerable.Repeat<string?>($"<{type.Name}>", rows).ToArray(),
        };
    }

    private static async Task<string?[]> ReadAsync<T>(ParquetRowGroupReader group, DataField field, int rows, Func<T, string> format, CancellationToken ct)
        where T : struct
    {
        var result = new string?[rows];
        if (field.IsNullable)
        {
            var values = new T?[rows];
            await group.ReadAsync<T>(field, values.AsMemory(), null, ct).ConfigureAwait(false);
            for (var i = 0; i < rows; i++) result[i] = values[i] is { } v ? format(v) : null;
        }
        else
        {
            var values = new T[rows];
            await group.ReadAsync<T>(field, values.AsMemory(), null, ct).ConfigureAwait(false);
            for (var i = 0; i < rows; i++) result[i] = format(values[i]);
        }
        return result;
    }

    private static string Format(double value) => PandasFloat.ToString(value);

    private static string Format(float value) => PandasFloat.ToString(value);

    private static string Format(DateTime value) => value.TimeOfDay == TimeSpan.Zero
        ? value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
        : value.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);

    private static string TypeName(Type type) => type == typeof(ReadOnlyMemory<char>) ? "String" : type.Name;
}
