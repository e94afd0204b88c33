using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Qlib.Tracked.Generators.Helpers;
using Qlib.Tracked.Generators.Model;

namespace Qlib.Tracked.Generators
{
    public sealed partial class TrackedGenerator
    {
        /// <summary>
        /// Symbols → spec. Returns null for shapes the generator does not handle (generic types, no
        /// parameterless constructor, required members, abstract classes); members it cannot handle are
        /// left out. Reporting either is the analyzers' job.
        /// </summary>
        internal static class Parser
        {
            private static readonly SymbolDisplayFormat FullyQualified = SymbolDisplayFormat.FullyQualifiedFormat
                .WithMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.EscapeKeywordIdentifiers
                    | SymbolDisplayMiscellaneousOptions.UseSpecialTypes
                    | SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

            private static readonly SymbolDisplayFormat FullyQualifiedNoNullable = SymbolDisplayFormat.FullyQualifiedFormat
                .WithMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.EscapeKeywordIdentifiers
                    | SymbolDisplayMiscellaneousOptions.UseSpecialTypes);

            /// <summary>Syntax-only filter for FAWMN: partial classes, records and structs whose containing types are partial too.</summary>
            public static bool IsCandidate(SyntaxNode node)
            {
                if (node is not (ClassDeclarationSyntax or StructDeclarationSyntax or RecordDeclarationSyntax)) return false;
                for (var current = node; current is TypeDeclarationSyntax type; current = current.Parent)
                {
                    if (!type.Modifiers.Any(m => m.ValueText == "partial")) return false;
                }
                return true;
            }

            public static TrackedTypeSpec? Parse(GeneratorAttributeSyntaxContext context, CancellationToken ct)
            {
                if (context.TargetSymbol is not INamedTypeSymbol type) return null;
                var hierarchy = Hierarchy(type);
                if (hierarchy is null) return null;
                if (type.IsAbstract || type.IsStatic || !TrackedShapeRules.HasParameterlessConstructor(type, type)
                    || TrackedShapeRules.FirstRequiredMember(type) is not null) return null;

                var attribute = context.Attributes[0];
                string? experiment = null;
                foreach (var arg in attribute.NamedArguments)
                {
                    if (arg.Key == "Experiment") experiment = arg.Value.Value as string;
                }

                var compilation = context.SemanticModel.Compilation;
                var parameters = new List<ParamSpec>();
                var metrics = new List<MetricSpec>();
                var artifacts = new List<ArtifactSpec>();
                PredictSpec? predict = null;
                foreach (var member in type.GetMembers())
                {
                    ct.ThrowIfCancellationRequested();
                    if (member.IsStatic || member.IsImplicitlyDeclared) continue;
                    if (member is IMethodSymbol method)
                    {
                        if (predict is null && HasAttribute(method, TypeNames.PredictAttribute)) predict = ParsePredict(method);
                        continue;
                    }
                    if (TrackedShapeRules.UnreadableMember(member) is not null) continue;
                    var memberType = TrackedShapeRules.MemberType(member);
                    foreach (var attr in member.GetAttributes())
                    {
                        var attrName = attr.AttributeClass?.ToDisplayString();
                        if (attrName == TypeNames.ParamAttribute)
                        {
                            var key = TrackedShapeRules.ExplicitName(attr) ?? Naming.ToSnakeCase(member.Name);
                            var spec = ParseParam(member, memberType, key, member.Name, type, type, compilation, new HashSet<string>(), 0);
                            if (spec is not null) parameters.Add(spec);
                        }
                        else if (attrName == TypeNames.MetricAttribute)
                        {
                            var spec = ParseMetric(member, memberType, TrackedShapeRules.ExplicitName(attr) ?? Naming.ToSnakeCase(member.Name));
                            if (spec is not null) metrics.Add(spec);
                        }
                        else if (attrName == TypeNames.ArtifactAttribute)
                        {
                            var spec = ParseArtifact(member, memberType, attr);
                            if (spec is not null) artifacts.Add(spec);
                        }
                    }
                }

                return new TrackedTypeSpec(
                    hierarchy,
                    TrackedShapeRules.ExplicitRegistryName(attribute) ?? hierarchy.DisplayName,
                    experiment,
                    TrackedShapeRules.IsAccessibleFromAssembly(type),
                    EquatableArray.From(parameters),
                    EquatableArray.From(metrics),
                    EquatableArray.From(artifacts),
                    predict,
                    RecordTemplates(type));
            }

