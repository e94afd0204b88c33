using System.Data.Common;
using System.Globalization;
using Qlib.Tracked.Artifacts;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores.Sql;
using Qlib.Tracked.Validation;

namespace Qlib.Tracked.Stores;

// Experiments: integer ids from the database's autoincrement, artifact location <root>/<id>, tags in experiment_tags.
public sealed partial class SqlStore
{
    private const string ExperimentColumns = "experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time";

    /// <inheritdoc/>
    public string CreateExperiment(string name, string? artifactLocation = null, IReadOnlyList<RunTag>? tags = null)
    {
        MlflowValidation.ValidateExperimentName(name);
        if (tags is not null)
        {
            foreach (var tag in tags) MlflowValidation.ValidateExperimentTag(tag.Key, tag.Value);
        }
        if (artifactLocation is not null)
        {
            ArtifactRoots.RequireAllowedExperimentLocation(name, artifactLocation);
            artifactLocation = ResolveIfLocal(artifactLocation);
        }
        return Write("create an experiment", (connection, transaction) =>
        {
            using (var find = SqlCommands.Create(connection, transaction, "SELECT lifecycle_stage FROM experiments WHERE name = @name").With("@name", name))
            {
                if (find.ExecuteScalar() is string stage)
                    throw TrackingException.AlreadyExists(stage == "deleted"
                        ? $"Experiment '{name}' already exists in deleted state. You can restore the experiment, or permanently delete it (mlflow gc) in order to use this experiment name again."
                        : $"Experiment '{name}' already exists.");
            }
            var now = NowMillis();
            long id;
            using (var insert = SqlCommands.Create(connection, transaction,
                       "INSERT INTO experiments (name, artifact_location, lifecycle_stage, creation_time, last_update_time) " +
                       "VALUES (@name, @location, 'active', @now, @now) RETURNING experiment_id")
                       .With("@name", name).With("@location", artifactLocation).With("@now", now))
            {
                id = Convert.ToInt64(insert.ExecuteScalar(), CultureInfo.InvariantCulture);
            }
            var idText = id.ToString(CultureInfo.InvariantCulture);
            if (artifactLocation is null)
            {
                // As MLflow: the id exists only after the insert, so the default location is a second write.
                using var update = SqlCommands.Create(connection, transaction, "UPDATE experiments SET artifact_location = @location WHERE experiment_id = @id")
                    .With("@location", AppendUriPath(_defaultArtifactRoot, idText)).With("@id", (int)id);
                update.ExecuteNonQuery();
            }
            foreach (var tag in tags ?? [])
                UpsertExperimentTag(connection, transaction, (int)id, tag.Key, tag.Value);
            return idText;
        });
    }

    /// <inheritdoc/>
    public ExperimentInfo GetExperiment(string experimentId)
    {
        MlflowValidation.ValidateExperimentId(experimentId);
        return Read("read an experiment", (connection, transaction) => FindExperiment(connection, transaction, experimentId))
            ?? throw ExperimentNotFound(experimentId);
    }

