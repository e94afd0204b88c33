using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Qlib.Tracked.Analyzers
{
    /// <summary>
    /// [Tracked] declarations: shapes the generator skips (QTRK001–006), registry names two types share (QTRK007), members it drops (QTRK101/102, 201/204,
    /// 301/304), keys that break MLflow's rules or collide (QTRK103/104, 202/203, 302/303) and the record glue's
    /// [Predict] method (QTRK401/402). The generator skips; this analyzer says why.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class TrackedDeclarationAnalyzer : DiagnosticAnalyzer
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
            DiagnosticDescriptors.TypeNotPartial, DiagnosticDescriptors.ContainingTypeNotPartial, DiagnosticDescriptors.UnsupportedTypeShape,
            DiagnosticDescriptors.AbstractOrStaticType, DiagnosticDescriptors.NoParameterlessConstructor, DiagnosticDescriptors.RequiredMembers,
            DiagnosticDescriptors.DuplicateModelName,
            DiagnosticDescriptors.ParamTypeUnsupported, DiagnosticDescriptors.ParamNotReadable, DiagnosticDescriptors.DuplicateParamKey, DiagnosticDescriptors.InvalidParamKey,
            DiagnosticDescriptors.MetricTypeUnsupported, DiagnosticDescriptors.DuplicateMetricKey, DiagnosticDescriptors.InvalidMetricKey, DiagnosticDescriptors.MetricNotReadable,
            DiagnosticDescriptors.ArtifactTypeUnsupported, DiagnosticDescriptors.ArtifactNameCollision, DiagnosticDescriptors.InvalidArtifactName, DiagnosticDescriptors.ArtifactNotReadable,
            DiagnosticDescriptors.PredictMethodUnsupported, DiagnosticDescriptors.MultiplePredictMethods);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                var symbols = KnownSymbols.Create(start.Compilation);
                if (symbols is null) return;
                var registered = new ConcurrentBag<RegistryEntry>();
                start.RegisterSymbolAction(ctx => AnalyzeType(ctx, symbols, registered), SymbolKind.NamedType);
                start.RegisterCompilationEndAction(end => CheckRegistryNames(end, registered));
            });
        }

        /// <summary>A type the generated registry lists: its registry name, its fully qualified name and where its name is given.</summary>
        private sealed class RegistryEntry
        {
            public RegistryEntry(string name, string fullyQualifiedName, Location location)
            {
                Name = name;
                FullyQualifiedName = fullyQualifiedName;
                Location = location;
            }

            public string Name { get; }

            public string FullyQualifiedName { get; }

            public Location Location { get; }
        }

        private static void AnalyzeType(SymbolAnalysisContext context, KnownSymbols symbols, ConcurrentBag<RegistryEntry> registered)
        {
            var type = (INamedTypeSymbol)context.Symbol;
            var tracked = type.GetAttributes().FirstOrDefault(a => KnownSymbols.Is(a.AttributeClass, symbols.Tracked));
            if (tracked is null) return;
            var report = new System.Action<Diagnostic>(context.ReportDiagnostic);
            if (TrackedShapeReader.CheckTypeShape(type, report) && Generators.TrackedShapeRules.IsAccessibleFromAssembly(type))
                registered.Add(new RegistryEntry(TrackedShapeReader.RegistryName(type, tracked), type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
                    TrackedShapeReader.NamedArgumentLocation(tracked, "Name") ?? type.Locations.FirstOrDefault() ?? Location.None));
            var shape = TrackedShapeReader.Read(type, symbols, report);
            CheckKeys(shape.Params, DiagnosticDescriptors.InvalidParamKey, DiagnosticDescriptors.DuplicateParamKey, report);
            CheckKeys(shape.Metrics, DiagnosticDescriptors.InvalidMetricKey, DiagnosticDescriptors.DuplicateMetricKey, report);
            CheckArtifacts(shape.Artifacts, type, report);
        }

        /// <summary>
        /// The generated registry keeps one type per name, the first by fully qualified name (ordinal), and leaves the
        /// others out; each one left out is reported.
        /// </summary>
        private static void CheckRegistryNames(CompilationAnalysisContext context, ConcurrentBag<RegistryEntry> registered)
        {
            foreach (var group in registered.GroupBy(e => e.Name, System.StringComparer.Ordinal))
            {
                var ordered = group.OrderBy(e => e.FullyQualifiedName, System.StringComparer.Ordinal).ToList();
                for (var i = 1; i < ordered.Count; i++)
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.DuplicateModelName, ordered[i].Location,
                        group.Key, Plain(ordered[i].FullyQualifiedName), Plain(ordered[0].FullyQualifiedName)));
            }
        }

        private static string Plain(string fullyQualifiedName) =>
            fullyQualifiedName.StartsWith("global::", System.StringComparison.Ordinal) ? fullyQualifiedName.Substring("global::".Length) : fullyQualifiedName;

        private static void CheckKeys(List<KeyEntry> entries, DiagnosticDescriptor invalid, DiagnosticDescriptor duplicate, System.Action<Diagnostic> report)
        {
            var seen = new Dictionary<string, KeyEntry>(System.StringComparer.Ordinal);
            foreach (var entry in entries)
            {
                if (seen.TryGetValue(entry.Key, out var first))
                {
                    report(Diagnostic.Create(duplicate, entry.Location, entry.Key, first.MemberPath, entry.MemberPath));
                    continue;
                }
                seen.Add(entry.Key, entry);
                if (MlflowNameRules.KeyProblem(entry.Key) is { } problem)
                    report(Diagnostic.Create(invalid, entry.Location, entry.Key, entry.MemberPath, problem));
            }
        }

        private static void CheckArtifacts(List<ArtifactEntry> artifacts, INamedTypeSymbol type, System.Action<Diagnostic> report)
        {
            var owner = TrackedShapeReader.Display(type);
            for (var j = 1; j < artifacts.Count; j++)
            {
                var later = artifacts[j];
                for (var i = 0; i < j; i++)
                {
                    var earlier = artifacts[i];
                    string? why = null;
                    if (string.Equals(earlier.Normalized, later.Normalized, System.StringComparison.Ordinal))
                        why = "both are saved as '" + later.Normalized + "'";
                    else if (later.Normalized.StartsWith(earlier.Normalized + "/", System.StringComparison.Ordinal))
                        why = "'" + earlier.Normalized + "' is a file, so it cannot also be the folder of '" + later.Normalized + "'";
                    else if (earlier.Normalized.StartsWith(later.Normalized + "/", System.StringComparison.Ordinal))
                        why = "'" + later.Normalized + "' is a file, so it cannot also be the folder of '" + earlier.Normalized + "'";
                    if (why is null) continue;
                    report(Diagnostic.Create(DiagnosticDescriptors.ArtifactNameCollision, later.Location, later.Name, owner + "." + later.Member, earlier.Name, owner + "." + earlier.Member, why));
                    break;
                }
            }
        }
    }
}
