// The runtime's own known names: the analyzers read these attributes from this assembly, so the lists
// below are the single place the record templates' metric and artifact names and MLflow's reserved tags
// are spelled.
[assembly: Qlib.Tracked.KnownTrackingNames(Qlib.Tracked.TrackingNameKind.Metric,
    Qlib.Tracked.RecordMetrics.IC, Qlib.Tracked.RecordMetrics.ICIR, Qlib.Tracked.RecordMetrics.RankIC, Qlib.Tracked.RecordMetrics.RankICIR,
    Qlib.Tracked.RecordMetrics.LongShortAnnReturn, Qlib.Tracked.RecordMetrics.LongShortAnnSharpe,
    Qlib.Tracked.RecordMetrics.LongAvgAnnReturn, Qlib.Tracked.RecordMetrics.LongAvgAnnSharpe,
    Qlib.Tracked.RecordMetrics.LongPrecision, Qlib.Tracked.RecordMetrics.ShortPrecision,
    Qlib.Tracked.RecordMetrics.LongShortAverageReturn, Qlib.Tracked.RecordMetrics.LongShortAverageSharpe,
    Qlib.Tracked.RecordMetrics.Mse, Qlib.Tracked.RecordMetrics.Rmse,
    Qlib.Tracked.RecordMetrics.ExcessReturnWithoutCostMean1Day, Qlib.Tracked.RecordMetrics.ExcessReturnWithoutCostStd1Day,
    Qlib.Tracked.RecordMetrics.ExcessReturnWithoutCostAnnualizedReturn1Day, Qlib.Tracked.RecordMetrics.ExcessReturnWithoutCostInformationRatio1Day,
    Qlib.Tracked.RecordMetrics.ExcessReturnWithoutCostMaxDrawdown1Day,
    Qlib.Tracked.RecordMetrics.ExcessReturnWithCostMean1Day, Qlib.Tracked.RecordMetrics.ExcessReturnWithCostStd1Day,
    Qlib.Tracked.RecordMetrics.ExcessReturnWithCostAnnualizedReturn1Day, Qlib.Tracked.RecordMetrics.ExcessReturnWithCostInformationRatio1Day,
    Qlib.Tracked.RecordMetrics.ExcessReturnWithCostMaxDrawdown1Day,
    Qlib.Tracked.RecordMetrics.Ffr1Day, Qlib.Tracked.RecordMetrics.Pa1Day, Qlib.Tracked.RecordMetrics.Pos1Day)]
[assembly: Qlib.Tracked.KnownTrackingNames(Qlib.Tracked.TrackingNameKind.Artifact,
    Qlib.Tracked.RecordArtifacts.Pred, Qlib.Tracked.RecordArtifacts.Label,
    Qlib.Tracked.RecordArtifacts.SigAnalysisIc, Qlib.Tracked.RecordArtifacts.SigAnalysisRankIc,
    Qlib.Tracked.RecordArtifacts.SigAnalysisLongShortReturn, Qlib.Tracked.RecordArtifacts.SigAnalysisLongAvgReturn)]
[assembly: Qlib.Tracked.KnownTrackingNames(Qlib.Tracked.TrackingNameKind.Tag,
    Qlib.Tracked.MlflowTags.RunName, Qlib.Tracked.MlflowTags.User, Qlib.Tracked.MlflowTags.SourceName, Qlib.Tracked.MlflowTags.SourceType,
    Qlib.Tracked.MlflowTags.SourceGitCommit, Qlib.Tracked.MlflowTags.SourceGitBranch, Qlib.Tracked.MlflowTags.SourceGitRepoUrl,
    Qlib.Tracked.MlflowTags.ParentRunId, Qlib.Tracked.MlflowTags.NoteContent, Qlib.Tracked.MlflowTags.LogModelHistory)]

namespace Qlib.Tracked;

