namespace Qlib.Tracked;

/// <summary>
/// Declares a record template a <c>[Tracked]</c> model's runs use (repeat it, one per template):
/// <c>[Record(typeof(SignalRecord))] [Record(typeof(SigAnaRecord))]</c>. The generator exposes the declared
/// templates, in dependency order, as <c>Schema.RecordTemplates</c>; the analyzers check that every template a
/// declared template depends on (<see cref="DependsOnRecordAttribute"/>) is declared too (QTRK403), that no
/// template is declared twice (QTRK404) and that each type is a concrete record template (QTRK405). Immutable; thread-safe.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = false, AllowMultiple = true)]
public sealed class RecordAttribute : Attribute
{
    /// <param name="template">A concrete type deriving from <c>Qlib.Tracked.Records.RecordTemplate</c>.</param>
    public RecordAttribute(Type template) => Template = template;

    /// <summary>The declared record template type.</summary>
    public Type Template { get; }
}

/// <summary>
/// Says, on a record template, which template's outputs it reads (Qlib's <c>depend_cls</c>), so the
/// dependency is visible at compile time: <c>[DependsOnRecord(typeof(SignalRecord))] class SigAnaRecord</c>.
/// Put it on your own templates too; the analyzers and the generator read it from the template type (and its
/// base types). It must agree with the template's <c>Layout.DependsOn</c>, which is what the template loads at run time. Immutable; thread-safe.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true, AllowMultiple = true)]
public sealed class DependsOnRecordAttribute : Attribute
{
    /// <param name="template">The record template whose artifacts this template reads.</param>
    public DependsOnRecordAttribute(Type template) => Template = template;

    /// <summary>The record template whose artifacts this template reads.</summary>
    public Type Template { get; }
}
