using System.Data.Common;
using System.Globalization;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores.FileBacked;
using Qlib.Tracked.Stores.Sql;
using Qlib.Tracked.Validation;

namespace Qlib.Tracked.Stores;

// Runs: create, read (info + latest metrics + params + tags + inputs), update, delete/restore, tag delete, history.
public sealed partial class SqlStore
{
    private const string RunNameTag = "mlflow.runName";
    private const string RunColumns = "run_uuid, experiment_id, name, user_id, status, start_time, end_time, artifact_uri, lifecycle_stage, deleted_time";

    /// <inheritdoc/>
    public Run CreateRun(string experimentId, string? userId, long startTime, IReadOnlyList<RunTag>? tags, string? runName)
    {
        MlflowValidation.ValidateExperimentId(experimentId);
        tags ??= [];
        foreach (var tag in tags) ValidateRunTag(tag);
        string? tagName = null;
        foreach (var tag in tags)
        {
            if (tag.Key == RunNameTag) tagName = tag.Value;
        }
        if (runName is not null && tagName is not null && runName != tagName)
            throw TrackingException.InvalidParameter(
                $"Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different values (run_name='{runName}', mlflow.runName='{tagName}').");
        var name = runName ?? tagName ?? RunNames.Next();

        return Write("create a run", (connection, transaction) =>
        {
            var (location, stage) = ExperimentLocationAndStage(connection, transaction, experimentId) ?? throw ExperimentNotFound(experimentId);
            if (stage != LifecycleStage.Active)
                throw TrackingException.InvalidState($"Could not create run under non-active experiment with ID {experimentId}.");
            var runId = Guid.NewGuid().ToString("N");
            var info = new RunInfo(runId, experimentId, name, userId ?? "unknown", RunStatus.Running, startTime, null,
                AppendUriPath(location, runId, "artifacts"), LifecycleStage.Active);
            // The columns MLflow fills for a run it creates (source "UNKNOWN", empty source name and version).
            _dialect.Statement(connection, transaction,
                    "INSERT INTO runs (run_uuid, name, source_type, source_name, entry_point_name, user_id, status, start_time, end_time, " +
                    "source_version, lifecycle_stage, artifact_uri, experiment_id, deleted_time) VALUES " +
                    "(@id, @name, 'UNKNOWN', '', '', @user, 'RUNNING', @start, NULL, '', 'active', @artifacts, @experiment, NULL)")
                .With("@id", runId).With("@name", name).With("@user", info.UserId).With("@start", startTime)
                .With("@artifacts", info.ArtifactUri).With("@experiment", ExperimentKey(experimentId))
                .ExecuteNonQuery();
            var allTags = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var tag in tags) allTags[tag.Key] = tag.Value;
            allTags[RunNameTag] = name; // MLflow always records the name as a tag too
            // A new run has no tags yet, so a plain insert (keys are distinct).
            var insertTags = new RowInserter(_dialect, connection, transaction, "INSERT INTO tags (\"key\", value, run_uuid) VALUES", "({0}, {1}, @run)", 2, "",
                ("@run", runId));
            foreach (var (key, value) in allTags) insertTags.Add(key, value);
            insertTags.Flush();
            return new Run(info, new RunData(new Dictionary<string, Metric>(), new Dictionary<string, string>(), allTags), []);
        });
    }

    /// <inheritdoc/>
    public Run GetRun(string runId)
    {
        MlflowValidation.ValidateRunId(runId);
        return Read("read a run", (connection, transaction) =>
        {
            var runs = LoadRuns(connection, transaction, "run_uuid = @run", command => command.With("@run", runId), withInputs: true);
            return runs.Count == 1 ? runs[0] : throw RunNotFound(runId);
        });
    }

    /// <inheritdoc/>
    public RunInfo UpdateRunInfo(string runId, RunStatus status, long? endTime, string? runName)
    {
        MlflowValidation.ValidateRunId(runId);
        if (runName is not null) ValidateRunTag(new RunTag(RunNameTag, runName));
        return Write("update a run", (connection, transaction) =>
        {
            // One statement updates the active run and returns it (profiled: a run's end is a few statements, so a
            // separate read first was a large part of it); no row means unknown or deleted, which the read below tells apart.
            RunInfo? updated = null;
            var update = _dialect.Statement(connection, transaction,
                    "UPDATE runs SET status = @status, end_time = @end, name = COALESCE(@name, name) " +
                    $"WHERE run_uuid = @id AND lifecycle_stage = 'active' RETURNING {RunColumns}")
                .With("@status", status.ToMlflowString()).With("@end", endTime).With("@name", runName).With("@id", runId);
            using (var reader = update.ExecuteReader())
            {
                if (reader.Read()) updated = ReadRunInfo(reader);
            }
            if (updated is null)
            {
                // Throws for an unknown or deleted run; a run another writer restored meanwhile is updated by the plain statement.
                var info = LoadActiveRunInfo(connection, transaction, runId);
                updated = info with { Status = status, EndTime = endTime, RunName = runName ?? info.RunName };
                _dialect.Statement(connection, transaction, "UPDATE runs SET status = @status, end_time = @end, name = @name WHERE run_uuid = @id")
                    .With("@status", status.ToMlflowString()).With("@end", endTime).With("@name", updated.RunName).With("@id", runId)
                    .ExecuteNonQuery();
            }
            if (runName is not null) UpsertTag(connection, transaction, runId, RunNameTag, runName);
            return updated;
        });
    }

    /// <inheritdoc/>
    public void DeleteRun(string runId) => SetRunStage(runId, "deleted", NowMillis());

    /// <inheritdoc/>
    public void RestoreRun(string runId) => SetRunStage(runId, "active", null);

    private void SetRunStage(string runId, string stage, long? deletedTime)
    {
        MlflowValidation.ValidateRunId(runId);
        Write(stage == "deleted" ? "delete a run" : "restore a run", (connection, transaction) =>
        {
            using var update = SqlCommands.Create(connection, transaction,
                "UPDATE runs SET lifecycle_stage = @stage, deleted_time = @time WHERE run_uuid = @id")
                .With("@stage", stage).With("@time", deletedTime).With("@id", runId);
            return update.ExecuteNonQuery() == 1 ? 0 : throw RunNotFound(runId);
        });
    }

    /// <inheritdoc/>
    public void DeleteTag(string runId, string key)
    {
        MlflowValidation.ValidateRunId(runId);
        MlflowValidation.ValidateTagKey(key);
        Write("delete a tag", (connection, transaction) =>
        {
            LoadActiveRunInfo(connection, transaction, runId);
            using var delete = SqlCommands.Create(connection, transaction, "DELETE FROM tags WHERE run_uuid = @id AND \"key\" = @key")
                .With("@id", runId).With("@key", key);
            return delete.ExecuteNonQuery() > 0 ? 0 : throw TrackingException.DoesNotExist($"No tag with name: {key} in run with id {runId}");
        });
    }

    /// <summary>Every stored point in insertion order; a NaN reads back as NaN, ±inf as ±<see cref="double.MaxValue"/> (what MLflow stored).</summary>
    public IReadOnlyList<Metric> GetMetricHistory(string runId, string metricKey)
    {
        MlflowValidation.ValidateRunId(runId);
        MlflowValidation.ValidateMetricKey(metricKey);
        return Read("read a metric history", (connection, transaction) =>
        {
            RequireRun(connection, transaction, runId);
            var history = new List<Metric>();
            _dialect.ReadMetricHistory(connection, transaction, runId, metricKey, history);
            return history;
        });
    }

    /// <summary>One page of <see cref="GetMetricHistory(string, string)"/>, read with LIMIT/OFFSET in the same insertion order.</summary>
    public IReadOnlyList<Metric> GetMetricHistory(string runId, string metricKey, int offset, int maxPoints)
    {
        MlflowValidation.ValidateRunId(runId);
        MlflowValidation.ValidateMetricKey(metricKey);
        MetricHistoryRange.Validate(offset, maxPoints);
        return Read("read a metric history", (connection, transaction) =>
        {
            RequireRun(connection, transaction, runId);
            var history = new List<Metric>(Math.Min(maxPoints, 64 * 1024));
            if (maxPoints > 0) _dialect.ReadMetricHistory(connection, transaction, runId, metricKey, history, offset, maxPoints);
            return history;
        });
    }

    // ----- helpers -----

    private static TrackingException RunNotFound(string runId) => TrackingException.DoesNotExist($"Run '{runId}' not found");

    private void RequireRun(DbConnection connection, DbTransaction transaction, string runId)
    {
        var command = _dialect.Statement(connection, transaction, "SELECT COUNT(*) FROM runs WHERE run_uuid = @id").With("@id", runId);
        if (Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture) == 0) throw RunNotFound(runId);
    }

    /// <summary>The run's info; RESOURCE_DOES_NOT_EXIST when unknown, INVALID_PARAMETER_VALUE when deleted (MLflow's check_run_is_active).</summary>
    private RunInfo LoadActiveRunInfo(DbConnection connection, DbTransaction transaction, string runId)
    {
        var command = _dialect.Statement(connection, transaction, $"SELECT {RunColumns} FROM runs WHERE run_uuid = @id").With("@id", runId);
        using var reader = command.ExecuteReader();
        if (!reader.Read()) throw RunNotFound(runId);
        var info = ReadRunInfo(reader);
        if (info.LifecycleStage != LifecycleStage.Active)
            throw TrackingException.InvalidParameter(
                $"The run {runId} must be in the 'active' state. Current state is {info.LifecycleStage.ToMlflowString()}.");
        return info;
    }

    private void UpsertTag(DbConnection connection, DbTransaction transaction, string runId, string key, string value)
    {
        var command = _dialect.Statement(connection, transaction,
            "INSERT INTO tags (\"key\", value, run_uuid) VALUES (@key, @value, @id) ON CONFLICT (\"key\", run_uuid) DO UPDATE SET value = excluded.value")
            .With("@key", key).With("@value", value).With("@id", runId);
        command.ExecuteNonQuery();
    }

    /// <summary>A runs row (<see cref="RunColumns"/>) as MLflow's RunInfo.</summary>
    private static RunInfo ReadRunInfo(DbDataReader reader)
    {
        var runId = reader.GetString(0);
        var statusText = reader.NullableString(4) ?? "";
        if (!EntityNames.TryParseRunStatus(statusText, out var status))
            throw new TrackingException(ErrorCode.InternalError, $"Run '{runId}' has the status '{statusText}', which is not an MLflow run status.");
        return new RunInfo(
            runId,
            reader.NullableInt64(1)?.ToString(CultureInfo.InvariantCulture) ?? "",
            reader.NullableString(2) ?? "",
            reader.NullableString(3) ?? "",
            status,
            reader.NullableInt64(5) ?? 0,
            reader.NullableInt64(6),
            reader.NullableString(7) ?? "",
            reader.NullableString(8) == "deleted" ? LifecycleStage.Deleted : LifecycleStage.Active,
            reader.NullableInt64(9));
    }

    /// <summary>
    /// The runs matching <paramref name="where"/> (a condition on the runs table with parameters added by
    /// <paramref name="bind"/>), each with its latest metrics, params, tags and (when asked) dataset inputs: one query
    /// per table, whatever the number of runs. With <paramref name="only"/>, just the keys it names are read (what a
    /// search's filter and order need).
    /// </summary>
    private List<Run> LoadRuns(DbConnection connection, DbTransaction transaction, string where, Action<DbCommand> bind, bool withInputs,
        SearchKeys? only = null)
    {
        var infos = new List<RunInfo>();
        using (var command = SqlCommands.Create(connection, transaction, $"SELECT {RunColumns} FROM runs WHERE {where}"))
        {
            bind(command);
            using var reader = command.ExecuteReader();
            while (reader.Read()) infos.Add(ReadRunInfo(reader));
        }
        var data = new Dictionary<string, RunParts>(infos.Count, StringComparer.Ordinal);
        foreach (var info in infos) data[info.RunId] = new RunParts();
        if (infos.Count == 0) return [];
        var runsOf = $"SELECT run_uuid FROM runs WHERE {where}";

        if (only is null || only.Metrics.Count > 0)
        {
            using var command = SqlCommands.Create(connection, transaction,
                $"SELECT run_uuid, \"key\", value, timestamp, step, is_nan FROM latest_metrics WHERE run_uuid IN ({runsOf})");
            bind(command);
            if (only is not null) command.CommandText += $" AND \"key\" IN ({command.InList("mk", only.Metrics)})";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                if (!data.TryGetValue(reader.GetString(0), out var run)) continue; // a run created since the first query
                var key = reader.GetString(1);
                run.Metrics[key] = new Metric(key, reader.Boolean(5) ? double.NaN : reader.GetDouble(2), reader.NullableInt64(3) ?? 0, reader.NullableInt64(4) ?? 0);
            }
        }
        if (only is null || only.Params.Count > 0)
            ReadKeyValues(connection, transaction, $"SELECT run_uuid, \"key\", value FROM params WHERE run_uuid IN ({runsOf})", bind, only?.Params, data, static d => d.Params);
        if (only is null || only.Tags.Count > 0)
            ReadKeyValues(connection, transaction, $"SELECT run_uuid, \"key\", value FROM tags WHERE run_uuid IN ({runsOf})", bind, only?.Tags, data, static d => d.Tags);
        if (withInputs) ReadInputs(connection, transaction, runsOf, bind, data);

        return infos.ConvertAll(info =>
        {
            var d = data[info.RunId];
            return new Run(info, new RunData(d.Metrics, d.Params, d.Tags), d.Inputs);
        });
    }

    private static void ReadKeyValues(DbConnection connection, DbTransaction transaction, string sql, Action<DbCommand> bind,
        IReadOnlyList<string>? keys, Dictionary<string, RunParts> data, Func<RunParts, Dictionary<string, string>> target)
    {
        using var command = SqlCommands.Create(connection, transaction, sql);
        bind(command);
        if (keys is not null) command.CommandText += $" AND \"key\" IN ({command.InList("k", keys)})";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            if (data.TryGetValue(reader.GetString(0), out var run)) target(run)[reader.GetString(1)] = reader.NullableString(2) ?? "";
        }
    }

    /// <summary>Dataset inputs (inputs → datasets, with input_tags), in dataset name then digest order.</summary>
    private static void ReadInputs(DbConnection connection, DbTransaction transaction, string runsOf, Action<DbCommand> bind,
        Dictionary<string, RunParts> data)
    {
        var inputTags = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        using (var command = SqlCommands.Create(connection, transaction,
                   "SELECT t.input_uuid, t.name, t.value FROM input_tags t JOIN inputs i ON i.input_uuid = t.input_uuid " +
                   $"WHERE i.destination_type = 'RUN' AND i.destination_id IN ({runsOf})"))
        {
            bind(command);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var id = reader.GetString(0);
                if (!inputTags.TryGetValue(id, out var map)) inputTags[id] = map = new Dictionary<string, string>(StringComparer.Ordinal);
                map[reader.GetString(1)] = reader.GetString(2);
            }
        }
        using (var command = SqlCommands.Create(connection, transaction,
                   "SELECT i.destination_id, i.input_uuid, d.name, d.digest, d.dataset_source_type, d.dataset_source, d.dataset_schema, d.dataset_profile " +
                   "FROM inputs i JOIN datasets d ON d.dataset_uuid = i.source_id " +
                   $"WHERE i.source_type = 'DATASET' AND i.destination_type = 'RUN' AND i.destination_id IN ({runsOf}) ORDER BY d.name, d.digest"))
        {
            bind(command);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                if (!data.TryGetValue(reader.GetString(0), out var run)) continue;
                var dataset = new Dataset(reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5), reader.NullableString(6), reader.NullableString(7));
                run.Inputs.Add(new DatasetInput(dataset, inputTags.TryGetValue(reader.GetString(1), out var tags) ? tags : new Dictionary<string, string>(StringComparer.Ordinal)));
            }
        }
    }

    /// <summary>A run's data as its rows arrive, table by table.</summary>
    private sealed class RunParts
    {
        public Dictionary<string, Metric> Metrics { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, string> Params { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, string> Tags { get; } = new(StringComparer.Ordinal);

        public List<DatasetInput> Inputs { get; } = [];
    }
}
