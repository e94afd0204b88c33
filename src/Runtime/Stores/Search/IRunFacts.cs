using System.Diagnostics.CodeAnalysis;
using Qlib.Tracked.Entities;

namespace Qlib.Tracked.Stores.Search;

/// <summary>
/// What a filter condition reads from one run. A whole <see cref="Run"/> answers from its dictionaries; the run
/// index answers straight from its entries (checking a key's file the first time a query asks for it), so a
/// filter over 100,000 indexed runs builds no per-run objects — only the runs that match become <see cref="Run"/>s.
/// </summary>
internal interface IRunFacts
{
    RunInfo Info { get; }

    bool TryGetMetric(string key, [MaybeNullWhen(false)] out Metric metric);

    bool TryGetParam(string key, [MaybeNullWhen(false)] out string value);

    bool TryGetTag(string key, [MaybeNullWhen(false)] out string value);

    /// <summary>Dataset inputs (read on demand: few filters name them).</summary>
    IReadOnlyList<DatasetInput> Inputs { get; }
}
