using Qlib.Tracked.Entities;

namespace Qlib.Tracked.Stores.Rest.Protocol;

/// <summary>
/// Our entities to MLflow's messages and back. Reading a message checks the fields the entity cannot do without and
/// throws <see cref="MlflowProtocolException"/> naming the field (a client reports it with the route and server, a
/// server answers it as INVALID_PARAMETER_VALUE).
/// Stateless; thread-safe.
/// </summary>
public static class ProtocolMapping
{
    // ----- to messages -----

    /// <summary>A run tag as MLflow's <c>RunTag</c>.</summary>
    public static KeyValueMessage ToMessage(RunTag tag) => new() { Key = tag.Key, Value = tag.Value };

    /// <summary>A param as MLflow's <c>Param</c>.</summary>
    public static KeyValueMessage ToMessage(Param param) => new() { Key = param.Key, Value = param.Value };

    /// <summary>A metric point as MLflow's <c>Metric</c>.</summary>
    public static MetricMessage ToMessage(Metric metric) =>
        new() { Key = metric.Key, Value = metric.Value, Timestamp = metric.Timestamp, Step = metric.Step };

    /// <summary>A key/value map as a list of <c>{key, value}</c> pairs.</summary>
    public static List<KeyValueMessage> ToMessages(IReadOnlyDictionary<string, string> pairs)
    {
        var list = new List<KeyValueMessage>(pairs.Count);
        foreach (var (key, value) in pairs) list.Add(new KeyValueMessage { Key = key, Value = value });
        return list;
    }

    /// <summary>An experiment as MLflow's <c>Experiment</c>.</summary>
    public static ExperimentMessage ToMessage(ExperimentInfo experiment) => new()
    {
        ExperimentId = experiment.ExperimentId,
        Name = experiment.Name,
        ArtifactLocation = experiment.ArtifactLocation,
        LifecycleStage = experiment.LifecycleStage.ToMlflowString(),
        CreationTime = experiment.CreationTime,
        LastUpdateTime = experiment.LastUpdateTime,
        Tags = experiment.Tags.Count == 0 ? null : ToMessages(experiment.Tags),
    };

    /// <summary>Run info as MLflow's <c>RunInfo</c> (both <c>run_id</c> and <c>run_uuid</c> set).</summary>
    public static RunInfoMessage ToMessage(RunInfo info) => new()
    {
        RunId = info.RunId,
        RunUuid = info.RunId,
        RunName = info.RunName,
        ExperimentId = info.ExperimentId,
        UserId = info.UserId,
        Status = info.Status.ToMlflowString(),
        StartTime = info.StartTime,
        EndTime = info.EndTime,
        ArtifactUri = info.ArtifactUri,
        LifecycleStage = info.LifecycleStage.ToMlflowString(),
    };

    /// <summary>A run as MLflow's <c>Run</c>: info, data and inputs.</summary>
    public static RunMessage ToMessage(Run run) => new()
    {
        Info = ToMessage(run.Info),
        Data = new RunDataMessage
        {
            Metrics = run.Data.Metrics.Count == 0 ? null : [.. run.Data.Metrics.Values.Select(ToMessage)],
            Params = run.Data.Params.Count == 0 ? null : ToMessages(run.Data.Params),
            Tags = run.Data.Tags.Count == 0 ? null : ToMessages(run.Data.Tags),
        },
        Inputs = new RunInputsMessage
        {
            DatasetInputs = run.Inputs.Count == 0 ? null : [.. run.Inputs.Select(ToMessage)],
        },
    };

    /// <summary>A dataset input as MLflow's <c>DatasetInput</c>.</summary>
    public static DatasetInputMessage ToMessage(DatasetInput input) => new()
    {
        Tags = input.Tags.Count == 0 ? null : ToMessages(input.Tags),
        Dataset = new DatasetMessage
        {
            Name = input.Dataset.Name,
            Digest = input.Dataset.Digest,
            SourceType = input.Dataset.SourceType,
            Source = input.Dataset.Source,
            Schema = input.Dataset.Schema,
            Profile = input.Dataset.Profile,
        },
    };

    /// <summary>An artifact listing entry as MLflow's <c>FileInfo</c> (no <c>file_size</c> for folders).</summary>
    public static FileInfoMessage ToMessage(ArtifactInfo info) =>
        new() { Path = info.Path, IsDir = info.IsDir, FileSize = info.IsDir ? null : info.FileSize };

