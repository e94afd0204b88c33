using Parquet;
using Parquet.Schema;
using Qlib.Tracked.Artifacts;
using Qlib.Tracked.Entities;

namespace Qlib.Tracked.Export;

/// <summary>
/// A <see cref="RunsTable"/> as one Parquet file that pandas, Polars and DuckDB read as a plain table:
/// <c>run_id, run_name, experiment_id, status, start_time, end_time, lifecycle_stage, user_id, artifact_uri</c>
/// (strings, and the two times as UTC millisecond timestamps, <c>end_time</c> null while a run is
/// unfinished), then <c>params.&lt;k&gt;</c> (string), <c>metrics.&lt;k&gt;</c> (double) and <c>tags.&lt;k&gt;</c>
/// (string). Every params/metrics/tags column is nullable: null is a run without the key, which an empty
/// string or NaN would misstate.
/// Stateless; thread-safe.
/// </summary>
public static class RunsTableParquet
{
    private const string TableType = "RunsTable";

    /// <summary>Writes <paramref name="table"/> to <paramref name="destination"/> (one row group).</summary>
    public static void Write(RunsTable table, Stream destination)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(destination);
        AsyncBridge.Run(() => WriteAsync(table, destination, CancellationToken.None));
    }

    /// <summary>
    /// Writes <paramref name="table"/> to the file at <paramref name="path"/> through a temp file renamed into
    /// place, so a failed export leaves any earlier file whole.
    /// </summary>
    public static void Write(RunsTable table, string path)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(folder))
            throw TrackingException.DoesNotExist($"Cannot export to '{path}': the folder '{folder}' does not exist.");
        using var stream = new AtomicWriteStream(full);
        try
        {
            Write(table, stream);
        }
        catch
        {
            stream.Abort();
            throw;
        }
    }

    /// <summary>Reads a runs table file written by <see cref="Write(RunsTable, Stream)"/> (or by any tool with the same columns).</summary>
    public static RunsTable Read(Stream source, string name = "runs table")
    {
        ArgumentNullException.ThrowIfNull(source);
        var seekable = source.CanSeek ? source : new MemoryStream(ArtifactBytes.ReadAll(source), writable: false);
        return AsyncBridge.Run(() => ReadAsync(seekable, name, CancellationToken.None));
    }

    /// <summary>Reads the runs table file at <paramref name="path"/>.</summary>
    public static RunsTable Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var stream = File.OpenRead(path);
        return Read(stream, path);
    }

    // ----- write -----

    private static DataField<string> Text(string name, bool nullable) => new(name, nullable);

    private static DateTimeDataField Time(string name, bool nullable) =>
        new(name, DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Millis, isNullable: nullable);

    private static async Task WriteAsync(RunsTable table, Stream destination, CancellationToken ct)
    {
        var runs = table.Runs;
        var runId = Text("run_id", false);
        var runName = Text("run_name", false);
        var experimentId = Text("experiment_id", false);
        var status = Text("status", false);
        var startTime = Time("start_time", false);
        var endTime = Time("end_time", true);
        var lifecycle = Text("lifecycle_stage", false);
        var userId = Text("user_id", false);
        var artifactUri = Text("artifact_uri", false);
        var paramFields = table.ParamKeys.Select(k => Text(RunsTable.ParamPrefix + k, true)).ToArray();
        var metricFields = table.MetricKeys.Select(k => new DataField<double>(RunsTable.MetricPrefix + k, nullable: true)).ToArray();
        var tagFields = table.TagKeys.Select(k => Text(RunsTable.TagPrefix + k, true)).ToArray();

        var schema = new ParquetSchema(
            new Field[] { runId, runName, experimentId, status, startTime, endTime, lifecycle, userId, artifactUri }
                .Concat(paramFields).Concat(metricFields).Concat(tagFields));

        await using var writer = await ParquetWriter.CreateAsync(schema, destination, cancellationToken: ct).ConfigureAwait(false);
        writer.CustomMetadata = new Dictionary<string, string> { [ParquetTableMetadata.TableTypeKey] = TableType };
        using var group = writer.CreateRowGroup();
        await group.WriteAsync(runId, runs.Select(r => r.RunId).ToArray(), null).ConfigureAwait(false);
        await group.WriteAsync(runName, runs.Select(r => r.RunName).ToArray(), null).ConfigureAwait(false);
        await group.WriteAsync(experimentId, runs.Select(r => r.ExperimentId).ToArray(), null).ConfigureAwait(false);
        await group.WriteAsync(status, runs.Select(r => r.Status.ToMlflowString()).ToArray(), null).ConfigureAwait(false);
        await group.WriteAsync<DateTime>(startTime, runs.Select(r => FromEpochMs(r.StartTime)).ToArray(), null, null, ct).ConfigureAwait(false);
        await group.WriteAsync<DateTime>(endTime, runs.Select(r => r.EndTime is { } e ? FromEpochMs(e) : (DateTime?)null).ToArray(), null, null, ct).ConfigureAwait(false);
        await group.WriteAsync(lifecycle, runs.Select(r => r.LifecycleStage.ToMlflowString()).ToArray(), null).ConfigureAwait(false);
        await group.WriteAsync(userId, runs.Select(r => r.UserId).ToArray(), null).ConfigureAwait(false);
        await group.WriteAsync(artifactUri, runs.Select(r => r.ArtifactUri).ToArray(), null).ConfigureAwait(false);
        for (var k = 0; k < paramFields.Length; k++)
            await group.WriteAsync(paramFields[k], table.ParamColumns[k], null).ConfigureAwait(false);
        for (var k = 0; k < metricFields.Length; k++)
            await group.WriteAsync<double>(metricFields[k], table.MetricColumns[k], null, null, ct).ConfigureAwait(false);
        for (var k = 0; k < tagFields.Length; k++)
            await group.WriteAsync(tagFields[k], table.TagColumns[k], null).ConfigureAwait(false);
    }

    private static DateTime FromEpochMs(long ms) => DateTime.UnixEpoch.AddMilliseconds(ms);

    private static long ToEpochMs(DateTime time) => (time.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMillisecond;

    // ----- read -----

    private static async Task<RunsTable> ReadAsync(Stream source, string name, CancellationToken ct)
    {
        ParquetReader reader;
        try
        {
            reader = await ParquetReader.CreateAsync(source, leaveStreamOpen: true, cancellationToken: ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new ArtifactCorruptException(name, "Parquet", $"the footer cannot be read ({e.Message})", e);
        }
        await using (reader.ConfigureAwait(false))
        {
            var columns = new ParquetTableReader(reader, source, name);
            var fields = reader.Schema.DataFields;
            var missing = RunsTable.InfoColumnNames.Where(c => !Array.Exists(fields, f => f.Name == c)).ToArray();
            if (missing.Length > 0)
                throw new ArtifactTypeMismatchException(name, $"a Parquet table without the column(s) {string.Join(", ", missing)}", "a runs table");
            try
            {
                var runId = await columns.ReadStringsAsync("run_id", ct).ConfigureAwait(false);
                var runName = await columns.ReadStringsAsync("run_name", ct).ConfigureAwait(false);
                var experimentId = await columns.ReadStringsAsync("experiment_id", ct).ConfigureAwait(false);
                var status = await columns.ReadStringsAsync("status", ct).ConfigureAwait(false);
                var start = await columns.ReadNullableAsync<DateTime>("start_time", ct).ConfigureAwait(false);
                var end = await columns.ReadNullableAsync<DateTime>("end_time", ct).ConfigureAwait(false);
                var lifecycle = await columns.ReadStringsAsync("lifecycle_stage", ct).ConfigureAwait(false);
                var userId = await columns.ReadStringsAsync("user_id", ct).ConfigureAwait(false);
                var artifactUri = await columns.ReadStringsAsync("artifact_uri", ct).ConfigureAwait(false);

                var infos = new RunInfo[columns.RowCount];
                for (var i = 0; i < infos.Length; i++)
                {
                    if (!EntityNames.TryParseRunStatus(status[i], out var parsedStatus))
                        throw new ArtifactCorruptException(name, "Parquet", $"row {i} has status '{status[i]}', which is not an MLflow run status");
                    var stage = lifecycle[i] switch
                    {
                        "active" => LifecycleStage.Active,
                        "deleted" => LifecycleStage.Deleted,
                        _ => throw new ArtifactCorruptException(name, "Parquet", $"row {i} has lifecycle_stage '{lifecycle[i]}', not 'active' or 'deleted'"),
                    };
                    var startTime = start[i] ?? throw new ArtifactCorruptException(name, "Parquet", $"column 'start_time' is null at row {i}");
                    infos[i] = new RunInfo(runId[i], experimentId[i], runName[i], userId[i], parsedStatus, ToEpochMs(startTime),
                        end[i] is { } e ? ToEpochMs(e) : null, artifactUri[i], stage);
                }

                var (paramKeys, paramColumns) = await ReadPrefixed(fields, RunsTable.ParamPrefix, k => columns.ReadNullableStringsAsync(k, ct)).ConfigureAwait(false);
                var (metricKeys, metricColumns) = await ReadPrefixed(fields, RunsTable.MetricPrefix, k => columns.ReadNullableAsync<double>(k, ct)).ConfigureAwait(false);
                var (tagKeys, tagColumns) = await ReadPrefixed(fields, RunsTable.TagPrefix, k => columns.ReadNullableStringsAsync(k, ct)).ConfigureAwait(false);
                return new RunsTable(infos, paramKeys, paramColumns, metricKeys, metricColumns, tagKeys, tagColumns);
            }
            catch (Exception e) when (e is not TrackingException and not OperationCanceledException)
            {
                throw new ArtifactCorruptException(name, "Parquet", $"column data cannot be read ({e.Message})", e);
            }
        }
    }

    /// <summary>The columns named <paramref name="prefix"/>&lt;key&gt;, in file order, keyed without the prefix.</summary>
    private static async Task<(string[] Keys, T[][] Columns)> ReadPrefixed<T>(DataField[] fields, string prefix, Func<string, Task<T[]>> read)
    {
        var names = fields.Select(f => f.Name).Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.Length > prefix.Length).ToArray();
        var columns = new T[names.Length][];
        for (var k = 0; k < names.Length; k++) columns[k] = await read(names[k]).ConfigureAwait(false);
        return (names.Select(n => n[prefix.Length..]).ToArray(), columns);
    }
}
