using Qlib.Tracked.Entities;
using Qlib.Tracked.Formats;

namespace Qlib.Tracked.Stores.FileBacked;

/// <summary>
/// A run's dataset inputs (MLflow 2.4+): <c>&lt;run&gt;/inputs/&lt;id&gt;/meta.yaml</c> points at
/// <c>&lt;experiment&gt;/datasets/&lt;dataset id&gt;/meta.yaml</c> and carries the input tags.
/// </summary>
internal static class DatasetInputs
{
    public static IReadOnlyList<DatasetInput> Read(string runFolder, string experimentFolder, Action<string, string> warn)
    {
        var inputsFolder = Path.Combine(runFolder, StoreLayout.InputsFolder);
        if (!Directory.Exists(inputsFolder)) return [];
        var result = new List<DatasetInput>();
        foreach (var inputFolder in Directory.EnumerateDirectories(inputsFolder))
        {
            var inputMetaPath = Path.Combine(inputFolder, StoreLayout.MetaFile);
            var input = YamlMeta.TryParse(AtomicFile.ReadTextWithRetry(inputMetaPath, out _) ?? "");
            if (input is null)
            {
                warn(inputFolder, "Skipped an input without a readable meta.yaml.");
                continue;
            }
            // Only dataset inputs are read; 3.x model inputs (source_type MODEL) are not datasets.
            if (input.GetString("source_type") is { } sourceType && sourceType != "DATASET") continue;
            var datasetId = input.GetString("source_id");
            // The id names a folder under <experiment>/datasets: a hostile one ('../..') must not lead the read elsewhere.
            var datasetMetaPath = datasetId is null || !IsFolderName(datasetId) ? null : Path.Combine(experimentFolder, StoreLayout.DatasetsFolder, datasetId, StoreLayout.MetaFile);
            var dataset = datasetMetaPath is null ? null : YamlMeta.TryParse(AtomicFile.ReadTextWithRetry(datasetMetaPath, out _) ?? "");
            if (dataset is null)
            {
                warn(inputMetaPath, $"Skipped an input whose dataset '{datasetId}' has no readable meta.yaml.");
                continue;
            }
            result.Add(new DatasetInput(
                new Dataset(
                    dataset.GetString("name") ?? "",
                    dataset.GetString("digest") ?? "",
                    dataset.GetString("source_type") ?? "",
                    dataset.GetString("source") ?? "",
                    dataset.GetString("schema"),
                    dataset.GetString("profile")),
                input.GetStringMap("tags")));
        }
        return result;
    }

    private static bool IsFolderName(string id) =>
        id.Length > 0 && id is not ("." or "..") && id.IndexOfAny(['/', '\\', '\0']) < 0;
}
