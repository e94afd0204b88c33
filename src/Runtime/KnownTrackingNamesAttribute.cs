namespace Qlib.Tracked;

/// <summary>What a tracking name names: a metric key, a param key, a tag key or an artifact path.</summary>
public enum TrackingNameKind
{
    /// <summary>A metric key.</summary>
    Metric,
    /// <summary>A param key.</summary>
    Param,
    /// <summary>A run or experiment tag key.</summary>
    Tag,
    /// <summary>An artifact path, relative to the run's artifact root.</summary>
    Artifact,
}

/// <summary>
/// Declares names an assembly logs or loads without a <see cref="TrackedAttribute"/> type that spells them
/// (ad hoc tags, hand-logged metrics, objects saved with <c>SaveObject</c>). The Qlib.Tracked analyzers
/// treat these names, every <c>[Tracked]</c> schema's names and the record templates' names
/// (<see cref="RecordMetrics"/>, <see cref="RecordArtifacts"/>, <see cref="MlflowTags"/>) as known, and
/// warn about string literals passed to the logging and loading APIs that are none of them. Immutable; thread-safe.
/// </summary>
/// <example><c>[assembly: KnownTrackingNames(TrackingNameKind.Tag, "hostname", "sample")]</c></example>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true, Inherited = false)]
public sealed class KnownTrackingNamesAttribute : Attribute
{
    /// <summary>Declares <paramref name="names"/> as known names of <paramref name="kind"/>.</summary>
    /// <param name="kind">What the names name.</param>
    /// <param name="names">The names, spelled exactly as they are logged or loaded.</param>
    public KnownTrackingNamesAttribute(TrackingNameKind kind, params string[] names)
    {
        Kind = kind;
        Names = names;
    }

    /// <summary>What the names name.</summary>
    public TrackingNameKind Kind { get; }

    /// <summary>The declared names.</summary>
    public IReadOnlyList<string> Names { get; }
}
