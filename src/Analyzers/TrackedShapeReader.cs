using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Qlib.Tracked.Generators;

namespace Qlib.Tracked.Analyzers
{
    /// <summary>One logged key: the key, the member path that produces it (<c>Dataset.Segments.Train</c>) and where to report.</summary>
    internal sealed class KeyEntry
    {
        public KeyEntry(string key, string memberPath, Location location)
        {
            Key = key;
            MemberPath = memberPath;
            Location = location;
        }

        public string Key { get; }

        public string MemberPath { get; }

        public Location Location { get; }
    }

    /// <summary>One saved artifact: its name as written, its normalized path, its member type and where to report.</summary>
    internal sealed class ArtifactEntry
    {
        public ArtifactEntry(string name, string normalized, ITypeSymbol type, string member, Location location)
        {
            Name = name;
            Normalized = normalized;
            Type = type;
            Member = member;
            Location = location;
        }

        public string Name { get; }

        public string Normalized { get; }

        public ITypeSymbol Type { get; }

        public string Member { get; }

        public Location Location { get; }
    }

    /// <summary>What the generator will log for a [Tracked] type, and (optionally) why it leaves things out.</summary>
    internal sealed class TrackedShape
    {
        public List<KeyEntry> Params { get; } = new List<KeyEntry>();

        public List<KeyEntry> Metrics { get; } = new List<KeyEntry>();

        public List<ArtifactEntry> Artifacts { get; } = new List<ArtifactEntry>();
    }

    /// <summary>
    /// Reads a [Tracked] type the way the generator's <c>TrackedGenerator.Parser</c> does, member by member and rule
    /// by rule, and says why each member the generator would drop is dropped. Keep the two in step: the
    /// consistency tests run both over the same shapes.
    /// </summary>
    internal static class TrackedShapeReader
    {
        private const int MaxGroupDepth = 8;

        /// <summary>Reports the type-level reasons the generator skips <paramref name="type"/>; true when it does not.</summary>
        public static bool CheckTypeShape(INamedTypeSymbol type, Action<Diagnostic> report)
        {
            var ok = true;
            var location = type.Locations.FirstOrDefault() ?? Location.None;

            // Partial: every declaration of the type, and every declaration of the types around it (the
            // generator's syntax predicate walks TypeDeclarationSyntax parents).
            foreach (var reference in type.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax() is not TypeDeclarationSyntax declaration) continue;
                if (!IsPartial(declaration))
                {
                    report(Diagnostic.Create(DiagnosticDescriptors.TypeNotPartial, declaration.Identifier.GetLocation(), Display(type)));
                    ok = false;
                }
                for (var parent = declaration.Parent as TypeDeclarationSyntax; parent is not null; parent = parent.Parent as TypeDeclarationSyntax)
                {
                    if (IsPartial(parent)) continue;
                    report(Diagnostic.Create(DiagnosticDescriptors.ContainingTypeNotPartial, parent.Identifier.GetLocation(), parent.Identifier.ValueText, Display(type)));
                    ok = false;
                }
            }

            for (var current = type; current is not null; current = current.ContainingType)
            {
                string? reason = null;
                if (current.IsGenericType)
                    reason = SymbolEqualityComparer.Default.Equals(current, type)
                        ? "generic types are not supported (FromParams, Load and the registry need a closed type)"
                        : "it is nested in generic type '" + Display(current) + "'";
                else if (current.TypeKind is not (TypeKind.Class or TypeKind.Struct))
                    reason = "it is nested in " + current.TypeKind.ToString().ToLowerInvariant() + " '" + Display(current) + "'";
                if (reason is null) continue;
                report(Diagnostic.Create(DiagnosticDescriptors.UnsupportedTypeShape, location, Display(type), reason));
                ok = false;
                break;
            }

            if (type.IsAbstract || type.IsStatic)
            {
                report(Diagnostic.Create(DiagnosticDescriptors.AbstractOrStaticType, location, Display(type), type.IsStatic ? "static" : "abstract"));
                ok = false;
            }
            else if (!HasParameterlessConstructor(type, type))
            {
                report(Diagnostic.Create(DiagnosticDescriptors.NoParameterlessConstructor, location, Display(type)));
                ok = false;
            }
            if (FirstRequiredMember(type) is { } required)
            {
                report(Diagnostic.Create(DiagnosticDescriptors.RequiredMembers, location, Display(type), required.Name));
                ok = false;
            }
            return ok;
        }

