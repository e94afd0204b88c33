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
            private const int MaxGroupDepth = 8;

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
                if (type.IsAbstract || type.IsStatic || !HasParameterlessConstructor(type, type) || HasRequiredMembers(type)) return null;

                var attribute = context.Attributes[0];
                string? experiment = null, name = null;
                foreach (var arg in attribute.NamedArguments)
                {
                    if (arg.Key == "Experiment") experiment = arg.Value.Value as string;
                    else if (arg.Key == "Name") name = arg.Value.Value as string;
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
                    if (!TryMemberType(member, out var memberType)) continue;
                    foreach (var attr in member.GetAttributes())
                    {
                        var attrName = attr.AttributeClass?.ToDisplayString();
                        if (attrName == TypeNames.ParamAttribute)
                        {
                            var key = ExplicitName(attr) ?? Naming.ToSnakeCase(member.Name);
                            var spec = ParseParam(member, memberType, key, member.Name, type, type, compilation, new HashSet<string>(), 0);
                            if (spec is not null) parameters.Add(spec);
                        }
                        else if (attrName == TypeNames.MetricAttribute)
                        {
                            var spec = ParseMetric(member, memberType, ExplicitName(attr) ?? Naming.ToSnakeCase(member.Name));
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
                    string.IsNullOrEmpty(name) ? hierarchy.DisplayName : name!,
                    experiment,
                    IsAccessibleFromAssembly(type),
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
                var chain = new List<TypeDeclarationSpec>();
                for (var current = type; current is not null; current = current.ContainingType)
                {
                    // Generic types (or types nested in one) are skipped deliberately: FromParams, Load and
                    // the registry need a closed type.
                    if (current.IsGenericType) return null;
                    if (current.TypeKind is not (TypeKind.Class or TypeKind.Struct)) return null;
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

            private static string? ExplicitName(AttributeData attr) =>
                attr.ConstructorArguments.Length > 0 && attr.ConstructorArguments[0].Value is string s && s.Length > 0 ? s : null;

            private static bool TryMemberType(ISymbol member, out ITypeSymbol type)
            {
                switch (member)
                {
                    case IPropertySymbol { IsIndexer: false, GetMethod: not null } p:
                        type = p.Type;
                        return true;
                    case IFieldSymbol { IsConst: false } f:
                        type = f.Type;
                        return true;
                    default:
                        type = null!;
                        return false;
                }
            }

            /// <summary>Can generated code inside <paramref name="within"/> read the member?</summary>
            private static bool CanRead(ISymbol member, INamedTypeSymbol within, Compilation compilation) => member switch
            {
                IPropertySymbol p => p.GetMethod is { } get && compilation.IsSymbolAccessibleWithin(get, within),
                IFieldSymbol f => compilation.IsSymbolAccessibleWithin(f, within),
                _ => false,
            };

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

            private static bool HasParameterlessConstructor(INamedTypeSymbol type, INamedTypeSymbol within)
            {
                if (type.IsValueType) return true;
                if (type.IsAbstract) return false;
                return type.InstanceConstructors.Any(c => c.Parameters.Length == 0
                    && (SymbolEqualityComparer.Default.Equals(type, within) || c.DeclaredAccessibility is Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal));
            }

            private static bool HasRequiredMembers(INamedTypeSymbol type)
            {
                for (var current = type; current is not null; current = current.BaseType)
                {
                    foreach (var m in current.GetMembers())
                    {
                        if (m is IPropertySymbol { IsRequired: true } or IFieldSymbol { IsRequired: true }) return true;
                    }
                }
                return false;
            }

            private static bool IsAccessibleFromAssembly(INamedTypeSymbol type)
            {
                for (var current = type; current is not null; current = current.ContainingType)
                {
                    if (current.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal)) return false;
                }
                return true;
            }

            /// <summary>The codec for a scalar param type, or null.</summary>
            private static string? Codec(ITypeSymbol type)
            {
                if (type.TypeKind == TypeKind.Enum) return TypeNames.Codecs + ".Enum<" + type.ToDisplayString(FullyQualifiedNoNullable) + ">";
                return type.SpecialType switch
                {
                    SpecialType.System_Double => TypeNames.Codecs + ".Double",
                    SpecialType.System_Single => TypeNames.Codecs + ".Single",
                    SpecialType.System_Int32 => TypeNames.Codecs + ".Int32",
                    SpecialType.System_Int64 => TypeNames.Codecs + ".Int64",
                    SpecialType.System_Boolean => TypeNames.Codecs + ".Boolean",
                    SpecialType.System_String => TypeNames.Codecs + ".String",
                    SpecialType.System_Decimal => TypeNames.Codecs + ".Decimal",
                    SpecialType.System_DateTime => TypeNames.Codecs + ".DateTime",
                    _ => null,
                };
            }

            private static ParamSpec? ParseParam(ISymbol member, ITypeSymbol type, string key, string constName,
                INamedTypeSymbol owner, INamedTypeSymbol tracked, Compilation compilation, HashSet<string> groupChain, int depth)
            {
                if (!CanRead(member, tracked, compilation)) return null;
                var canRestore = CanInitialize(member, tracked, compilation);
                var typeName = type.ToDisplayString(FullyQualified);
                var empty = EquatableArray<ParamSpec>.Empty;
                var annotated = type.NullableAnnotation == NullableAnnotation.Annotated;

                if (type.SpecialType == SpecialType.System_String)
                    return new ParamSpec(key, constName, member.Name, ParamKind.String, typeName, "string", TypeNames.Codecs + ".String", ListShape.None, annotated, canRestore, false, empty);

                if (Codec(type) is { } codec)
                    return new ParamSpec(key, constName, member.Name, ParamKind.Scalar, typeName, typeName, codec, ListShape.None, false, canRestore, true, empty);

                if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
                {
                    var inner = nullable.TypeArguments[0];
                    return Codec(inner) is { } innerCodec && inner.SpecialType != SpecialType.System_String
                        ? new ParamSpec(key, constName, member.Name, ParamKind.NullableScalar, typeName, inner.ToDisplayString(FullyQualifiedNoNullable), innerCodec, ListShape.None, true, canRestore, true, empty)
                        : null;
                }

                if (ListElement(type, out var shape) is { } element)
                {
                    if (element.NullableAnnotation == NullableAnnotation.Annotated || element.SpecialType == SpecialType.System_Nullable_T) return null;
                    return Codec(element) is { } elementCodec
                        ? new ParamSpec(key, constName, member.Name, ParamKind.List, typeName, element.ToDisplayString(FullyQualifiedNoNullable), elementCodec, shape, annotated, canRestore, false, empty)
                        : null;
                }

                // A group: a class, record or struct with [Param] members of its own.
                if (type is not INamedTypeSymbol group || depth >= MaxGroupDepth || group.IsGenericType
                    || group.TypeKind is not (TypeKind.Class or TypeKind.Struct) || group.SpecialType != SpecialType.None
                    || !HasParameterlessConstructor(group, tracked) || HasRequiredMembers(group)) return null;
                var groupName = group.ToDisplayString(FullyQualifiedNoNullable);
                if (!groupChain.Add(groupName)) return null; // a cycle
                if (!compilation.IsSymbolAccessibleWithin(group, tracked)) return null;
                var children = new List<ParamSpec>();
                foreach (var child in group.GetMembers())
                {
                    if (child.IsStatic || child.IsImplicitlyDeclared || !TryMemberType(child, out var childType)) continue;
                    foreach (var attr in child.GetAttributes())
                    {
                        if (attr.AttributeClass?.ToDisplayString() != TypeNames.ParamAttribute) continue;
                        var childKey = key + "." + (ExplicitName(attr) ?? Naming.ToSnakeCase(child.Name));
                        var spec = ParseParam(child, childType, childKey, constName + "_" + child.Name, group, tracked, compilation, groupChain, depth + 1);
                        if (spec is not null) children.Add(spec);
                    }
                }
                groupChain.Remove(groupName);
                if (children.Count == 0) return null;
                return new ParamSpec(key, constName, member.Name, ParamKind.Group, groupName, groupName, "", ListShape.None,
                    annotated, canRestore, group.IsValueType, EquatableArray.From(children));
            }

            private static ITypeSymbol? ListElement(ITypeSymbol type, out ListShape shape)
            {
                shape = ListShape.None;
                if (type is IArrayTypeSymbol { Rank: 1 } array)
                {
                    shape = ListShape.Array;
                    return array.ElementType;
                }
                if (type is not INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } named) return null;
                var definition = named.OriginalDefinition.ToDisplayString();
                if (definition == TypeNames.List) shape = ListShape.List;
                else if (TypeNames.ArrayCompatibleInterfaces.Contains(definition)) shape = ListShape.Interface;
                else return null;
                return named.TypeArguments[0];
            }

            private static MetricSpec? ParseMetric(ISymbol member, ITypeSymbol type, string key)
            {
                var nullable = false;
                if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } n)
                {
                    nullable = true;
                    type = n.TypeArguments[0];
                }
                if (type.SpecialType is not (SpecialType.System_Double or SpecialType.System_Single or SpecialType.System_Int32 or SpecialType.System_Int64)) return null;
                return new MetricSpec(key, member.Name, member.Name, type.ToDisplayString(FullyQualifiedNoNullable), nullable, CanAssign(member));
            }

            private static ArtifactSpec? ParseArtifact(ISymbol member, ITypeSymbol type, AttributeData attr)
            {
                if (attr.ConstructorArguments.Length == 0 || attr.ConstructorArguments[0].Value is not string name || name.Length == 0) return null;
                if (type.SpecialType == SpecialType.System_Nullable_T || type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T }) return null;
                var nullable = type.NullableAnnotation == NullableAnnotation.Annotated;
                string? jsonContext = null;
                foreach (var arg in attr.NamedArguments)
                {
                    if (arg.Key == "JsonContext" && arg.Value.Value is INamedTypeSymbol context) jsonContext = context.ToDisplayString(FullyQualifiedNoNullable);
                }
                ArtifactKind kind;
                if (jsonContext is not null) kind = ArtifactKind.Json;
                else if (type.SpecialType == SpecialType.System_String) kind = ArtifactKind.Text;
                else if (type is IArrayTypeSymbol { Rank: 1, ElementType.SpecialType: SpecialType.System_Byte }) kind = ArtifactKind.Bytes;
                else if (type.AllInterfaces.Any(i => i.OriginalDefinition.ToDisplayString() == TypeNames.ParquetTable
                    && SymbolEqualityComparer.Default.Equals(i.TypeArguments[0], type.WithNullableAnnotation(NullableAnnotation.None)))) kind = ArtifactKind.Parquet;
                else if (HasAttribute(type, TypeNames.MemoryPackableAttribute)) kind = ArtifactKind.MemoryPack;
                else return null;
                return new ArtifactSpec(name, member.Name, member.Name, type.ToDisplayString(FullyQualifiedNoNullable),
                    type.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat.WithMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.UseSpecialTypes)),
                    kind, jsonContext, nullable, CanAssign(member));
            }

            private static PredictSpec? ParsePredict(IMethodSymbol method)
            {
                if (method.IsGenericMethod || method.Parameters.Length != 1 || method.Parameters[0].RefKind != RefKind.None
                    || method.ReturnType.ToDisplayString() != TypeNames.PredictionFrame) return null;
                return new PredictSpec(method.Name, method.Parameters[0].Type.ToDisplayString(FullyQualifiedNoNullable));
            }
        }
    }
}