            /// <summary>The [Record] templates, in dependency order; non-templates and repeats are left out (QTRK404/405 report them).</summary>
            private static EquatableArray<string> RecordTemplates(INamedTypeSymbol type)
            {
                var declared = new List<INamedTypeSymbol>();
                foreach (var attribute in type.GetAttributes())
                {
                    if (attribute.AttributeClass?.ToDisplayString() != TypeNames.RecordAttribute) continue;
                    if (attribute.ConstructorArguments.Length != 1 || attribute.ConstructorArguments[0].Value is not INamedTypeSymbol template) continue;
                    if (!RecordTemplateRules.IsTemplate(template) || RecordTemplateRules.ContainsSymbol(declared, template)) continue;
                    declared.Add(template);
                }
                if (declared.Count == 0) return EquatableArray<string>.Empty;
                return EquatableArray.From(RecordTemplateRules.Order(declared).Select(t => t.ToDisplayString(FullyQualifiedNoNullable)));
            }

            private static HierarchyInfo? Hierarchy(INamedTypeSymbol type)
            {
                if (TrackedShapeRules.HierarchyProblem(type) is not null) return null;
                var chain = new List<TypeDeclarationSpec>();
                for (var current = type; current is not null; current = current.ContainingType)
                {
                    var keyword = current.IsRecord
                        ? (current.TypeKind == TypeKind.Struct ? "record struct" : "record")
                        : current.TypeKind == TypeKind.Struct ? "struct" : "class";
                    chain.Insert(0, new TypeDeclarationSpec(keyword, Escape(current.Name), current.MetadataName, current.IsValueType));
                }
                var ns = type.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : "";
                return new HierarchyInfo(ns, new EquatableArray<TypeDeclarationSpec>(chain.ToArray()));
            }

            private static string Escape(string name) =>
                Microsoft.CodeAnalysis.CSharp.SyntaxFacts.GetKeywordKind(name) != Microsoft.CodeAnalysis.CSharp.SyntaxKind.None ? "@" + name : name;

            private static bool HasAttribute(ISymbol symbol, string name) =>
                symbol.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == name);

            /// <summary>Can generated code inside <paramref name="within"/> set the member in an object initializer (init allowed)?</summary>
            private static bool CanInitialize(ISymbol member, INamedTypeSymbol within, Compilation compilation) => member switch
            {
                IPropertySymbol p => p.SetMethod is { } set && compilation.IsSymbolAccessibleWithin(set, within),
                IFieldSymbol f => !f.IsReadOnly && compilation.IsSymbolAccessibleWithin(f, within),
                _ => false,
            };

            /// <summary>Can the type's own generated code assign the member after construction (init-only excluded)?</summary>
            private static bool CanAssign(ISymbol member) => member switch
            {
                IPropertySymbol p => p.SetMethod is { IsInitOnly: false },
                IFieldSymbol f => !f.IsReadOnly,
                _ => false,
            };

