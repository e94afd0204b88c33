namespace Qlib.Tracked.Compare;

/// <summary>How <see cref="PredictionCorrelator"/> correlates two score columns.</summary>
public enum CorrelationMethod
{
    /// <summary>Pearson's linear correlation of the scores.</summary>
    Pearson,

    /// <summary>Spearman's rank correlation: Pearson of the average ranks (ties share their mean rank).</summary>
    Spearman,
}

/// <summary>
/// The correlation matrix of several runs' predictions on the (datetime, instrument) rows they all
/// predicted. <see cref="Matrix"/>[i][j] correlates <see cref="Labels"/>[i] with <see cref="Labels"/>[j];
/// it is symmetric, NaN where a pair has fewer than two complete rows or a constant side.
/// Immutable; thread-safe.
/// </summary>
/// <param name="Labels">One label per run (the run id, unless the caller named them), in the order given.</param>
/// <param name="Method">Pearson or Spearman.</param>
/// <param name="CommonRowCount">Rows present in every frame (the inner join), before NaN scores are dropped pairwise.</param>
/// <param name="Matrix">The correlations.</param>
public sealed record PredictionCorrelation(
    IReadOnlyList<string> Labels,
    CorrelationMethod Method,
    int CommonRowCount,
    IReadOnlyList<IReadOnlyList<double>> Matrix);
