namespace Qlib.Tracked.Compare;

/// <summary>
/// Several runs' histories of one metric on a shared step axis (an outer join on step).
/// <see cref="Values"/>[r][i] is run r's value at <see cref="Steps"/>[i], or null when run r logged
/// nothing at that step; NaN is a logged NaN.
/// Immutable; thread-safe.
/// </summary>
/// <param name="MetricKey">The metric compared.</param>
/// <param name="RunIds">The runs, in the order given.</param>
/// <param name="Steps">Every step any run logged, ascending, each once.</param>
/// <param name="Values">One row per run, one entry per step.</param>
public sealed record AlignedMetricHistory(
    string MetricKey,
    IReadOnlyList<string> RunIds,
    IReadOnlyList<long> Steps,
    IReadOnlyList<IReadOnlyList<double?>> Values);