    /// <summary>MLflow's spelling of a view type in requests (<c>ACTIVE_ONLY</c>, <c>DELETED_ONLY</c>, <c>ALL</c>).</summary>
    public static string ToMessage(ViewType view) => view switch
    {
        ViewType.ActiveOnly => "ACTIVE_ONLY",
        ViewType.DeletedOnly => "DELETED_ONLY",
        ViewType.All => "ALL",
        _ => throw new ArgumentOutOfRangeException(nameof(view), view, "Unknown view type."),
    };

    // ----- from messages -----

    /// <summary>A view type from MLflow's spelling, case-insensitive; null or empty is <c>ACTIVE_ONLY</c>. Throws <see cref="MlflowProtocolException"/> naming <paramref name="field"/> for anything else.</summary>
    public static ViewType ParseViewType(string? text, string field) => text?.ToUpperInvariant() switch
    {
        null or "" or "ACTIVE_ONLY" => ViewType.ActiveOnly,
        "DELETED_ONLY" => ViewType.DeletedOnly,
        "ALL" => ViewType.All,
        _ => throw new MlflowProtocolException(field, $"'{text}' is not a view type (ACTIVE_ONLY, DELETED_ONLY, ALL)"),
    };

    /// <summary>A run status (<c>RUNNING</c>, <c>SCHEDULED</c>, <c>FINISHED</c>, <c>FAILED</c>, <c>KILLED</c>); throws <see cref="MlflowProtocolException"/> naming <paramref name="field"/> when missing or unknown.</summary>
    public static RunStatus ParseRunStatus(string? text, string field)
    {
        if (text is not null && EntityNames.TryParseRunStatus(text, out var status)) return status;
        throw new MlflowProtocolException(field, text is null
            ? "is missing"
            : $"'{text}' is not a run status (RUNNING, SCHEDULED, FINISHED, FAILED, KILLED)");
    }

    /// <summary>A lifecycle stage (<c>active</c> or <c>deleted</c>); throws <see cref="MlflowProtocolException"/> naming <paramref name="field"/> when missing or unknown.</summary>
    public static LifecycleStage ParseLifecycleStage(string? text, string field) => text switch
    {
        "active" => LifecycleStage.Active,
        "deleted" => LifecycleStage.Deleted,
        null => throw new MlflowProtocolException(field, "is missing"),
        _ => throw new MlflowProtocolException(field, $"'{text}' is not a lifecycle stage (active, deleted)"),
    };

    /// <summary>A metric point; <c>key</c>, <c>value</c> and <c>timestamp</c> are required, <c>step</c> defaults to 0.</summary>
    public static Metric ToMetric(MetricMessage? message, string field)
    {
        if (message is null) throw new MlflowProtocolException(field, "is null");
        return new Metric(
            Required(message.Key, field + ".key"),
            message.Value ?? throw new MlflowProtocolException(field + ".value", "is missing"),
            message.Timestamp ?? throw new MlflowProtocolException(field + ".timestamp", "is missing"),
            message.Step ?? 0);
    }

    /// <summary>A param; <c>key</c> is required, a missing <c>value</c> is empty.</summary>
    public static Param ToParam(KeyValueMessage? message, string field) =>
        message is null
            ? throw new MlflowProtocolException(field, "is null")
            : new Param(Required(message.Key, field + ".key"), message.Value ?? "");

    /// <summary>A tag; <c>key</c> is required, a missing <c>value</c> is empty.</summary>
    public static RunTag ToTag(KeyValueMessage? message, string field) =>
        message is null
            ? throw new MlflowProtocolException(field, "is null")
            : new RunTag(Required(message.Key, field + ".key"), message.Value ?? "");

    /// <summary>Pairs into a dictionary; a repeated key keeps its last value (what MLflow shows).</summary>
    public static Dictionary<string, string> ToDictionary(List<KeyValueMessage>? pairs, string field)
    {
        var result = new Dictionary<string, string>(pairs?.Count ?? 0, StringComparer.Ordinal);
        if (pairs is null) return result;
        for (var i = 0; i < pairs.Count; i++)
        {
            var tag = ToTag(pairs[i], $"{field}[{i}]");
            result[tag.Key] = tag.Value;
        }
        return result;
    }

