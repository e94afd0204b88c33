namespace Qlib.Tracked.Stores.FileBacked;

/// <summary>Names and paths of MLflow's <c>mlruns/</c> layout (reference §1).</summary>
internal static class StoreLayout
{
    public const string MetaFile = "meta.yaml";
    public const string TrashFolder = ".trash";
    public const string MetricsFolder = "metrics";
    public const string ParamsFolder = "params";
    public const string TagsFolder = "tags";
    public const string ArtifactsFolder = "artifacts";
    public const string InputsFolder = "inputs";
    public const string DatasetsFolder = "datasets";
    public const string DefaultExperimentId = "0";
    public const string DefaultExperimentName = "Default";

    /// <summary>A file (not a folder, so MLflow's experiment listing ignores it) that serializes experiment creation.</summary>
    public const string CreationLockFile = ".qtrk-create.lock";

    /// <summary>
    /// Prefix of a run or experiment folder being hard-deleted (renamed first, then removed). Starts with
    /// '.' because no MLflow run or experiment id can, so no listing mistakes it for one.
    /// </summary>
    public const string PurgePrefix = ".qtrk-purge-";

    /// <summary>
    /// Sub-folders of an experiment folder that are not runs: tags, datasets, 2.14+ traces, 3.0+ models,
    /// and hidden folders (a run id starts with a letter or digit; hidden ones are purges in progress).
    /// </summary>
    public static bool IsReservedExperimentChild(string name) => IsReservedExperimentChild(name.AsSpan());

    public static bool IsReservedExperimentChild(ReadOnlySpan<char> name) =>
        name is TagsFolder or DatasetsFolder or "traces" or "models" || name.StartsWith('.');

    /// <summary>Root folders that are not experiments: the trash, the model registry, hidden folders.</summary>
    public static bool IsReservedRootChild(string name) => name.StartsWith('.') || name == "models";

    /// <summary>
    /// The file of <paramref name="key"/> under <paramref name="folder"/>; '/' in keys becomes
    /// sub-folders. The key must already have passed the key path rule, which keeps it inside the folder.
    /// </summary>
    public static string KeyPath(string folder, string key) =>
        Path.DirectorySeparatorChar == '/' ? folder + "/" + key : Path.Join(folder, key.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>Path relative to the store root with '/' separators (for warnings).</summary>
    public static string Relative(string root, string path) => Path.GetRelativePath(root, path).Replace('\\', '/');

    public static long NowMillis() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}
