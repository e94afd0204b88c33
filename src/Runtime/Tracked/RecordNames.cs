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
/// SigAnaRecord, HFSignalRecord, SignalMseRecord and PortAnaRecord at the default <c>1day</c> frequency.
/// </summary>
public static class RecordMetrics
{
    public const string IC = "IC";
    public const string ICIR = "ICIR";
    public const string RankIC = "Rank IC";
    public const string RankICIR = "Rank ICIR";
    public const string LongShortAnnReturn = "Long-Short Ann Return";
    public const string LongShortAnnSharpe = "Long-Short Ann Sharpe";
    public const string LongAvgAnnReturn = "Long-Avg Ann Return";
    public const string LongAvgAnnSharpe = "Long-Avg Ann Sharpe";
    public const string LongPrecision = "Long precision";
    public const string ShortPrecision = "Short precision";
    public const string LongShortAverageReturn = "Long-Short Average Return";
    public const string LongShortAverageSharpe = "Long-Short Average Sharpe";
    public const string Mse = "MSE";
    public const string Rmse = "RMSE";
    public const string ExcessReturnWithoutCostMean1Day = "1day.excess_return_without_cost.mean";
    public const string ExcessReturnWithoutCostStd1Day = "1day.excess_return_without_cost.std";
    public const string ExcessReturnWithoutCostAnnualizedReturn1Day = "1day.excess_return_without_cost.annualized_return";
    public const string ExcessReturnWithoutCostInformationRatio1Day = "1day.excess_return_without_cost.information_ratio";
    public const string ExcessReturnWithoutCostMaxDrawdown1Day = "1day.excess_return_without_cost.max_drawdown";
    public const string ExcessReturnWithCostMean1Day = "1day.excess_return_with_cost.mean";
    public const string ExcessReturnWithCostStd1Day = "1day.excess_return_with_cost.std";
    public const string ExcessReturnWithCostAnnualizedReturn1Day = "1day.excess_return_with_cost.annualized_return";
    public const string ExcessReturnWithCostInformationRatio1Day = "1day.excess_return_with_cost.information_ratio";
    public const string ExcessReturnWithCostMaxDrawdown1Day = "1day.excess_return_with_cost.max_drawdown";
    public const string Ffr1Day = "1day.ffr";
    public const string Pa1Day = "1day.pa";
    public const string Pos1Day = "1day.pos";
}

/// <summary>MLflow's reserved run tags (<c>mlflow/utils/mlflow_tags.py</c>) that runs commonly carry.</summary>
public static class MlflowTags
{
    public const string RunName = "mlflow.runName";
    public const string User = "mlflow.user";
    public const string SourceName = "mlflow.source.name";
    public const string SourceType = "mlflow.source.type";
    public const string SourceGitCommit = "mlflow.source.git.commit";
    public const string SourceGitBranch = "mlflow.source.git.branch";
    public const string SourceGitRepoUrl = "mlflow.source.git.repoURL";
    public const string ParentRunId = "mlflow.parentRunId";
    public const string NoteContent = "mlflow.note.content";
    public const string LogModelHistory = "mlflow.log-model.history";
}
