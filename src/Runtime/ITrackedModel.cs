using Qlib.Tracked.Artifacts;
using Qlib.Tracked.Frames;

namespace Qlib.Tracked;

/// <summary>
/// What generated code writes through: one run, seen from a <c>[Tracked]</c> type. <see cref="Recorder"/>
/// implements it; tests and other hosts can too. Each call is one batch. Thread safety is the implementation's.
/// </summary>
public interface IRunLogger
{
    /// <summary>Logs params already spelled as text (see <see cref="ParamText"/>), as one batch.</summary>
    void LogParamBatch(ReadOnlySpan<KeyValuePair<string, string>> parameters);

    /// <summary>Logs metrics, all at <paramref name="step"/> with one timestamp, as one batch.</summary>
    void LogMetricBatch(ReadOnlySpan<(string Key, double Value)> metrics, long step);

    /// <summary>Saves <paramref name="value"/> as the artifact <paramref name="name"/> with <paramref name="serializer"/>.</summary>
    void SaveArtifact<T>(string name, T value, IArtifactSerializer<T> serializer);
}

/// <summary>What generated code reads a run back through. <see cref="Recorder"/> implements it. Thread safety is the implementation's.</summary>
public interface IRunReader
{
    /// <summary>Every param of the run, as stored text.</summary>
    IReadOnlyDictionary<string, string> ListParams();

    /// <summary>The latest value of every metric of the run.</summary>
    IReadOnlyDictionary<string, double> ListMetrics();

    /// <summary>Whether the run has the artifact <paramref name="name"/> (a path relative to the run's artifact root).</summary>
    bool HasArtifact(string name);

    /// <summary>Loads the artifact <paramref name="name"/>; RESOURCE_DOES_NOT_EXIST when it is missing.</summary>
    T LoadArtifact<T>(string name, IArtifactSerializer<T> serializer);
}

/// <summary>Implemented by the generator for every <c>[Tracked]</c> type. The generated methods read the instance's members without locking: do not mutate the instance while it is being logged.</summary>
public interface ITrackedModel
{
    /// <summary>Logs every <c>[Param]</c> (groups flattened with dotted keys) in one batch.</summary>
    void LogParams(IRunLogger run);

    /// <summary>Logs every <c>[Metric]</c> at <paramref name="step"/> in one batch.</summary>
    void LogMetrics(IRunLogger run, long step);

    /// <summary>Saves every non-null <c>[Artifact]</c> with the serializer chosen for its type.</summary>
    void SaveArtifacts(IRunLogger run);
}

/// <summary>The static half of a <c>[Tracked]</c> type: rebuilding it without reflection. The static members are stateless and thread-safe.</summary>
/// <typeparam name="TSelf">The <c>[Tracked]</c> type itself.</typeparam>
public interface ITrackedModel<TSelf> : ITrackedModel where TSelf : ITrackedModel<TSelf>
{
    /// <summary>Names, experiment, params, metrics and artifacts of the type.</summary>
    static abstract TrackedSchema Schema { get; }

    /// <summary>
    /// A new instance whose params are parsed back from <paramref name="parameters"/> to their declared
    /// types; a missing key keeps the member's default. Malformed text is INVALID_PARAMETER_VALUE naming the key.
    /// </summary>
    static abstract TSelf FromParams(IReadOnlyDictionary<string, string> parameters);

    /// <summary><see cref="FromParams"/> with the run's params, then its latest metrics and its artifacts.</summary>
    static abstract TSelf Load(IRunReader run);
}

/// <summary>
/// A model's prediction entry point, for the record templates (<c>SignalRecord</c>): what Qlib finds by
/// calling <c>model.predict(dataset)</c>. The generator implements it from a <see cref="PredictAttribute"/> method.
/// Thread safety is that of the model's own method.
/// </summary>
/// <typeparam name="TInput">The dataset type the model predicts on.</typeparam>
public interface IPredictor<in TInput>
{
    /// <summary>The model's scores for <paramref name="input"/>, one per (datetime, instrument).</summary>
    PredictionFrame Predict(TInput input);
}

/// <summary>
/// Artifact names Qlib's record templates use, with our typed formats (Qlib's <c>pred.pkl</c> is our
/// <c>pred.parquet</c>). The record templates and the generated record glue share them. Constants only; thread-safe.
/// </summary>
public static class RecordArtifacts
{
    /// <summary>SignalRecord's predictions (<see cref="PredictionFrame"/>, Parquet).</summary>
    public const string Pred = "pred.parquet";

    /// <summary>SignalRecord's raw test labels (<see cref="LabelFrame"/>, Parquet).</summary>
    public const string Label = "label.parquet";

    /// <summary>SigAnaRecord's folder (<c>ic</c>, <c>ric</c>, long-short series).</summary>
    public const string SigAnalysisPath = "sig_analysis";

    /// <summary>SigAnaRecord's daily IC series, inside <see cref="SigAnalysisPath"/>.</summary>
    public const string IcFile = "ic.parquet";

    /// <summary>SigAnaRecord's daily rank IC series, inside <see cref="SigAnalysisPath"/>.</summary>
    public const string RankIcFile = "ric.parquet";

    /// <summary>SigAnaRecord's long-short return series, inside <see cref="SigAnalysisPath"/>.</summary>
    public const string LongShortReturnFile = "long_short_r.parquet";

    /// <summary>SigAnaRecord's long-average return series, inside <see cref="SigAnalysisPath"/>.</summary>
    public const string LongAvgReturnFile = "long_avg_r.parquet";

    /// <summary>SigAnaRecord's daily IC series (Qlib: <c>sig_analysis/ic.pkl</c>).</summary>
    public const string SigAnalysisIc = SigAnalysisPath + "/" + IcFile;

    /// <summary>SigAnaRecord's daily rank IC series (Qlib: <c>sig_analysis/ric.pkl</c>).</summary>
    public const string SigAnalysisRankIc = SigAnalysisPath + "/" + RankIcFile;

    /// <summary>SigAnaRecord's long-short return series, with <c>ana_long_short</c> (Qlib: <c>sig_analysis/long_short_r.pkl</c>).</summary>
    public const string SigAnalysisLongShortReturn = SigAnalysisPath + "/" + LongShortReturnFile;

    /// <summary>SigAnaRecord's long-average return series, with <c>ana_long_short</c> (Qlib: <c>sig_analysis/long_avg_r.pkl</c>).</summary>
    public const string SigAnalysisLongAvgReturn = SigAnalysisPath + "/" + LongAvgReturnFile;

    /// <summary>PortAnaRecord's folder (reports, positions, risk analysis).</summary>
    public const string PortfolioAnalysisPath = "portfolio_analysis";
}
