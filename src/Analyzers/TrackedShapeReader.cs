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
    /// Reads a [Tracked] type member by member with the generator's own rules (<see cref="TrackedShapeRules"/>, the
    /// same file compiled into both), and says why each type or member the generator skips is skipped. The
    /// consistency tests run both over the same shapes.
    /// </summary>
    internal static class TrackedShapeReader
    {
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

            if (TrackedShapeRules.HierarchyProblem(type) is { } reason)
            {
                report(Diagnostic.Create(DiagnosticDescriptors.UnsupportedTypeShape, location, Display(type), reason));
                ok = false;
            }

            if (type.IsAbstract || type.IsStatic)
            {
                report(Diagnostic.Create(DiagnosticDescriptors.AbstractOrStaticType, location, Display(type), type.IsStatic ? "static" : "abstract"));
                ok = false;
            }
            else if (!TrackedShapeRules.HasParameterlessConstructor(type, type))
            {
                report(Diagnostic.Create(DiagnosticDescriptors.NoParameterlessConstructor, location, Display(type)));
                ok = false;
            }
            if (TrackedShapeRules.FirstRequiredMember(type) is { } required)
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
                    var unreadable = TrackedShapeRules.UnreadableMember(member);
                    if (unreadable is not null)
                    {
                        var descriptor = kind == 1 ? DiagnosticDescriptors.ParamNotReadable : kind == 2 ? DiagnosticDescriptors.MetricNotReadable : DiagnosticDescriptors.ArtifactNotReadable;
                        report?.Invoke(Diagnostic.Create(descriptor, memberLocation, member.Name, unreadable));
                        continue;
                    }
                    var memberType = TrackedShapeRules.MemberType(member);
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
                        if (TrackedShapeRules.MetricValueType(memberType, out _) is null)
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

            if (!TrackedShapeRules.CanRead(member, tracked, compilation))
            {
                report?.Invoke(Diagnostic.Create(DiagnosticDescriptors.ParamNotReadable, reportLocation, path,
                    "'" + member.Name + "' of '" + Display(member.ContainingType) + "' is not accessible from '" + Display(tracked) + "'"));
                return;
            }
            if (TrackedShapeRules.IsScalar(type))
            {
                shape.Params.Add(new KeyEntry(key, path, keyLocation));
                return;
            }
            if (TrackedShapeRules.NullableUnderlying(type) is { } inner)
            {
                if (TrackedShapeRules.NullableParamProblem(type, inner) is { } problem) Drop(problem);
                else shape.Params.Add(new KeyEntry(key, path, keyLocation));
                return;
            }
            if (TrackedShapeRules.ListElement(type, out _) is { } element)
            {
                if (TrackedShapeRules.ListElementProblem(type, element) is { } problem) Drop(problem);
                else shape.Params.Add(new KeyEntry(key, path, keyLocation));
                return;
            }

            // A group: a class, record or struct with [Param] members of its own.
            if (TrackedShapeRules.GroupProblem(type, depth, tracked, compilation) is { } groupProblem)
            {
                Drop(groupProblem);
                return;
            }
            var group = (INamedTypeSymbol)type;
            if (!groupChain.Add(group.WithNullableAnnotation(NullableAnnotation.None))) { Drop("group '" + Display(type) + "' contains itself"); return; }
            try
            {
                var any = false;
                foreach (var child in group.GetMembers())
                {
                    if (child.IsImplicitlyDeclared) continue;
                    foreach (var attr in child.GetAttributes())
                    {
                        if (!KnownSymbols.Is(attr.AttributeClass, symbols.Param)) continue;
                        any = true;
                        var childPath = path + "." + child.Name;
                        var unreadable = TrackedShapeRules.UnreadableMember(child);
                        if (unreadable is not null)
                        {
                            report?.Invoke(Diagnostic.Create(DiagnosticDescriptors.ParamNotReadable, reportLocation, childPath, unreadable));
                            continue;
                        }
                        var explicitName = TrackedShapeRules.ExplicitName(attr);
                        var childKey = key + "." + (explicitName ?? Naming.ToSnakeCase(child.Name));
                        ReadParam(child, TrackedShapeRules.MemberType(child), childKey, childPath, keyLocation, reportLocation, tracked, compilation, symbols, groupChain, depth + 1, shape, report);
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
            if (TrackedShapeRules.ArtifactKindOf(type, attr, out var unsupported) is null)
            {
                report?.Invoke(Diagnostic.Create(DiagnosticDescriptors.ArtifactTypeUnsupported, memberLocation, member.Name, Display(type), unsupported));
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
            if (TrackedShapeRules.PredictProblem(method) is { } reason)
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

        /// <summary>
        /// The name the generated registry lists the type under (the generator's <c>RegistryName</c>): <c>[Tracked(Name = …)]</c>
        /// when not empty, else the type's full name without <c>global::</c> (<c>Ns.Outer.Inner</c>).
        /// </summary>
        public static string RegistryName(INamedTypeSymbol type, AttributeData tracked) =>
            TrackedShapeRules.ExplicitRegistryName(tracked)
            ?? type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat.WithGlobalNamespaceStyle(SymbolDisplayGlobalNamespaceStyle.Omitted));

        /// <summary>Where the named argument <paramref name="name"/> of an attribute is written, if it is.</summary>
        public static Location? NamedArgumentLocation(AttributeData attr, string name) =>
            attr.ApplicationSyntaxReference?.GetSyntax() is AttributeSyntax { ArgumentList: { } list }
                ? list.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == name)?.Expression.GetLocation()
                : null;

        /// <summary>The generator's rule: a non-empty string first constructor argument, else the naming policy.</summary>
        public static string? ExplicitName(AttributeData attr) => TrackedShapeRules.ExplicitName(attr);

        private static Location? ArgumentLocation(AttributeData attr) =>
            attr.ApplicationSyntaxReference?.GetSyntax() is AttributeSyntax { ArgumentList.Arguments.Count: > 0 } syntax
                ? syntax.ArgumentList.Arguments[0].Expression.GetLocation()
                : null;

        private static bool IsPartial(TypeDeclarationSyntax declaration) => declaration.Modifiers.Any(m => m.ValueText == "partial");

        public static string Display(ISymbol symbol) => TrackedShapeRules.Display(symbol);
    }
}