        /// <summary>Reads the members of <paramref name="type"/>; reports why members are dropped when <paramref name="report"/> is given.</summary>
        public static TrackedShape Read(INamedTypeSymbol type, KnownSymbols symbols, Action<Diagnostic>? report)
        {
            var shape = new TrackedShape();
            var compilation = symbols.Compilation;
            IMethodSymbol? predict = null;
            foreach (var member in type.GetMembers())
            {
                if (member.IsImplicitlyDeclared) continue;
                if (member is IMethodSymbol method)
                {
                    if (report is not null) CheckPredict(method, symbols, ref predict, report);
                    continue;
                }
                foreach (var attr in member.GetAttributes())
                {
                    var kind = KnownSymbols.Is(attr.AttributeClass, symbols.Param) ? 1
                        : KnownSymbols.Is(attr.AttributeClass, symbols.Metric) ? 2
                        : KnownSymbols.Is(attr.AttributeClass, symbols.Artifact) ? 3 : 0;
                    if (kind == 0) continue;
                    var memberLocation = member.Locations.FirstOrDefault() ?? Location.None;
                    var unreadable = Unreadable(member);
                    if (unreadable is not null)
                    {
                        var descriptor = kind == 1 ? DiagnosticDescriptors.ParamNotReadable : kind == 2 ? DiagnosticDescriptors.MetricNotReadable : DiagnosticDescriptors.ArtifactNotReadable;
                        report?.Invoke(Diagnostic.Create(descriptor, memberLocation, member.Name, unreadable));
                        continue;
                    }
                    var memberType = MemberType(member);
                    var explicitName = ExplicitName(attr);
                    var nameLocation = ArgumentLocation(attr) ?? memberLocation;
                    if (kind == 1)
                    {
                        var key = explicitName ?? Naming.ToSnakeCase(member.Name);
                        ReadParam(member, memberType, key, member.Name, explicitName is not null ? nameLocation : memberLocation, memberLocation,
                            type, compilation, symbols, new HashSet<ITypeSymbol>(SymbolEqualityComparer.Default), 0, shape, report);
                    }
                    else if (kind == 2)
                    {
                        if (!IsMetricType(memberType))
                        {
                            report?.Invoke(Diagnostic.Create(DiagnosticDescriptors.MetricTypeUnsupported, memberLocation, member.Name, Display(memberType)));
                            continue;
                        }
                        var key = explicitName ?? Naming.ToSnakeCase(member.Name);
                        shape.Metrics.Add(new KeyEntry(key, member.Name, explicitName is not null ? nameLocation : memberLocation));
                    }
                    else
                    {
                        ReadArtifact(member, memberType, attr, explicitName, nameLocation, memberLocation, symbols, shape, report);
                    }
                }
            }
            return shape;
        }

