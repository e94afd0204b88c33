namespace Qlib.Tracked;

/// <summary>
/// Marks a <c>partial</c> class, record or struct whose <see cref="ParamAttribute"/>,
/// <see cref="MetricAttribute"/> and <see cref="ArtifactAttribute"/> members the Qlib.Tracked source
/// generator turns into code: name constants (<c>Names</c>), <c>LogParams</c>, <c>LogMetrics</c>,
/// <c>SaveArtifacts</c>, a typed <c>Load{Member}</c> per artifact, <c>FromParams</c>, <c>Load</c>,
/// <c>Schema</c> (with <c>Schema.RecordTemplates</c> from the type's <see cref="RecordAttribute"/>s), an entry in
/// the assembly's <c>TrackedModelRegistry</c> and, with a <see cref="PredictAttribute"/> method, the signal-record glue.
/// </summary>
/// <remarks>
/// <para><b>Naming policy.</b> A member without an explicit name is logged under its name in snake_case,
/// as Qlib's kwargs and flattened task dicts spell keys: a word starts at an upper-case letter that
/// follows a lower-case letter or digit, or that starts a capitalised word after an acronym; digits stay
/// with the word before them; leading underscores are dropped; everything is lower-cased.
/// <c>LearningRate</c> → <c>learning_rate</c>, <c>ICValue</c> → <c>ic_value</c>, <c>IC</c> → <c>ic</c>,
/// <c>Top10Count</c> → <c>top10_count</c>, <c>_numLeaves</c> → <c>num_leaves</c>. An explicit name
/// (<c>[Param("num_leaves")]</c>) is used exactly as written.</para>
/// <para><b>Shapes.</b> Types must be <c>partial</c> (and so must every containing type); generic types are
/// skipped. Shapes the generator cannot handle are skipped silently; the analyzers report them.</para>
/// <para>Read by the generator at compile time; its properties are only set by the attribute syntax, so an instance read at run time is effectively immutable and thread-safe.</para>
/// </remarks>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = false, AllowMultiple = false)]
public sealed class TrackedAttribute : Attribute
{
    /// <summary>The experiment runs of this model usually go to (exposed as <c>Schema.Experiment</c>); optional.</summary>
    public string? Experiment { get; set; }

    /// <summary>
    /// The model's name in the registry (<c>TrackedModelRegistry</c>), as a workflow config names it.
    /// Defaults to the type's full name without <c>global::</c> (<c>MyApp.Models.LgbModel</c>).
    /// </summary>
    public string? Name { get; set; }
}

/// <summary>
/// A hyper-parameter: logged by <c>LogParams</c> and parsed back by <c>FromParams</c>. Supported member
/// types: <c>double</c>, <c>float</c>, <c>int</c>, <c>long</c>, <c>bool</c>, <c>string</c>, <c>decimal</c>,
/// <c>DateTime</c>, enums, their nullable forms, arrays / <c>List&lt;T&gt;</c> / <c>IReadOnlyList&lt;T&gt;</c>
/// / <c>IList&lt;T&gt;</c> / <c>IEnumerable&lt;T&gt;</c> of those scalars, and <b>groups</b>: a class, record or
/// struct with a public parameterless constructor whose own members carry <c>[Param]</c>. A group is
/// flattened with dotted keys as Qlib's <c>flatten_dict</c> does (<c>dataset.segments.train</c>).
/// Value spelling and parse-back rules: <see cref="ParamText"/>. Immutable; thread-safe.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field, Inherited = false, AllowMultiple = false)]
public sealed class ParamAttribute : Attribute
{
    /// <summary>Logged under the member's name in snake_case (see <see cref="TrackedAttribute"/>).</summary>
    public ParamAttribute() { }

    /// <summary>Logged under <paramref name="name"/> exactly.</summary>
    public ParamAttribute(string name) => Name = name;

    /// <summary>The explicit param key, or null to use the member's snake_case name.</summary>
    public string? Name { get; }
}

/// <summary>
/// A metric: <c>LogMetrics(run, step)</c> logs every metric of the type in one batch at that step, and
/// <c>Load</c> restores each from the run's latest value. Member types: <c>double</c>, <c>float</c>,
/// <c>int</c>, <c>long</c> and their nullable forms (a null metric is not logged). Immutable; thread-safe.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field, Inherited = false, AllowMultiple = false)]
public sealed class MetricAttribute : Attribute
{
    /// <summary>Logged under the member's name in snake_case (see <see cref="TrackedAttribute"/>).</summary>
    public MetricAttribute() { }

    /// <summary>Logged under <paramref name="name"/> exactly.</summary>
    public MetricAttribute(string name) => Name = name;

    /// <summary>The explicit metric key, or null to use the member's snake_case name.</summary>
    public string? Name { get; }
}

/// <summary>
/// A typed artifact saved by <c>SaveArtifacts</c> and loaded by the generated <c>Load{Member}(run)</c>.
/// The serializer is chosen at compile time from the member's type: <c>string</c> → UTF-8 text,
/// <c>byte[]</c> → raw bytes, a table implementing <c>IParquetTable&lt;T&gt;</c> → Parquet,
/// a <c>[MemoryPackable]</c> type → MemoryPack, and any type when <see cref="JsonContext"/> names a
/// System.Text.Json source-generated context that lists it → JSON. A null member is not saved, and a
/// nullable member whose artifact is missing loads as null. Read by the generator at compile time; effectively
/// immutable and thread-safe at run time.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field, Inherited = false, AllowMultiple = false)]
public sealed class ArtifactAttribute : Attribute
{
    /// <param name="name">The artifact path, used as is (<c>"model"</c>, <c>"pred.parquet"</c>, <c>"sig_analysis/ic.parquet"</c>).</param>
    public ArtifactAttribute(string name) => Name = name;

    /// <summary>The artifact path, relative to the run's artifact root.</summary>
    public string Name { get; }

    /// <summary>A <c>JsonSerializerContext</c> type whose <c>Default</c> instance has type info for the member's type: stores it as JSON.</summary>
    public Type? JsonContext { get; set; }
}

/// <summary>
/// Marks the model's prediction entry point for the record templates: an instance method taking one
/// input (the dataset) and returning a <c>PredictionFrame</c>. The generator makes the type an
/// <c>IPredictor&lt;TInput&gt;</c> and emits <c>RecordSignal(run, input)</c> (predict, save
/// <c>pred.parquet</c>) and <c>LoadSignal(run)</c>. Stateless; thread-safe.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false, AllowMultiple = false)]
public sealed class PredictAttribute : Attribute
{
}
