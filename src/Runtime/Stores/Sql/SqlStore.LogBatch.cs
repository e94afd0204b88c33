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
    /// <remarks>
    /// The points go in grouped by key, each key's points in the order given. MLflow's primary key on <c>metrics</c>
    /// starts with the key, so a batch that interleaves keys (one step of every key, then the next step) would send
    /// every insert to another part of that index; grouped, consecutive inserts land on the same pages (profiled:
    /// the B-tree seeks and page copies are most of a batch's cost). A key's history keeps its order; only the
    /// interleaving of different keys within one batch changes, and nothing reads that (histories are per key).
    /// </remarks>
    private void LogMetrics(DbConnection connection, DbTransaction transaction, string runId, IReadOnlyList<Metric> metrics)
    {
        var groups = new Dictionary<string, int>(StringComparer.Ordinal); // key → its group, in order of first appearance
        var latest = new List<(string Key, double Value, long Timestamp, long Step, bool IsNaN)>();
        var sizes = new List<int>();
        var groupOf = new int[metrics.Count];
        for (var i = 0; i < metrics.Count; i++)
        {
            var m = metrics[i];
            var (value, isNaN) = Stored(m.Value);
            if (!groups.TryGetValue(m.Key, out var group))
            {
                groups.Add(m.Key, group = groups.Count);
                latest.Add((m.Key, value, m.Timestamp, m.Step, isNaN));
                sizes.Add(0);
            }
            else
            {
                var best = latest[group];
                if ((m.Step, m.Timestamp, value).CompareTo((best.Step, best.Timestamp, best.Value)) > 0)
                    latest[group] = (m.Key, value, m.Timestamp, m.Step, isNaN);
            }
            groupOf[i] = group;
            sizes[group]++;
        }

        var insert = new RowInserter(_dialect, connection, transaction,
            "INSERT INTO metrics (\"key\", value, timestamp, run_uuid, step, is_nan) VALUES", "({0}, {1}, {2}, @run, {3}, {4})", 5,
            "ON CONFLICT DO NOTHING", ("@run", runId));
        foreach (var i in GroupedOrder(groupOf, sizes))
        {
            var m = metrics[i];
            var (value, isNaN) = Stored(m.Value);
            insert.Add(m.Key, value, m.Timestamp, m.Step, isNaN);
        }
        insert.Flush();
        var upsert = new RowInserter(_dialect, connection, transaction,
            "INSERT INTO latest_metrics (\"key\", value, timestamp, step, is_nan, run_uuid) VALUES", "({0}, {1}, {2}, {3}, {4}, @run)", 5,
            "ON CONFLICT (\"key\", run_uuid) DO UPDATE SET value = excluded.value, timestamp = excluded.timestamp, step = excluded.step, is_nan = excluded.is_nan " +
            "WHERE excluded.step > latest_metrics.step OR (excluded.step = latest_metrics.step AND " +
            "(latest_metrics.timestamp IS NULL OR excluded.timestamp > latest_metrics.timestamp OR " +
            "(excluded.timestamp = latest_metrics.timestamp AND excluded.value > latest_metrics.value)))", ("@run", runId));
        foreach (var point in latest) upsert.Add(point.Key, point.Value, point.Timestamp, point.Step, point.IsNaN);
        upsert.Flush();
    }

    /// <summary>The indexes 0..n-1 ordered by group, keeping their order within a group (a counting sort).</summary>
    private static int[] GroupedOrder(int[] groupOf, List<int> sizes)
    {
        var order = new int[groupOf.Length];
        if (sizes.Count == 1)
        {
            for (var i = 0; i < order.Length; i++) order[i] = i;
            return order;
        }
        var next = new int[sizes.Count];
        for (var g = 1; g < sizes.Count; g++) next[g] = next[g - 1] + sizes[g - 1];
        for (var i = 0; i < groupOf.Length; i++) order[next[groupOf[i]]++] = i;
        return order;
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