        private static void ReadParam(ISymbol member, ITypeSymbol type, string key, string path, Location keyLocation, Location reportLocation,
            INamedTypeSymbol tracked, Compilation compilation, KnownSymbols symbols, HashSet<ITypeSymbol> groupChain, int depth,
            TrackedShape shape, Action<Diagnostic>? report)
        {
            void Drop(string reason) => report?.Invoke(Diagnostic.Create(DiagnosticDescriptors.ParamTypeUnsupported, reportLocation, path, reason));

            if (!CanRead(member, tracked, compilation))
            {
                report?.Invoke(Diagnostic.Create(DiagnosticDescriptors.ParamNotReadable, reportLocation, path,
                    "'" + member.Name + "' of '" + Display(member.ContainingType) + "' is not accessible from '" + Display(tracked) + "'"));
                return;
            }
            if (type.SpecialType == SpecialType.System_String || IsScalar(type))
            {
                shape.Params.Add(new KeyEntry(key, path, keyLocation));
                return;
            }
            if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
            {
                if (IsScalar(nullable.TypeArguments[0])) shape.Params.Add(new KeyEntry(key, path, keyLocation));
                else Drop("'" + Display(type) + "' has no stable text form (nullable forms of double, float, int, long, bool, decimal, DateTime and enums are supported)");
                return;
            }
            if (ListElement(type) is { } element)
            {
                if (element.NullableAnnotation == NullableAnnotation.Annotated || element.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T)
                    Drop("list elements must not be nullable ('" + Display(type) + "')");
                else if (!IsScalar(element) && element.SpecialType != SpecialType.System_String)
                    Drop("list element type '" + Display(element) + "' has no stable text form (lists of double, float, int, long, bool, string, decimal, DateTime and enums are supported)");
                else
                    shape.Params.Add(new KeyEntry(key, path, keyLocation));
                return;
            }

            // A group: a class, record or struct with [Param] members of its own.
            if (type is not INamedTypeSymbol group || group.SpecialType != SpecialType.None)
            {
                Drop("'" + Display(type) + "' has no stable text form (supported: double, float, int, long, bool, string, decimal, DateTime, enums, their nullable forms, lists of them, and groups with [Param] members)");
                return;
            }
            if (depth >= MaxGroupDepth) { Drop("groups nest deeper than " + MaxGroupDepth + " levels"); return; }
            if (group.IsGenericType) { Drop("'" + Display(type) + "' is generic; only List<T>, arrays and the list interfaces are supported, and groups must not be generic"); return; }
            if (group.TypeKind is not (TypeKind.Class or TypeKind.Struct)) { Drop("'" + Display(type) + "' is " + Article(group.TypeKind) + "; groups must be classes, records or structs"); return; }
            if (!HasParameterlessConstructor(group, tracked)) { Drop("group '" + Display(type) + "' has no accessible parameterless constructor"); return; }
            if (FirstRequiredMember(group) is { } required) { Drop("group '" + Display(type) + "' has required member '" + required.Name + "'"); return; }
            if (!groupChain.Add(group.WithNullableAnnotation(NullableAnnotation.None))) { Drop("group '" + Display(type) + "' contains itself"); return; }
            try
            {
                if (!compilation.IsSymbolAccessibleWithin(group, tracked)) { Drop("group '" + Display(type) + "' is not accessible from '" + Display(tracked) + "'"); return; }
                var any = false;
                foreach (var child in group.GetMembers())
                {
                    if (child.IsImplicitlyDeclared) continue;
                    foreach (var attr in child.GetAttributes())
                    {
                        if (!KnownSymbols.Is(attr.AttributeClass, symbols.Param)) continue;
                        any = true;
                        var childPath = path + "." + child.Name;
                        var unreadable = Unreadable(child);
                        if (unreadable is not null)
                        {
                            report?.Invoke(Diagnostic.Create(DiagnosticDescriptors.ParamNotReadable, reportLocation, childPath, unreadable));
                            continue;
                        }
                        var explicitName = ExplicitName(attr);
                        var childKey = key + "." + (explicitName ?? Naming.ToSnakeCase(child.Name));
                        ReadParam(child, MemberType(child), childKey, childPath, keyLocation, reportLocation, tracked, compilation, symbols, groupChain, depth + 1, shape, report);
                    }
                }
                if (!any)
                    Drop("'" + Display(type) + "' has no stable text form: it is not a supported scalar or list, and as a group it has no [Param] members to flatten");
            }
            finally
            {
                groupChain.Remove(group.WithNullableAnnotation(NullableAnnotation.None));
            }
        }