    /// <summary>By name, active or deleted: MLflow's SQL store finds deleted experiments too (its file store does not).</summary>
    public ExperimentInfo? GetExperimentByName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Read("read an experiment", (connection, transaction) =>
        {
            using var command = SqlCommands.Create(connection, transaction, $"SELECT {ExperimentColumns} FROM experiments WHERE name = @name").With("@name", name);
            return ReadExperiments(connection, transaction, command).FirstOrDefault();
        });
    }

    /// <summary>Experiments of the view in MLflow's order: creation_time DESC, then experiment_id ASC (as numbers).</summary>
    public IReadOnlyList<ExperimentInfo> SearchExperiments(ViewType viewType = ViewType.ActiveOnly) =>
        Read("list experiments", (connection, transaction) =>
        {
            using var command = SqlCommands.Create(connection, transaction,
                $"SELECT {ExperimentColumns} FROM experiments WHERE lifecycle_stage IN ({StagesOf(viewType)}) " +
                "ORDER BY creation_time DESC, experiment_id ASC");
            return ReadExperiments(connection, transaction, command);
        });

    /// <summary>MLflow's search_experiments with the SQL store's integer ids (experiment_id orders as a number).</summary>
    public PagedList<ExperimentInfo> SearchExperiments(string? filter, ViewType viewType, int maxResults,
        IReadOnlyList<string>? orderBy = null, string? pageToken = null) =>
        Search.ExperimentSearch.Apply(SearchExperiments(viewType), filter, maxResults, orderBy, pageToken, numericIds: true);

    /// <inheritdoc/>
    public void DeleteExperiment(string experimentId)
    {
        MlflowValidation.ValidateExperimentId(experimentId);
        if (experimentId == DefaultExperimentId)
            throw TrackingException.InvalidParameter(
                $"Cannot delete the default experiment '{DefaultExperimentId}'. This is an internally reserved experiment.");
        Write("delete an experiment", (connection, transaction) =>
        {
            var experiment = FindExperiment(connection, transaction, experimentId);
            if (experiment is null || experiment.LifecycleStage != LifecycleStage.Active) throw ExperimentNotFound(experimentId);
            var now = NowMillis();
            SetExperimentStage(connection, transaction, experimentId, "deleted", now);
            // MLflow marks every run of the experiment deleted, at the same time.
            using var runs = SqlCommands.Create(connection, transaction,
                "UPDATE runs SET lifecycle_stage = 'deleted', deleted_time = @now WHERE experiment_id = @id")
                .With("@now", now).With("@id", ExperimentKey(experimentId));
            runs.ExecuteNonQuery();
            return 0;
        });
    }

    /// <inheritdoc/>
    public void RestoreExperiment(string experimentId)
    {
        MlflowValidation.ValidateExperimentId(experimentId);
        Write("restore an experiment", (connection, transaction) =>
        {
            var experiment = FindExperiment(connection, transaction, experimentId);
            if (experiment is null || experiment.LifecycleStage != LifecycleStage.Deleted)
                throw TrackingException.DoesNotExist($"Could not find deleted experiment with ID {experimentId}");
            SetExperimentStage(connection, transaction, experimentId, "active", NowMillis());
            using var runs = SqlCommands.Create(connection, transaction,
                "UPDATE runs SET lifecycle_stage = 'active', deleted_time = NULL WHERE experiment_id = @id").With("@id", ExperimentKey(experimentId));
            runs.ExecuteNonQuery();
            return 0;
        });
    }

    /// <inheritdoc/>
    public void RenameExperiment(string experimentId, string newName)
    {
        MlflowValidation.ValidateExperimentId(experimentId);
        MlflowValidation.ValidateExperimentName(newName);
        Write("rename an experiment", (connection, transaction) =>
        {
            var experiment = FindExperiment(connection, transaction, experimentId) ?? throw ExperimentNotFound(experimentId);
            if (experiment.LifecycleStage != LifecycleStage.Active)
                throw TrackingException.InvalidState(
                    $"Cannot rename experiment in non-active lifecycle stage. Current stage: {experiment.LifecycleStage.ToMlflowString()}");
            if (experiment.Name == newName) return 0;
            using (var taken = SqlCommands.Create(connection, transaction, "SELECT COUNT(*) FROM experiments WHERE name = @name").With("@name", newName))
            {
                // BAD_REQUEST, not RESOURCE_ALREADY_EXISTS: MLflow's SQL store lets the UNIQUE (name) constraint refuse a
                // rename, which its server answers as BAD_REQUEST (HTTP 400); its clients see that code for this on SQL.
                if (Convert.ToInt64(taken.ExecuteScalar(), CultureInfo.InvariantCulture) > 0)
                    throw new TrackingException(ErrorCode.BadRequest,
                        $"Cannot rename experiment {experimentId} to '{newName}': another experiment has that name (experiments.name is UNIQUE).");
            }
            using var update = SqlCommands.Create(connection, transaction,
                "UPDATE experiments SET name = @name, last_update_time = @now WHERE experiment_id = @id")
                .With("@name", newName).With("@now", NowMillis()).With("@id", ExperimentKey(experimentId));
            update.ExecuteNonQuery();
            return 0;
        });
    }

    /// <inheritdoc/>
    public void SetExperimentTag(string experimentId, string key, string value)
    {
        MlflowValidation.ValidateExperimentTag(key, value);
        MlflowValidation.ValidateExperimentId(experimentId);
        Write("set an experiment tag", (connection, transaction) =>
        {
            var experiment = FindExperiment(connection, transaction, experimentId) ?? throw ExperimentNotFound(experimentId);
            if (experiment.LifecycleStage != LifecycleStage.Active)
                throw TrackingException.InvalidParameter(
                    $"The experiment {experimentId} must be in the 'active' state. Current state is {experiment.LifecycleStage.ToMlflowString()}.");
            UpsertExperimentTag(connection, transaction, ExperimentKey(experimentId)!.Value, key, value);
            return 0;
        });
    }

    // ----- helpers -----

    private static TrackingException ExperimentNotFound(string experimentId) =>
        TrackingException.DoesNotExist($"Could not find experiment with ID {experimentId}");

    /// <summary>The integer key of an experiment id; null for ids that cannot be one (a file store's 18-digit ids), which match nothing.</summary>
    private static int? ExperimentKey(string experimentId) =>
        int.TryParse(experimentId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    private static string StagesOf(ViewType viewType) => viewType switch
    {
        ViewType.ActiveOnly => "'active'",
        ViewType.DeletedOnly => "'deleted'",
        _ => "'active', 'deleted'",
    };

    private static void SetExperimentStage(DbConnection connection, DbTransaction transaction, string experimentId, string stage, long now)
    {
        using var command = SqlCommands.Create(connection, transaction,
            "UPDATE experiments SET lifecycle_stage = @stage, last_update_time = @now WHERE experiment_id = @id")
            .With("@stage", stage).With("@now", now).With("@id", ExperimentKey(experimentId));
        command.ExecuteNonQuery();
    }

    private static void UpsertExperimentTag(DbConnection connection, DbTransaction transaction, int experimentId, string key, string value)
    {
        using var command = SqlCommands.Create(connection, transaction,
            "INSERT INTO experiment_tags (\"key\", value, experiment_id) VALUES (@key, @value, @id) " +
            "ON CONFLICT (\"key\", experiment_id) DO UPDATE SET value = excluded.value")
            .With("@key", key).With("@value", value).With("@id", experimentId);
        command.ExecuteNonQuery();
    }

    /// <summary>Just what creating a run needs of its experiment (one prepared query, no tags): null when there is none.</summary>
    private (string Location, LifecycleStage Stage)? ExperimentLocationAndStage(DbConnection connection, DbTransaction transaction, string experimentId)
    {
        if (ExperimentKey(experimentId) is not { } id) return null;
        var command = _dialect.Statement(connection, transaction, "SELECT artifact_location, lifecycle_stage FROM experiments WHERE experiment_id = @id")
            .With("@id", id);
        using var reader = command.ExecuteReader();
        if (!reader.Read()) return null;
        return (reader.NullableString(0) ?? "", reader.NullableString(1) == "deleted" ? LifecycleStage.Deleted : LifecycleStage.Active);
    }

    private static ExperimentInfo? FindExperiment(DbConnection connection, DbTransaction transaction, string experimentId)
    {
        if (ExperimentKey(experimentId) is not { } id) return null;
        using var command = SqlCommands.Create(connection, transaction, $"SELECT {ExperimentColumns} FROM experiments WHERE experiment_id = @id").With("@id", id);
        return ReadExperiments(connection, transaction, command).FirstOrDefault();
    }

    /// <summary>The experiments <paramref name="command"/> selects (<see cref="ExperimentColumns"/>), in its order, with their tags.</summary>
    private static List<ExperimentInfo> ReadExperiments(DbConnection connection, DbTransaction transaction, DbCommand command)
    {
        var rows = new List<(long Id, string Name, string? Location, string? Stage, long? Created, long? Updated)>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
                rows.Add((reader.NullableInt64(0)!.Value, reader.GetString(1), reader.NullableString(2), reader.NullableString(3), reader.NullableInt64(4), reader.NullableInt64(5)));
        }
        var tags = new Dictionary<long, Dictionary<string, string>>();
        if (rows.Count > 0)
        {
            using var tagCommand = SqlCommands.Create(connection, transaction, "SELECT experiment_id, \"key\", value FROM experiment_tags");
            if (rows.Count == 1) tagCommand.CommandText += " WHERE experiment_id = @id";
            if (rows.Count == 1) tagCommand.With("@id", (int)rows[0].Id);
            using var reader = tagCommand.ExecuteReader();
            while (reader.Read())
            {
                var id = reader.NullableInt64(0)!.Value;
                if (!tags.TryGetValue(id, out var map)) tags[id] = map = new Dictionary<string, string>(StringComparer.Ordinal);
                map[reader.GetString(1)] = reader.NullableString(2) ?? "";
            }
        }
        return rows.ConvertAll(r => new ExperimentInfo(
            r.Id.ToString(CultureInfo.InvariantCulture), r.Name, r.Location ?? "",
            r.Stage == "deleted" ? LifecycleStage.Deleted : LifecycleStage.Active, r.Created, r.Updated,
            tags.TryGetValue(r.Id, out var t) ? t : new Dictionary<string, string>(StringComparer.Ordinal)));
    }
}
