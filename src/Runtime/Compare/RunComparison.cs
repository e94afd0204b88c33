using Qlib.Tracked.Entities;

namespace Qlib.Tracked.Compare;

/// <summary>One param across the compared runs; a null value means the run does not have the param. Immutable; thread-safe.</summary>
/// <param name="Key">The param key.</param>
/// <param name="Values">One value per run, in the order of <see cref="RunComparison.Runs"/>.</param>
/// <param name="Differs">True when two runs disagree (a missing value differs from any present one).</param>
public sealed record ParamComparisonRow(string Key, IReadOnlyList<string?> Values, bool Differs);

/// <summary>
/// One metric's latest value across the compared runs; null means the run never logged it, while NaN
/// is a logged NaN.
/// Immutable; thread-safe.
/// </summary>
/// <param name="Key">The metric key.</param>
/// <param name="Values">One latest value per run, in the order of <see cref="RunComparison.Runs"/>.</param>
/// <param name="Differs">True when two runs disagree; two NaNs are the same value, a missing value differs from any logged one.</param>
public sealed record MetricComparisonRow(string Key, IReadOnlyList<double?> Values, bool Differs);

/// <summary>Runs side by side: params and latest metrics, keys sorted ordinally, runs in the order given. Immutable; thread-safe.</summary>
public sealed record RunComparison(
    IReadOnlyList<RunInfo> Runs,
    IReadOnlyList<ParamComparisonRow> Params,
    IReadOnlyList<MetricComparisonRow> Metrics);