        private static void ReadArtifact(ISymbol member, ITypeSymbol type, AttributeData attr, string? name, Location nameLocation, Location memberLocation,
            KnownSymbols symbols, TrackedShape shape, Action<Diagnostic>? report)
        {
            if (name is null)
            {
                report?.Invoke(Diagnostic.Create(DiagnosticDescriptors.InvalidArtifactName, nameLocation, member.Name, "", "it is empty"));
                return;
            }
            if (type.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T)
            {
                report?.Invoke(Diagnostic.Create(DiagnosticDescriptors.ArtifactTypeUnsupported, memberLocation, member.Name, Display(type),
                    "nullable value types are not supported as artifacts"));
                return;
            }
            var hasJsonContext = attr.NamedArguments.Any(a => a.Key == "JsonContext" && a.Value.Value is INamedTypeSymbol);
            var supported = hasJsonContext
                || type.SpecialType == SpecialType.System_String
                || type is IArrayTypeSymbol { Rank: 1, ElementType.SpecialType: SpecialType.System_Byte }
                || (symbols.ParquetTable is not null && type.AllInterfaces.Any(i =>
                    SymbolEqualityComparer.Default.Equals(i.OriginalDefinition, symbols.ParquetTable) && SymbolEqualityComparer.Default.Equals(i.TypeArguments[0], type)))
                || (symbols.MemoryPackable is not null && type.GetAttributes().Any(a => KnownSymbols.Is(a.AttributeClass, symbols.MemoryPackable)));
            if (!supported)
            {
                report?.Invoke(Diagnostic.Create(DiagnosticDescriptors.ArtifactTypeUnsupported, memberLocation, member.Name, Display(type),
                    "no serializer fits it; use string (text), byte[] (bytes), a type implementing IParquetTable<T> (Parquet), a [MemoryPackable] type (MemoryPack), or set JsonContext to a System.Text.Json context that lists the type"));
                return;
            }
            var problem = MlflowNameRules.ArtifactPathProblem(name, out var normalized);
            if (problem is not null)
            {
                // The generator still emits it; the runtime rejects it on every save.
                report?.Invoke(Diagnostic.Create(DiagnosticDescriptors.InvalidArtifactName, nameLocation, member.Name, name, problem));
            }
            shape.Artifacts.Add(new ArtifactEntry(name, problem is null ? normalized : name, type, member.Name, nameLocation));
        }

        private static void CheckPredict(IMethodSymbol method, KnownSymbols symbols, ref IMethodSymbol? predict, Action<Diagnostic> report)
        {
            if (symbols.Predict is null || !method.GetAttributes().Any(a => KnownSymbols.Is(a.AttributeClass, symbols.Predict))) return;
            var location = method.Locations.FirstOrDefault() ?? Location.None;
            string? reason = null;
            if (method.IsStatic) reason = "it is static; the prediction entry point is an instance method";
            else if (method.IsGenericMethod) reason = "it is generic";
            else if (method.Parameters.Length != 1) reason = "it must take exactly one parameter (the dataset), not " + method.Parameters.Length;
            else if (method.Parameters[0].RefKind != RefKind.None) reason = "its parameter must be passed by value";
            else if (symbols.PredictionFrame is null || !SymbolEqualityComparer.Default.Equals(method.ReturnType, symbols.PredictionFrame))
                reason = "it must return Qlib.Tracked.Frames.PredictionFrame, not '" + Display(method.ReturnType) + "'";
            if (reason is not null)
            {
                report(Diagnostic.Create(DiagnosticDescriptors.PredictMethodUnsupported, location, method.Name, reason));
                return;
            }
            if (predict is not null)
            {
                report(Diagnostic.Create(DiagnosticDescriptors.MultiplePredictMethods, location, method.Name, predict.Name));
                return;
            }
            predict = method;
        }

        /// <summary>Why the generator's <c>TryMemberType</c> (and its static filter) drops the member, or null.</summary>
        private static string? Unreadable(ISymbol member) => member switch
        {
            IFieldSymbol { IsConst: true } => "it is a constant; tracked members are instance fields or properties",
            { IsStatic: true } => "it is static; tracked members are instance fields or properties",
            IPropertySymbol { IsIndexer: true } => "it is an indexer",
            IPropertySymbol { GetMethod: null } => "it has no getter",
            IPropertySymbol or IFieldSymbol => null,
            _ => "it is not a field or property",
        };

        private static ITypeSymbol MemberType(ISymbol member) => member switch
        {
            IPropertySymbol p => p.Type,
            IFieldSymbol f => f.Type,
            _ => throw new InvalidOperationException(),
        };

        private static bool CanRead(ISymbol member, INamedTypeSymbol within, Compilation compilation) => member switch
        {
            IPropertySymbol p => p.GetMethod is { } get && compilation.IsSymbolAccessibleWithin(get, within),
            IFieldSymbol f => compilation.IsSymbolAccessibleWithin(f, within),
            _ => false,
        };

