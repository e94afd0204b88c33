using System.Data.Common;
using System.Globalization;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores.Sql;
using Qlib.Tracked.Validation;

namespace Qlib.Tracked.Stores;

// Import (qtrack migrate): experiments and whole runs as recorded elsewhere, each in one transaction.
public sealed partial class SqlStore : IRunImporter
{
    /// <inheritdoc/>
    public string ImportExperiment(ExperimentInfo experiment)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        MlflowValidation.ValidateExperimentName(experiment.Name);
        return Write("import an experiment", (connection, transaction) =>
        {
            using (var find = SqlCommands.Create(connection, transaction, "SELECT COUNT(*) FROM experiments WHERE name = @name").With("@name", experiment.Name))
            {
                if (Convert.ToInt64(find.ExecuteScalar(), CultureInfo.InvariantCulture) > 0)
                    throw TrackingException.AlreadyExists($"Experiment '{experiment.Name}' already exists.");
            }
            long id;
            using (var insert = SqlCommands.Create(connection, transaction,
                "INSERT INTO experiments (name, artifact_location, lifecycle_stage, creation_time, last_update_time) " +
                       "VALUES (@name, NULL, @stage, @created, @updated) RETURNING experiment_id")
                       .With("@name", experiment.Name).With("@stage", experiment.LifecycleStage.ToMlflowString())
                       .With("@created", experiment.CreationTime).With("@updated", experiment.LastUpdateTime))
            {
                id = Convert.ToInt64(insert.ExecuteScalar(), CultureInfo.InvariantCulture);
            }
            var idText = id.ToString(CultureInfo.InvariantCulture);
            // As CreateExperiment: the default location names the id, which exists only after the insert.
            {
                using var update = SqlCommands.Create(connection, transaction, "UPDATE experiments SET artifact_location = @location WHERE experiment_id = @id")
                    .With("@location", AppendUriPath(_defaultArtifactRoot, idText)).With("@id", (int)id);
                update.ExecuteNonQuery();
            }
            foreach (var (key, value) in experiment.Tags) UpsertExperimentTag(connection, transaction, (int)id, key, value);
            return idText;
        });
    }

    /// <summary>
    /// One transaction: the runs row, params, tags, every metric point in the order given (so the insertion order a
    /// history is read in is the source's), latest_metrics, and the inputs. NaN is stored as MLflow stores it (0 with
    /// is_nan); ±inf is kept as an IEEE infinity (both engines hold one) rather than MLflow's ±max double, so a
    /// migrated history reads back exactly as the source recorded it.
    /// </summary>
    public RunInfo ImportRun(RunImport run) => ImportRuns([run])[0];

    /// <summary>As <see cref="ImportRun"/>, every run in the same transaction.</summary>
    public IReadOnlyList<RunInfo> ImportRuns(IReadOnlyList<RunImport> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        foreach (var run in runs)
        {
            ArgumentNullException.ThrowIfNull(run);
            MlflowValidation.ValidateRunId(run.Info.RunId);
            if (run.KeepArtifactUri) ImportedArtifactLocation.Require(ArtifactRoots, run.Info.RunId, run.Info.ArtifactUri);
            // The file store holds longer tag values than MLflow 2.12's tags.value column: refuse them by name, not by a database error.
            foreach (var (key, value) in run.Tags) ValidateRunTag(new RunTag(key, value));
        }
        return Write(runs.Count == 1 ? "import a run" : $"import {runs.Count} runs",
            (connection, transaction) => runs.Select(run => ImportOneRun(connection, transaction, run)).ToList());
    }

    private RunInfo ImportOneRun(DbConnection connection, DbTransaction transaction, RunImport run)
    {
        var source = run.Info;
        var experiment = FindExperiment(connection, transaction, source.ExperimentId) ?? throw ExperimentNotFound(source.ExperimentId);
        using (var exists = SqlCommands.Create(connection, transaction, "SELECT COUNT(*) FROM runs WHERE run_uuid = @id").With("@id", source.RunId))
        {
            if (Convert.ToInt64(exists.ExecuteScalar(), CultureInfo.InvariantCulture) > 0)
                throw TrackingException.AlreadyExists($"Run '{source.RunId}' already exists.");
        }
        var info = run.KeepArtifactUri ? source : source with { ArtifactUri = AppendUriPath(experiment.ArtifactLocation, source.RunId, "artifacts") };
        using (var insert = SqlCommands.Create(connection, transaction,
            "INSERT INTO runs (run_uuid, name, source_type, source_name, entry_point_name, user_id, status, start_time, end_time, " +
                   "source_version, lifecycle_stage, artifact_uri, experiment_id, deleted_time) VALUES " +
                   "(@id, @name, 'UNKNOWN', '', '', @user, @status, @start, @end, '', @stage, @artifacts, @experiment, @deleted)")
                   .With("@id", info.RunId).With("@name", info.RunName).With("@user", info.UserId).With("@status", info.Status.ToMlflowString())
                   .With("@start", info.StartTime).With("@end", info.EndTime).With("@stage", info.LifecycleStage.ToMlflowString())
                   .With("@artifacts", info.ArtifactUri).With("@experiment", ExperimentKey(source.ExperimentId)).With("@deleted", info.DeletedTime))
        {
            insert.ExecuteNonQuery();
        }
        foreach (var (key, value) in run.Params)
        {
            using var param = SqlCommands.Create(connection, transaction, "INSERT INTO params (\"key\", value, run_uuid) VALUES (@key, @value, @id)")
                .With("@key", key).With("@value", value).With("@id", info.RunId);
            param.ExecuteNonQuery();
        }
        foreach (var (key, value) in run.Tags) UpsertTag(connection, transaction, info.RunId, key, value);
        ImportMetrics(connection, transaction, info.RunId, run.MetricHistory);
        foreach (var input in run.Inputs) WriteInput(connection, transaction, source.ExperimentId, info.RunId, input);
        return info;
    }

    private void ImportMetrics(DbConnection connection, DbTransaction transaction, string runId, IReadOnlyList<Metric> history)
    {
        var latest = new Dictionary<string, (double Value, long Timestamp, long Step, bool IsNaN)>(StringComparer.Ordinal);
        // An exact duplicate point cannot be stored twice (MLflow's primary key); MLflow's own writes drop it too.
        var insert = new RowInserter(_dialect, connection, transaction,
            "INSERT INTO metrics (\"key\", value, timestamp, run_uuid, step, is_nan) VALUES", "({0}, {1}, {2}, @run, {3}, {4})", 5,
            "ON CONFLICT DO NOTHING", ("@run", runId));
        foreach (var m in history)
        {
            var isNaN = double.IsNaN(m.Value);
            var value = isNaN ? 0 : m.Value;
            insert.Add(m.Key, value, m.Timestamp, m.Step, isNaN);
            if (!latest.TryGetValue(m.Key, out var best) || (m.Step, m.Timestamp, value).CompareTo((best.Step, best.Timestamp, best.Value)) > 0)
                latest[m.Key] = (value, m.Timestamp, m.Step, isNaN);
        }
        insert.Flush();
        var upsert = new RowInserter(_dialect, connection, transaction,
            "INSERT INTO latest_metrics (\"key\", value, timestamp, step, is_nan, run_uuid) VALUES", "({0}, {1}, {2}, {3}, {4}, @run)", 5, "", ("@run", runId));
        foreach (var (key, point) in latest) upsert.Add(key, point.Value, point.Timestamp, point.Step, point.IsNaN);
        upsert.Flush();
    }
}