            private static ParamSpec? ParseParam(ISymbol member, ITypeSymbol type, string key, string constName,
                INamedTypeSymbol owner, INamedTypeSymbol tracked, Compilation compilation, HashSet<string> groupChain, int depth)
            {
                if (!TrackedShapeRules.CanRead(member, tracked, compilation)) return null;
                var canRestore = CanInitialize(member, tracked, compilation);
                var typeName = type.ToDisplayString(FullyQualified);
                var empty = EquatableArray<ParamSpec>.Empty;
                var annotated = type.NullableAnnotation == NullableAnnotation.Annotated;

                if (type.SpecialType == SpecialType.System_String)
                    return new ParamSpec(key, constName, member.Name, ParamKind.String, typeName, "string", TypeNames.Codecs + ".String", ListShape.None, annotated, canRestore, false, empty);

                if (Codec(type) is { } codec)
                    return new ParamSpec(key, constName, member.Name, ParamKind.Scalar, typeName, typeName, codec, ListShape.None, false, canRestore, true, empty);

                if (TrackedShapeRules.NullableUnderlying(type) is { } inner)
                {
                    return TrackedShapeRules.NullableParamProblem(type, inner) is null
                        ? new ParamSpec(key, constName, member.Name, ParamKind.NullableScalar, typeName, inner.ToDisplayString(FullyQualifiedNoNullable), Codec(inner)!, ListShape.None, true, canRestore, true, empty)
                        : null;
                }

                if (TrackedShapeRules.ListElement(type, out var shape) is { } element)
                {
                    if (TrackedShapeRules.ListElementProblem(type, element) is not null) return null;
                    return new ParamSpec(key, constName, member.Name, ParamKind.List, typeName, element.ToDisplayString(FullyQualifiedNoNullable), Codec(element)!,
                        shape, annotated, canRestore, false, empty);
                }

                // A group: a class, record or struct with [Param] members of its own.
                if (TrackedShapeRules.GroupProblem(type, depth, tracked, compilation) is not null) return null;
                var group = (INamedTypeSymbol)type;
                var groupName = group.ToDisplayString(FullyQualifiedNoNullable);
                if (!groupChain.Add(groupName)) return null; // a cycle
                var children = new List<ParamSpec>();
                foreach (var child in group.GetMembers())
                {
                    if (child.IsImplicitlyDeclared || TrackedShapeRules.UnreadableMember(child) is not null) continue;
                    var childType = TrackedShapeRules.MemberType(child);
                    foreach (var attr in child.GetAttributes())
                    {
                        if (attr.AttributeClass?.ToDisplayString() != TypeNames.ParamAttribute) continue;
                        var childKey = key + "." + (TrackedShapeRules.ExplicitName(attr) ?? Naming.ToSnakeCase(child.Name));
                        var spec = ParseParam(child, childType, childKey, constName + "_" + child.Name, group, tracked, compilation, groupChain, depth + 1);
                        if (spec is not null) children.Add(spec);
                    }
                }
                groupChain.Remove(groupName);
                if (children.Count == 0) return null;
                return new ParamSpec(key, constName, member.Name, ParamKind.Group, groupName, groupName, "", ListShape.None,
                    annotated, canRestore, group.IsValueType, EquatableArray.From(children));
            }

            private static MetricSpec? ParseMetric(ISymbol member, ITypeSymbol type, string key) =>
                TrackedShapeRules.MetricValueType(type, out var nullable) is { } value
                    ? new MetricSpec(key, member.Name, member.Name, value.ToDisplayString(FullyQualifiedNoNullable), nullable, CanAssign(member))
                    : null;

            private static ArtifactSpec? ParseArtifact(ISymbol member, ITypeSymbol type, AttributeData attr)
            {
                if (TrackedShapeRules.ExplicitName(attr) is not { } name) return null;
                if (TrackedShapeRules.ArtifactKindOf(type, attr, out _) is not { } kind) return null;
                var nullable = type.NullableAnnotation == NullableAnnotation.Annotated;
                var jsonContext = TrackedShapeRules.ArtifactJsonContext(attr)?.ToDisplayString(FullyQualifiedNoNullable);
                return new ArtifactSpec(name, member.Name, member.Name, type.ToDisplayString(FullyQualifiedNoNullable),
                    type.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat.WithMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.UseSpecialTypes)),
                    kind, jsonContext, nullable, CanAssign(member));
            }

            private static PredictSpec? ParsePredict(IMethodSymbol method) =>
                TrackedShapeRules.PredictProblem(method) is null
                    ? new PredictSpec(method.Name, method.Parameters[0].Type.ToDisplayString(FullyQualifiedNoNullable))
                    : null;

            /// <summary>The codec for a scalar param type, or null.</summary>
            private static string? Codec(ITypeSymbol type) => TrackedShapeRules.ScalarCodec(type, FullyQualifiedNoNullable);
        }
    }
}