    /// <summary>An experiment; <c>experiment_id</c> and <c>name</c> are required, a missing <c>lifecycle_stage</c> is <c>active</c>.</summary>
    public static ExperimentInfo ToExperiment(ExperimentMessage? message, string field)
    {
        if (message is null) throw new MlflowProtocolException(field, "is missing");
        return new ExperimentInfo(
            Required(message.ExperimentId, field + ".experiment_id"),
            Required(message.Name, field + ".name"),
            message.ArtifactLocation ?? "",
            ParseLifecycleStage(message.LifecycleStage ?? "active", field + ".lifecycle_stage"),
            message.CreationTime,
            message.LastUpdateTime,
            ToDictionary(message.Tags, field + ".tags"));
    }

    /// <summary>Run info; <c>run_id</c> (or <c>run_uuid</c>), <c>experiment_id</c> and <c>status</c> are required, a missing <c>lifecycle_stage</c> is <c>active</c>.</summary>
    public static RunInfo ToRunInfo(RunInfoMessage? message, string field)
    {
        if (message is null) throw new MlflowProtocolException(field, "is missing");
        var runId = message.RunId ?? message.RunUuid ?? throw new MlflowProtocolException(field + ".run_id", "is missing");
        return new RunInfo(
            runId,
            Required(message.ExperimentId, field + ".experiment_id"),
            message.RunName ?? "",
            message.UserId ?? "",
            ParseRunStatus(message.Status, field + ".status"),
            message.StartTime ?? 0,
            message.EndTime,
            message.ArtifactUri ?? "",
            ParseLifecycleStage(message.LifecycleStage ?? "active", field + ".lifecycle_stage"));
    }

    /// <summary>A run; its info is required, a missing data or inputs section is empty. Each metric keeps its last point.</summary>
    public static Run ToRun(RunMessage? message, string field)
    {
        if (message is null) throw new MlflowProtocolException(field, "is missing");
        var info = ToRunInfo(message.Info, field + ".info");
        var metrics = new Dictionary<string, Metric>(StringComparer.Ordinal);
        var metricMessages = message.Data?.Metrics;
        if (metricMessages is not null)
        {
            for (var i = 0; i < metricMessages.Count; i++)
            {
                var metric = ToMetric(metricMessages[i], $"{field}.data.metrics[{i}]");
                metrics[metric.Key] = metric;
            }
        }
        var data = new RunData(metrics,
            ToDictionary(message.Data?.Params, field + ".data.params"),
            ToDictionary(message.Data?.Tags, field + ".data.tags"));
        var inputs = new List<DatasetInput>();
        var inputMessages = message.Inputs?.DatasetInputs;
        if (inputMessages is not null)
        {
            for (var i = 0; i < inputMessages.Count; i++) inputs.Add(ToDatasetInput(inputMessages[i], $"{field}.inputs.dataset_inputs[{i}]"));
        }
        return new Run(info, data, inputs);
    }

    /// <summary>A dataset input; the dataset's <c>name</c>, <c>digest</c>, <c>source_type</c> and <c>source</c> are required.</summary>
    public static DatasetInput ToDatasetInput(DatasetInputMessage? message, string field)
    {
        var dataset = message?.Dataset ?? throw new MlflowProtocolException(field + ".dataset", "is missing");
        return new DatasetInput(
            new Dataset(
                Required(dataset.Name, field + ".dataset.name"),
                Required(dataset.Digest, field + ".dataset.digest"),
                Required(dataset.SourceType, field + ".dataset.source_type"),
                Required(dataset.Source, field + ".dataset.source"),
                dataset.Schema,
                dataset.Profile),
            ToDictionary(message.Tags, field + ".tags"));
    }

    /// <summary>
    /// An artifact listing entry; <paramref name="prefix"/> (the listed folder plus '/', or "") is put before the
    /// artifact proxy's bare names so paths are relative to the run's artifact root, as the tracking service lists them.
    /// </summary>
    public static ArtifactInfo ToArtifactInfo(FileInfoMessage? message, string prefix, string field)
    {
        if (message is null) throw new MlflowProtocolException(field, "is null");
        var path = Required(message.Path, field + ".path");
        var isDir = message.IsDir ?? false;
        return new ArtifactInfo(prefix + path, isDir, isDir ? null : message.FileSize);
    }

    private static string Required(string? value, string field) =>
        value ?? throw new MlflowProtocolException(field, "is missing");
}

/// <summary>A message lacks a field its entity needs, or holds a value outside the protocol's enumeration. Immutable once thrown; thread-safe to read.</summary>
public sealed class MlflowProtocolException(string field, string problem)
    : Exception($"The field '{field}' {problem}.")
{
    /// <summary>The field's path in the message (<c>run.info.status</c>).</summary>
    public string Field { get; } = field;
}