        private static bool IsScalar(ITypeSymbol type) =>
            type.TypeKind == TypeKind.Enum || type.SpecialType is SpecialType.System_Double or SpecialType.System_Single
                or SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_Boolean or SpecialType.System_String
                or SpecialType.System_Decimal or SpecialType.System_DateTime;

        private static bool IsMetricType(ITypeSymbol type)
        {
            if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } n) type = n.TypeArguments[0];
            return type.SpecialType is SpecialType.System_Double or SpecialType.System_Single or SpecialType.System_Int32 or SpecialType.System_Int64;
        }

        private static ITypeSymbol? ListElement(ITypeSymbol type)
        {
            if (type is IArrayTypeSymbol { Rank: 1 } array) return array.ElementType;
            if (type is not INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } named) return null;
            var definition = named.OriginalDefinition.ToDisplayString();
            return definition == TypeNames.List || Array.IndexOf(TypeNames.ArrayCompatibleInterfaces, definition) >= 0 ? named.TypeArguments[0] : null;
        }

        private static bool HasParameterlessConstructor(INamedTypeSymbol type, INamedTypeSymbol within)
        {
            if (type.IsValueType) return true;
            if (type.IsAbstract) return false;
            return type.InstanceConstructors.Any(c => c.Parameters.Length == 0
                && (SymbolEqualityComparer.Default.Equals(type, within) || c.DeclaredAccessibility is Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal));
        }

        private static ISymbol? FirstRequiredMember(INamedTypeSymbol type)
        {
            for (var current = type; current is not null; current = current.BaseType)
            {
                foreach (var m in current.GetMembers())
                {
                    if (m is IPropertySymbol { IsRequired: true } or IFieldSymbol { IsRequired: true }) return m;
                }
            }
            return null;
        }

        /// <summary>
        /// The name the generated registry lists the type under (the generator's <c>RegistryName</c>): <c>[Tracked(Name = …)]</c>
        /// when not empty, else the type's full name without <c>global::</c> (<c>Ns.Outer.Inner</c>).
        /// </summary>
        public static string RegistryName(INamedTypeSymbol type, AttributeData tracked)
        {
            foreach (var argument in tracked.NamedArguments)
            {
                if (argument.Key == "Name" && argument.Value.Value is string name && name.Length > 0) return name;
            }
            return type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat.WithGlobalNamespaceStyle(SymbolDisplayGlobalNamespaceStyle.Omitted));
        }

        /// <summary>The generator lists only types that code elsewhere in the assembly can name (no private or protected nesting).</summary>
        public static bool IsAccessibleFromAssembly(INamedTypeSymbol type)
        {
            for (var current = type; current is not null; current = current.ContainingType)
            {
                if (current.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal)) return false;
            }
            return true;
        }

        /// <summary>Where the named argument <paramref name="name"/> of an attribute is written, if it is.</summary>
        public static Location? NamedArgumentLocation(AttributeData attr, string name) =>
            attr.ApplicationSyntaxReference?.GetSyntax() is AttributeSyntax { ArgumentList: { } list }
                ? list.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == name)?.Expression.GetLocation()
                : null;

        /// <summary>The generator's rule: a non-empty string first constructor argument, else the naming policy.</summary>
        public static string? ExplicitName(AttributeData attr) =>
            attr.ConstructorArguments.Length > 0 && attr.ConstructorArguments[0].Value is string s && s.Length > 0 ? s : null;

        private static Location? ArgumentLocation(AttributeData attr) =>
            attr.ApplicationSyntaxReference?.GetSyntax() is AttributeSyntax { ArgumentList.Arguments.Count: > 0 } syntax
                ? syntax.ArgumentList.Arguments[0].Expression.GetLocation()
                : null;

        private static bool IsPartial(TypeDeclarationSyntax declaration) => declaration.Modifiers.Any(m => m.ValueText == "partial");

        private static string Article(TypeKind kind) => kind switch
        {
            TypeKind.Interface => "an interface",
            TypeKind.Delegate => "a delegate",
            _ => "a " + kind.ToString().ToLowerInvariant(),
        };

        public static string Display(ISymbol symbol) => symbol.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat);
    }
}
