using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores.Sql;
using Qlib.Tracked.Validation;

namespace Qlib.Tracked.Stores;

// The second write of run data: dataset inputs (datasets, inputs and input_tags rows; also what an import writes).
public sealed partial class SqlStore
{
    /// <inheritdoc/>
    public void LogInputs(string runId, IReadOnlyList<DatasetInput> inputs)
    {
        MlflowValidation.ValidateRunId(runId);
        MlflowValidation.ValidateDatasetInputs(inputs);
        if (inputs.Count == 0)
        {
            Read("check a run", (connection, transaction) => LoadActiveRunInfo(connection, transaction, runId));
            return;
        }
        Write("log dataset inputs", (connection, transaction) =>
        {
            var info = LoadActiveRunInfo(connection, transaction, runId);
            foreach (var input in inputs) WriteInput(connection, transaction, info.ExperimentId, runId, input);
            return 0;
        });
    }

    /// <summary>
    /// The dataset row (one per experiment, name and digest: the table's key) and the run's input of it with its tags.
    /// A dataset or an input already stored is kept as it is, as MLflow's SQL store keeps them: the first source, schema
    /// and profile of a dataset and the first tags of an input stay, so logging a dataset again adds nothing. Both
    /// inserts skip a row a concurrent writer added first (the same key), which makes the write safe to repeat.
    /// </summary>
    private static void WriteInput(DbConnection connection, DbTransaction transaction, string experimentId, string runId, DatasetInput input)
    {
        var dataset = input.Dataset;
        using (var insert = SqlCommands.Create(connection, transaction,
                   "INSERT INTO datasets (dataset_uuid, experiment_id, name, digest, dataset_source_type, dataset_source, dataset_schema, dataset_profile) " +
                   "VALUES (@id, @experiment, @name, @digest, @type, @source, @schema, @profile) ON CONFLICT DO NOTHING")
                   .With("@id", Guid.NewGuid().ToString("N")).With("@experiment", ExperimentKey(experimentId)).With("@name", dataset.Name)
                   .With("@digest", dataset.Digest).With("@type", dataset.SourceType).With("@source", dataset.Source)
                   .With("@schema", dataset.Schema).With("@profile", dataset.Profile))
        {
            insert.ExecuteNonQuery();
        }
        string datasetId;
        using (var find = SqlCommands.Create(connection, transaction,
                   "SELECT dataset_uuid FROM datasets WHERE experiment_id = @experiment AND name = @name AND digest = @digest")
                   .With("@experiment", ExperimentKey(experimentId)).With("@name", dataset.Name).With("@digest", dataset.Digest))
        {
            datasetId = (string)find.ExecuteScalar()!;
        }
        // MLflow makes a random id; one derived from the dataset and the run names the same input in every writer.
        var inputId = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(datasetId + runId)))[..32];
        using (var insert = SqlCommands.Create(connection, transaction,
                   "INSERT INTO inputs (input_uuid, source_type, source_id, destination_type, destination_id) " +
                   "VALUES (@id, 'DATASET', @dataset, 'RUN', @run) ON CONFLICT DO NOTHING")
                   .With("@id", inputId).With("@dataset", datasetId).With("@run", runId))
        {
            if (insert.ExecuteNonQuery() == 0) return; // this run has this dataset as an input already
        }
        foreach (var (name, value) in input.Tags)
        {
            using var tag = SqlCommands.Create(connection, transaction, "INSERT INTO input_tags (input_uuid, name, value) VALUES (@id, @name, @value) ON CONFLICT DO NOTHING")
                .With("@id", inputId).With("@name", name).With("@value", value);
            tag.ExecuteNonQuery();
        }
    }
}
