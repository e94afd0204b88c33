namespace Qlib.Tracked;

/// <summary>What the generator knows about a <c>[Tracked]</c> type, at run time: for UIs, configs and the record templates. Immutable; thread-safe.</summary>
/// <param name="Name">Registry name (<see cref="TrackedAttribute.Name"/> or the type's full name).</param>
/// <param name="Experiment">The experiment named by <see cref="TrackedAttribute.Experiment"/>, or null.</param>
/// <param name="Params">Param keys in the order they are logged (dotted for groups).</param>
/// <param name="Metrics">Metric keys in declaration order.</param>
/// <param name="Artifacts">Artifacts in declaration order.</param>
public sealed record TrackedSchema(
    string Name,
    string? Experiment,
    IReadOnlyList<string> Params,
    IReadOnlyList<string> Metrics,
    IReadOnlyList<TrackedArtifact> Artifacts)
{
    /// <summary>
    /// The record templates the type declares with <see cref="RecordAttribute"/>, in an order they can run in: each
    /// after the declared templates it depends on (<see cref="DependsOnRecordAttribute"/>); at each step the first
    /// declared template that is ready comes next. Empty when none are declared.
    /// </summary>
    public IReadOnlyList<Type> RecordTemplates { get; init; } = [];
}

/// <summary>One artifact of a <c>[Tracked]</c> type. Immutable; thread-safe.</summary>
/// <param name="Name">The artifact path.</param>
/// <param name="Member">The member that holds it.</param>
/// <param name="TypeName">The member's type, as C# spells it (no <c>global::</c>).</param>
/// <param name="Format">The serializer's format: <c>text</c>, <c>bytes</c>, <c>parquet</c>, <c>memorypack</c> or <c>json</c>.</param>
public sealed record TrackedArtifact(string Name, string Member, string TypeName, string Format);
