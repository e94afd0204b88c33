using System.Data.Common;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores.Sql;
using Qlib.Tracked.Validation;

namespace Qlib.Tracked.Stores;

// The one write of run data, as one transaction: params (immutable), metrics (+ latest_metrics), tags.
public sealed partial class SqlStore
{
    /// <summary>What MLflow stores for ±inf (the column is a plain FLOAT).</summary>
    private const double StoredInfinity = double.MaxValue;

    /// <inheritdoc/>
    public void LogBatch(string runId, IReadOnlyList<Metric> metrics, IReadOnlyList<Param> parameters, IReadOnlyList<RunTag> tags)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(tags);
        MlflowValidation.ValidateRunId(runId);
        MlflowValidation.ValidateBatchLimits(metrics.Count, parameters.Count, tags.Count);
        foreach (var metric in metrics)
        {
            MlflowValidation.ValidateMetricKey(metric.Key);
            MlflowValidation.ValidateMetric(metric);
        }
        foreach (var param in parameters)
        {
            MlflowValidation.ValidateParamKey(param.Key);
            MlflowValidation.ValidateParamValue(param.Key, param.Value);
        }
        MlflowValidation.ValidateParamKeysUnique(parameters);
        foreach (var tag in tags) ValidateRunTag(tag);
        if (metrics.Count == 0 && parameters.Count == 0 && tags.Count == 0)
        {
            Read("check a run", (connection, transaction) => LoadActiveRunInfo(connection, transaction, runId));
            return;
        }

