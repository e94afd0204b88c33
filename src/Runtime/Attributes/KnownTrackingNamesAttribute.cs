namespace Qlib.Tracked;

/// <summary>What a tracking name names: a metric key, a param key, a tag key or an artifact path.</summary>
public enum TrackingNameKind
{
    Metric,
    Param,
    Tag,
    Artifact,
}

/// <summary>
/// Declares names an assembly logs or loads without a <see cref="TrackedAttribute"/> type that spells them
/// (ad hoc tags, hand-logged metrics, objects saved with <c>SaveObject</c>). The Qlib.Tracked analyzers
/// treat these names, every <c>[Tracked]</c> schema's names and the record templates' names
/// (<see cref="RecordMetrics"/>, <see cref="RecordArtifacts"/>, <see cref="MlflowTags"/>) as known, and
/// warn about string literals passed to the logging and loading APIs that are none of them.
/// </summary>
/// <example><c>[assembly: KnownTrackingNames(TrackingNameKind.Tag, "hostname", "sample")]</c></example>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true, Inherited = false)]
public sealed class KnownTrackingNamesAttribute : Attribute
{
    public KnownTrackingNamesAttribute(TrackingNameKind kind, params string[] names)
    {
        Kind = kind;
        Names = names;
    }

    public TrackingNameKind Kind { get; }

    public IReadOnlyList<string> Names { get; }
}
