using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Qlib.Tracked.Generators;

namespace Qlib.Tracked.Analyzers
{
    /// <summary>
    /// Record-template declarations: a <c>[Record]</c> template whose <c>[DependsOnRecord]</c> template is not declared
    /// too (QTRK403), a template declared twice (QTRK404), and a <c>[Record]</c> or <c>[DependsOnRecord]</c> type that is
    /// not a concrete record template (QTRK405). Dependencies are read from the template types, so user templates count.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class RecordTemplateAnalyzer : DiagnosticAnalyzer
    {
        /// <summary>Property naming the missing template's metadata name, for the code fix.</summary>
        public const string DependencyProperty = "Dependency";

        private const string RecordAttributeName = "Record";
        private const string DependsOnAttributeName = "DependsOnRecord";

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
            DiagnosticDescriptors.MissingRecordDependency, DiagnosticDescriptors.DuplicateRecordTemplate, DiagnosticDescriptors.NotARecordTemplate);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                var symbols = KnownSymbols.Create(start.Compilation);
                if (symbols?.Record is null) return;
                start.RegisterSymbolAction(ctx => AnalyzeType(ctx, symbols), SymbolKind.NamedType);
            });
        }

        private static void AnalyzeType(SymbolAnalysisContext context, KnownSymbols symbols)
        {
            var type = (INamedTypeSymbol)context.Symbol;
            var declared = new List<(INamedTypeSymbol Template, Location Location)>();
            foreach (var attribute in type.GetAttributes())
            {
                var isRecord = KnownSymbols.Is(attribute.AttributeClass, symbols.Record);
                var isDependsOn = KnownSymbols.Is(attribute.AttributeClass, symbols.DependsOnRecord);
                if (!isRecord && !isDependsOn) continue;
                if (attribute.ConstructorArguments.Length != 1 || attribute.ConstructorArguments[0].Value is not ITypeSymbol argument) continue;
                var location = ArgumentLocation(attribute, context.CancellationToken);
                if (location is null) continue; // from metadata: reported where it was compiled
                if (RecordTemplateRules.NotATemplateReason(argument, allowAbstract: isDependsOn) is { } reason)
                {
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.NotARecordTemplate, location,
                        Short(argument), isRecord ? RecordAttributeName : DependsOnAttributeName, TrackedShapeReader.Display(type), reason));
                    continue;
                }
                if (!isRecord || argument is not INamedTypeSymbol { TypeKind: not TypeKind.Error } template) continue;
                if (declared.Exists(d => SymbolEqualityComparer.Default.Equals(d.Template, template)))
                {
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.DuplicateRecordTemplate, location, Short(template), TrackedShapeReader.Display(type)));
                    continue;
                }
                declared.Add((template, location));
            }

            foreach (var (template, location) in declared)
            {
                foreach (var dependency in RecordTemplateRules.Dependencies(template))
                {
                    // A dependency that is no template is reported on the template's own [DependsOnRecord].
                    if (RecordTemplateRules.NotATemplateReason(dependency, allowAbstract: true) is not null) continue;
                    if (declared.Exists(d => RecordTemplateRules.Satisfies(d.Template, dependency))) continue;
                    var properties = ImmutableDictionary<string, string?>.Empty.Add(DependencyProperty, MetadataName(dependency));
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.MissingRecordDependency, location, properties,
                        TrackedShapeReader.Display(type), Short(template), Short(dependency)));
                }
            }
        }

        /// <summary>The <c>typeof(...)</c> argument of the attribute as written; null for attributes read from metadata.</summary>
        private static Location? ArgumentLocation(AttributeData attribute, System.Threading.CancellationToken ct)
        {
            if (attribute.ApplicationSyntaxReference?.GetSyntax(ct) is not AttributeSyntax syntax) return null;
            return syntax.ArgumentList is { Arguments.Count: > 0 } list ? list.Arguments[0].Expression.GetLocation() : syntax.GetLocation();
        }

        private static string Short(ITypeSymbol type) => type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);

        /// <summary><c>Ns.Outer+Inner</c>: what <c>Compilation.GetTypeByMetadataName</c> takes.</summary>
        private static string MetadataName(INamedTypeSymbol type)
        {
            var name = type.MetadataName;
            for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType) name = outer.MetadataName + "+" + name;
            return type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() + "." + name : name;
        }
    }
}
