using System.Security.Cryptography;
using System.Text;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Formats;
using Qlib.Tracked.Formats.Python;
using Qlib.Tracked.Stores.FileBacked;
using Qlib.Tracked.Validation;

namespace Qlib.Tracked.Stores;

// The second write of run data: dataset inputs, in MLflow's file-store layout (also what an import writes).
public sealed partial class FileStore
{
    /// <inheritdoc/>
    public void LogInputs(string runId, IReadOnlyList<DatasetInput> inputs)
    {
        MlflowValidation.ValidateRunId(runId);
        MlflowValidation.ValidateDatasetInputs(inputs);
        var (folder, _) = LoadActiveRun(runId, useCache: true);
        var experimentFolder = Path.GetDirectoryName(folder)!;
        foreach (var input in inputs) WriteInput(experimentFolder, folder, runId, input);
    }

    /// <summary>
    /// The dataset under <c>&lt;experiment&gt;/datasets/&lt;md5(name + digest)&gt;</c> and the run's input under
    /// <c>inputs/&lt;md5(dataset id + run id)&gt;</c>: the ids MLflow's file store derives, so the same dataset is one
    /// folder per experiment and one input per run. Either one already there is kept as it is (MLflow's file store
    /// writes neither twice): the first source, schema and profile of a dataset, and the first tags of an input, stay.
    /// Two writers logging the same new dataset at the same moment both write it whole (atomically), and one of
    /// theirs stays — as with MLflow's file store; never a torn or duplicated one.
    /// </summary>
    private static void WriteInput(string experimentFolder, string runFolder, string runId, DatasetInput input)
    {
        var dataset = input.Dataset;
        var datasetId = Md5Hex(dataset.Name + dataset.Digest);
        var datasetMeta = Path.Combine(experimentFolder, StoreLayout.DatasetsFolder, datasetId, StoreLayout.MetaFile);
        if (!File.Exists(datasetMeta))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(datasetMeta)!);
            AtomicFile.WriteAllText(datasetMeta, PyYamlWriter.Write(new YamlMapping()
                .Add("digest", dataset.Digest).Add("name", dataset.Name).Add("profile", dataset.Profile)
                .Add("schema", dataset.Schema).Add("source", dataset.Source).Add("source_type", dataset.SourceType)));
        }
        var inputMeta = Path.Combine(runFolder, StoreLayout.InputsFolder, Md5Hex(datasetId + runId), StoreLayout.MetaFile);
        if (File.Exists(inputMeta)) return;
        var tags = new YamlMapping();
        foreach (var (key, value) in input.Tags.OrderBy(t => t.Key, StringComparer.Ordinal)) tags.Add(key, value);
        Directory.CreateDirectory(Path.GetDirectoryName(inputMeta)!);
        // destination_id repeats the dataset id: MLflow's file store writes it so (a quirk its reader ignores).
        AtomicFile.WriteAllText(inputMeta, PyYamlWriter.Write(new YamlMapping()
            .Add("destination_id", datasetId).Add("destination_type", "RUN").Add("source_id", datasetId)
            .Add("source_type", "DATASET").Add("tags", tags)));
    }

    private static string Md5Hex(string text) =>
#pragma warning disable CA5351 // MLflow's file store names datasets and inputs by MD5; an id, not a security measure.
        Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));
#pragma warning restore CA5351
}