        Write("log a batch", (connection, transaction) =>
        {
            LoadActiveRunInfo(connection, transaction, runId);
            if (parameters.Count > 0) LogParams(connection, transaction, runId, parameters);
            if (metrics.Count > 0) LogMetrics(connection, transaction, runId, metrics);
            if (tags.Count > 0) SetTags(connection, transaction, runId, tags);
            return 0;
        });
    }

    /// <summary>MLflow 2.12's <c>tags.value</c> column is VARCHAR(5000): a longer value would fail on PostgreSQL, so it is refused on both engines.</summary>
    internal const int MaxRunTagValueLength = 5000;

    private static void ValidateRunTag(RunTag tag)
    {
        MlflowValidation.ValidateTagKey(tag.Key);
        MlflowValidation.ValidateTagValue(tag.Key, tag.Value);
        if (MlflowValidation.CodePointLength(tag.Value) > MaxRunTagValueLength)
            throw TrackingException.InvalidParameter(
                $"Tag value for key '{tag.Key}' is {MlflowValidation.CodePointLength(tag.Value)} characters long; MLflow 2.12's SQL store holds at most {MaxRunTagValueLength} (tags.value is VARCHAR({MaxRunTagValueLength})).");
    }

    /// <summary>
    /// Params are immutable: a key already logged with another value fails the whole batch (the transaction rolls
    /// back) with the file store's message; the same value again is a no-op. The check reads after inserting, so a
    /// concurrent writer of the same key cannot slip a different value past it.
    /// </summary>
    private void LogParams(DbConnection connection, DbTransaction transaction, string runId, IReadOnlyList<Param> parameters)
    {
        var insert = new RowInserter(_dialect, connection, transaction,
            "INSERT INTO params (\"key\", value, run_uuid) VALUES", "({0}, {1}, @run)", 2, "ON CONFLICT (\"key\", run_uuid) DO NOTHING", ("@run", runId));
        foreach (var p in parameters) insert.Add(p.Key, p.Value);
        insert.Flush();
        var stored = new Dictionary<string, string>(StringComparer.Ordinal);
        using (var read = SqlCommands.Create(connection, transaction, ""))
        {
            var keys = new List<string>(parameters.Count);
            foreach (var p in parameters) keys.Add(p.Key);
            read.CommandText = $"SELECT \"key\", value FROM params WHERE run_uuid = @run AND \"key\" IN ({read.InList("p", keys)})";
            read.With("@run", runId);
            using var reader = read.ExecuteReader();
            while (reader.Read()) stored[reader.GetString(0)] = reader.GetString(1);
        }
        foreach (var param in parameters)
        {
            if (stored.TryGetValue(param.Key, out var existing) && existing != param.Value)
                throw TrackingException.InvalidParameter(
                    $"Changing param values is not allowed. Param with key='{param.Key}' was already logged with value='{existing}' " +
                    $"for run ID='{runId}'. Attempted logging new value '{param.Value}'.");
        }
    }

    /// <summary>
    /// Appends the points (an exact duplicate of a stored row — same key, timestamp, step, value — is ignored, as
    /// MLflow's primary key makes it) and moves each key's <c>latest_metrics</c> row to the batch's latest point when
    /// that is later by MLflow's (step, timestamp, value) order on the stored values (a NaN counts as 0). The
    /// comparison runs inside the upsert, so concurrent batches on one run never lose the latest point.
    /// </summary>
    private void LogMetrics(DbConnection connection, DbTransaction transaction, string runId, IReadOnlyList<Metric> metrics)
    {
        var latest = new Dictionary<string, (double Value, long Timestamp, long Step, bool IsNaN)>(StringComparer.Ordinal);
        var insert = new RowInserter(_dialect, connection, transaction,
            "INSERT INTO metrics (\"key\", value, timestamp, run_uuid, step, is_nan) VALUES", "({0}, {1}, {2}, @run, {3}, {4})", 5,
            "ON CONFLICT DO NOTHING", ("@run", runId));
        foreach (var m in metrics)
        {
            var (value, isNaN) = Stored(m.Value);
            insert.Add(m.Key, value, m.Timestamp, m.Step, isNaN);
            if (!latest.TryGetValue(m.Key, out var best) || (m.Step, m.Timestamp, value).CompareTo((best.Step, best.Timestamp, best.Value)) > 0)
                latest[m.Key] = (value, m.Timestamp, m.Step, isNaN);
        }
        insert.Flush();
        var upsert = new RowInserter(_dialect, connection, transaction,
            "INSERT INTO latest_metrics (\"key\", value, timestamp, step, is_nan, run_uuid) VALUES", "({0}, {1}, {2}, {3}, {4}, @run)", 5,
            "ON CONFLICT (\"key\", run_uuid) DO UPDATE SET value = excluded.value, timestamp = excluded.timestamp, step = excluded.step, is_nan = excluded.is_nan " +
            "WHERE excluded.step > latest_metrics.step OR (excluded.step = latest_metrics.step AND " +
            "(latest_metrics.timestamp IS NULL OR excluded.timestamp > latest_metrics.timestamp OR " +
            "(excluded.timestamp = latest_metrics.timestamp AND excluded.value > latest_metrics.value)))", ("@run", runId));
        foreach (var (key, point) in latest) upsert.Add(key, point.Value, point.Timestamp, point.Step, point.IsNaN);
        upsert.Flush();
    }

    /// <summary>MLflow's stored form of a value: NaN → (0, is_nan), ±inf → ±max double.</summary>
    private static (double Value, bool IsNaN) Stored(double value) =>
        double.IsNaN(value) ? (0, true)
        : double.IsPositiveInfinity(value) ? (StoredInfinity, false)
        : double.IsNegativeInfinity(value) ? (-StoredInfinity, false)
        : (value, false);

    /// <summary>Tags overwrite; <c>mlflow.runName</c> also renames the run (kept in sync both ways, as MLflow).</summary>
    private void SetTags(DbConnection connection, DbTransaction transaction, string runId, IReadOnlyList<RunTag> tags)
    {
        string? newName = null;
        foreach (var tag in tags)
        {
            UpsertTag(connection, transaction, runId, tag.Key, tag.Value);
            if (tag.Key == RunNameTag) newName = tag.Value;
        }
        if (newName is null) return;
        using var rename = SqlCommands.Create(connection, transaction, "UPDATE runs SET name = @name WHERE run_uuid = @id").With("@name", newName).With("@id", runId);
        rename.ExecuteNonQuery();
    }
}
