using Qlib.Tracked.Generators.Helpers;

namespace Qlib.Tracked.Generators.Model
{
    // Caching contract: every spec is an immutable record built only from strings, bools, enums and
    // EquatableArray — never an ISymbol, SyntaxNode, Location or Compilation — so two runs over the same
    // declarations produce equal specs and the pipeline caches them. Types are identified by their
    // fully qualified name strings (global::…). The incremental tests walk these graphs.

    /// <summary>Everything needed to emit one [Tracked] type. <see cref="RecordTemplates"/>: the declared [Record] templates (global:: names) in dependency order.</summary>
    internal sealed record TrackedTypeSpec(
        HierarchyInfo Hierarchy,
        string RegistryName,
        string? Experiment,
        bool IsAccessibleFromAssembly,
        EquatableArray<ParamSpec> Params,
        EquatableArray<MetricSpec> Metrics,
        EquatableArray<ArtifactSpec> Artifacts,
        PredictSpec? Predict,
        EquatableArray<string> RecordTemplates = default);

    /// <summary>Where a type sits: namespace ("" for the global one) and its declaration chain, outermost first, ending with the type itself.</summary>
    internal sealed record HierarchyInfo(
        string Namespace,
        EquatableArray<TypeDeclarationSpec> Types)
    {
        /// <summary><c>global::Ns.Outer.Inner</c>.</summary>
        public string FullyQualifiedName => "global::" + DisplayName;

        /// <summary><c>Ns.Outer.Inner</c>.</summary>
        public string DisplayName
        {
            get
            {
                var names = new string[Types.Count];
                for (var i = 0; i < names.Length; i++) names[i] = Types[i].Name;
                var nested = string.Join(".", names);
                return Namespace.Length == 0 ? nested : Namespace + "." + nested;
            }
        }

        /// <summary><c>Ns.Outer+Inner.Tracked.g.cs</c>; a generic type would carry its arity (<c>Outer`1</c>) as in metadata names.</summary>
        public string HintName
        {
            get
            {
                var names = new string[Types.Count];
                for (var i = 0; i < names.Length; i++) names[i] = Types[i].MetadataName;
                var nested = string.Join("+", names);
                return (Namespace.Length == 0 ? nested : Namespace + "." + nested) + ".Tracked.g.cs";
            }
        }

        public string Name => Types[Types.Count - 1].Name;

        public bool IsValueType => Types[Types.Count - 1].IsValueType;
    }

    /// <summary>One declaration in the chain: its keyword (<c>class</c>, <c>struct</c>, <c>record</c>, <c>record struct</c>) and name.</summary>
    internal sealed record TypeDeclarationSpec(string Keyword, string Name, string MetadataName, bool IsValueType);

    internal enum ParamKind
    {
        /// <summary>A scalar with a codec (double, int, bool, decimal, DateTime, enum).</summary>
        Scalar,

        /// <summary><c>T?</c> for a scalar value type: null is <c>None</c>.</summary>
        NullableScalar,

        /// <summary>A string; <see cref="ParamSpec.IsNullableAnnotated"/> says whether <c>None</c> reads back as null.</summary>
        String,

        /// <summary>An array, list or read-only list of scalars.</summary>
        List,

        /// <summary>A nested group of params, flattened with dotted keys.</summary>
        Group,
    }

    /// <summary>One [Param] member. For a group, <see cref="Children"/> holds its members with full dotted keys.</summary>
    internal sealed record ParamSpec(
        string Key,
        string ConstName,
        string MemberName,
        ParamKind Kind,
        string TypeName,
        string ValueType,
        string Codec,
        ListShape Shape,
        bool IsNullableAnnotated,
        bool CanRestore,
        bool IsValueType,
        EquatableArray<ParamSpec> Children);

    /// <summary>One [Metric] member: <c>double</c>, <c>float</c>, <c>int</c> or <c>long</c>, maybe nullable.</summary>
    internal sealed record MetricSpec(
        string Key,
        string ConstName,
        string MemberName,
        string ValueType,
        bool IsNullable,
        bool CanRestore);

    /// <summary>One [Artifact] member and the serializer chosen for its type.</summary>
    internal sealed record ArtifactSpec(
        string Name,
        string ConstName,
        string MemberName,
        string TypeName,
        string DisplayTypeName,
        ArtifactKind Kind,
        string? JsonContext,
        bool IsNullable,
        bool CanRestore);

    /// <summary>The [Predict] method: <c>PredictionFrame Method(Input input)</c>.</summary>
    internal sealed record PredictSpec(string MethodName, string InputType);

    /// <summary>What the assembly registry needs from one type.</summary>
    internal sealed record RegistryEntrySpec(string Name, string FullyQualifiedName);
}