/// <summary>
/// Metric keys Qlib's record templates log, spelled exactly as Qlib spells them (qlib-semantics §3):
/// SigAnaRecord, HFSignalRecord, SignalMseRecord and PortAnaRecord at the default <c>1day</c> frequency. Constants only; thread-safe.
/// </summary>
public static class RecordMetrics
{
    /// <summary>SigAnaRecord: the mean of the daily Pearson correlation between score and label.</summary>
    public const string IC = "IC";
    /// <summary>SigAnaRecord: IC's mean divided by its standard deviation.</summary>
    public const string ICIR = "ICIR";
    /// <summary>SigAnaRecord: the mean of the daily Spearman (rank) correlation between score and label.</summary>
    public const string RankIC = "Rank IC";
    /// <summary>SigAnaRecord: Rank IC's mean divided by its standard deviation.</summary>
    public const string RankICIR = "Rank ICIR";
    /// <summary>SigAnaRecord with <c>ana_long_short</c>: the annualized mean of the top-minus-bottom quantile's daily label.</summary>
    public const string LongShortAnnReturn = "Long-Short Ann Return";
    /// <summary>SigAnaRecord with <c>ana_long_short</c>: the long-short return's annualized mean over its standard deviation.</summary>
    public const string LongShortAnnSharpe = "Long-Short Ann Sharpe";
    /// <summary>SigAnaRecord with <c>ana_long_short</c>: the annualized mean of the top quantile's label minus the day's average label.</summary>
    public const string LongAvgAnnReturn = "Long-Avg Ann Return";
    /// <summary>SigAnaRecord with <c>ana_long_short</c>: the long-average return's annualized mean over its standard deviation.</summary>
    public const string LongAvgAnnSharpe = "Long-Avg Ann Sharpe";
    /// <summary>HFSignalRecord: the share of the top quantile whose label is positive.</summary>
    public const string LongPrecision = "Long precision";
    /// <summary>HFSignalRecord: the share of the bottom quantile whose label is negative.</summary>
    public const string ShortPrecision = "Short precision";
    /// <summary>HFSignalRecord: the mean daily long-short return.</summary>
    public const string LongShortAverageReturn = "Long-Short Average Return";
    /// <summary>HFSignalRecord: the long-short return's mean over its standard deviation.</summary>
    public const string LongShortAverageSharpe = "Long-Short Average Sharpe";
    /// <summary>SignalMseRecord: the mean squared error between score and label.</summary>
    public const string Mse = "MSE";
    /// <summary>SignalMseRecord: the root of <see cref="Mse"/>.</summary>
    public const string Rmse = "RMSE";
    /// <summary>PortAnaRecord: the mean daily excess return over the benchmark, before costs.</summary>
    public const string ExcessReturnWithoutCostMean1Day = "1day.excess_return_without_cost.mean";
    /// <summary>PortAnaRecord: the standard deviation of the daily excess return, before costs.</summary>
    public const string ExcessReturnWithoutCostStd1Day = "1day.excess_return_without_cost.std";
    /// <summary>PortAnaRecord: the annualized excess return (mean × 238 trading days in Qlib's sum mode), before costs.</summary>
    public const string ExcessReturnWithoutCostAnnualizedReturn1Day = "1day.excess_return_without_cost.annualized_return";
    /// <summary>PortAnaRecord: the annualized information ratio of the excess return, before costs.</summary>
    public const string ExcessReturnWithoutCostInformationRatio1Day = "1day.excess_return_without_cost.information_ratio";
    /// <summary>PortAnaRecord: the maximum drawdown of the cumulative excess return, before costs (a negative number).</summary>
    public const string ExcessReturnWithoutCostMaxDrawdown1Day = "1day.excess_return_without_cost.max_drawdown";
    /// <summary>PortAnaRecord: the mean daily excess return over the benchmark, after costs.</summary>
    public const string ExcessReturnWithCostMean1Day = "1day.excess_return_with_cost.mean";
    /// <summary>PortAnaRecord: the standard deviation of the daily excess return, after costs.</summary>
    public const string ExcessReturnWithCostStd1Day = "1day.excess_return_with_cost.std";
    /// <summary>PortAnaRecord: the annualized excess return, after costs.</summary>
    public const string ExcessReturnWithCostAnnualizedReturn1Day = "1day.excess_return_with_cost.annualized_return";
    /// <summary>PortAnaRecord: the annualized information ratio of the excess return, after costs.</summary>
    public const string ExcessReturnWithCostInformationRatio1Day = "1day.excess_return_with_cost.information_ratio";
    /// <summary>PortAnaRecord: the maximum drawdown of the cumulative excess return, after costs (a negative number).</summary>
    public const string ExcessReturnWithCostMaxDrawdown1Day = "1day.excess_return_with_cost.max_drawdown";
    /// <summary>PortAnaRecord: the orders' fulfill rate (dealt / ordered amount), from the indicator analysis.</summary>
    public const string Ffr1Day = "1day.ffr";
    /// <summary>PortAnaRecord: the orders' price advantage, from the indicator analysis.</summary>
    public const string Pa1Day = "1day.pa";
    /// <summary>PortAnaRecord: the share of orders with a positive price advantage, from the indicator analysis.</summary>
    public const string Pos1Day = "1day.pos";
}

/// <summary>MLflow's reserved run tags (<c>mlflow/utils/mlflow_tags.py</c>) that runs commonly carry. Constants only; thread-safe.</summary>
public static class MlflowTags
{
    /// <summary>The run's display name.</summary>
    public const string RunName = "mlflow.runName";
    /// <summary>The user who created the run.</summary>
    public const string User = "mlflow.user";
    /// <summary>The script, notebook or entry point that created the run.</summary>
    public const string SourceName = "mlflow.source.name";
    /// <summary>The kind of source: <c>NOTEBOOK</c>, <c>JOB</c>, <c>PROJECT</c>, <c>LOCAL</c> or <c>UNKNOWN</c>.</summary>
    public const string SourceType = "mlflow.source.type";
    /// <summary>The git commit the source was at.</summary>
    public const string SourceGitCommit = "mlflow.source.git.commit";
    /// <summary>The git branch the source was on.</summary>
    public const string SourceGitBranch = "mlflow.source.git.branch";
    /// <summary>The URL of the source's git repository.</summary>
    public const string SourceGitRepoUrl = "mlflow.source.git.repoURL";
    /// <summary>The id of the parent run of a nested run.</summary>
    public const string ParentRunId = "mlflow.parentRunId";
    /// <summary>The run's description (Markdown), as the MLflow UI edits it.</summary>
    public const string NoteContent = "mlflow.note.content";
    /// <summary>A JSON list of the models logged in the run (written by <c>mlflow.&lt;flavor&gt;.log_model</c>).</summary>
    public const string LogModelHistory = "mlflow.log-model.history";
}
