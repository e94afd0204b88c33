using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Qlib.Tracked.Search;

namespace Qlib.Tracked.Analyzers
{
    /// <summary>
    /// String constants passed to the runtime's logging, loading and search APIs: unknown names (QTRK901–904, with
    /// the nearest known name), names MLflow never accepts (QTRK905), typed loads of the wrong type (QTRK906), and
    /// filter strings and order-by clauses checked against MLflow's search grammar (QTRK910–918).
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class TrackingUsageAnalyzer : DiagnosticAnalyzer
    {
        /// <summary>Diagnostic property: the whole new value of the string literal that fixes the problem.</summary>
        public const string NewValueProperty = "NewValue";

        /// <summary>Diagnostic property: the code fix's title.</summary>
        public const string FixTitleProperty = "FixTitle";

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
            DiagnosticDescriptors.UnknownMetricName, DiagnosticDescriptors.UnknownParamName, DiagnosticDescriptors.UnknownTagName, DiagnosticDescriptors.UnknownArtifactName,
            DiagnosticDescriptors.InvalidName, DiagnosticDescriptors.ArtifactTypeMismatch,
            DiagnosticDescriptors.FilterSyntax, DiagnosticDescriptors.FilterOr, DiagnosticDescriptors.FilterUnquotedValue, DiagnosticDescriptors.FilterQuotedNumber,
            DiagnosticDescriptors.FilterInNotAllowed, DiagnosticDescriptors.FilterInvalidIdentifier, DiagnosticDescriptors.FilterUnknownKey,
            DiagnosticDescriptors.FilterInvalidComparator, DiagnosticDescriptors.OrderByInvalid);

        private enum Use
        {
            /// <summary>Logging or reading a key: must be known.</summary>
            Reference,

            /// <summary>Loading an artifact as a type: must be known and of that type.</summary>
            TypedLoad,

            /// <summary>Saving: must be a valid name (saving declares it).</summary>
            Write,

            /// <summary>Downloading: must be known, or a folder of known artifacts.</summary>
            Download,
        }

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                var symbols = KnownSymbols.Create(start.Compilation);
                if (symbols is null) return;
                var runtime = symbols.Tracked!.ContainingAssembly;
                var known = new Lazy<KnownNameSet>(() => KnownNameSet.Build(symbols), System.Threading.LazyThreadSafetyMode.ExecutionAndPublication);
                start.RegisterOperationAction(ctx => AnalyzeInvocation(ctx, runtime, known), OperationKind.Invocation);
            });
        }

        private static void AnalyzeInvocation(OperationAnalysisContext context, IAssemblySymbol runtime, Lazy<KnownNameSet> known)
        {
            var invocation = (IInvocationOperation)context.Operation;
            var method = invocation.TargetMethod;
            if (!SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, runtime)) return;
            var isArtifactObjects = method.ContainingType.Name == "ArtifactObjects";
            foreach (var argument in invocation.Arguments)
            {
                var parameter = argument.Parameter;
                if (parameter is null || argument.ArgumentKind == ArgumentKind.DefaultValue) continue;
                switch (method.Name, parameter.Name)
                {
                    case ("LogMetrics", _) when argument.ArgumentKind == ArgumentKind.ParamArray || parameter.IsParams:
                        ForEachTupleKey(argument.Value, (v, s) => CheckName(context, known, NameKind.Metric, Use.Reference, v, s, null));
                        break;
                    case ("LogParams", _) when argument.ArgumentKind == ArgumentKind.ParamArray || parameter.IsParams:
                        ForEachTupleKey(argument.Value, (v, s) => CheckName(context, known, NameKind.Param, Use.Reference, v, s, null));
                        break;
                    case ("SetTags", _) when argument.ArgumentKind == ArgumentKind.ParamArray || parameter.IsParams:
                        ForEachTupleKey(argument.Value, (v, s) => CheckName(context, known, NameKind.Tag, Use.Reference, v, s, null));
                        break;
                    case ("DeleteTags", "keys"):
                        ForEachElement(argument.Value, (v, s) => CheckName(context, known, NameKind.Tag, Use.Reference, v, s, null));
                        break;
                    case ("LogMetric", "key"):
                    case ("GetMetricHistory", "key"):
                        CheckConstant(argument.Value, (v, s) => CheckName(context, known, NameKind.Metric, Use.Reference, v, s, null));
                        break;
                    case ("LogParam", "key"):
                        CheckConstant(argument.Value, (v, s) => CheckName(context, known, NameKind.Param, Use.Reference, v, s, null));
                        break;
                    case ("SetTag", "key"):
                    case ("DeleteTag", "key"):
                        CheckConstant(argument.Value, (v, s) => CheckName(context, known, NameKind.Tag, Use.Reference, v, s, null));
                        break;
                    case ("LoadObject", "name"):
                    case ("LoadArtifact", "name"):
                    case ("Load", "path") when isArtifactObjects:
                    case ("Read", "path") when isArtifactObjects:
                        var loaded = method.TypeArguments.Length == 1 ? method.TypeArguments[0] : null;
                        CheckConstant(argument.Value, (v, s) => CheckName(context, known, NameKind.Artifact, Use.TypedLoad, v, s, loaded));
                        break;
                    case ("HasArtifact", "name"):
                        CheckConstant(argument.Value, (v, s) => CheckName(context, known, NameKind.Artifact, Use.Reference, v, s, null));
                        break;
                    case ("SaveObject", "name"):
                    case ("SaveArtifact", "name"):
                    case ("Save", "path") when isArtifactObjects:
                    case ("Write", "path") when isArtifactObjects:
                        CheckConstant(argument.Value, (v, s) => CheckName(context, known, NameKind.Artifact, Use.Write, v, s, null));
                        break;
                    case ("DownloadArtifact", "path"):
                    case ("DownloadArtifacts", "path"):
                        CheckConstant(argument.Value, (v, s) => CheckName(context, known, NameKind.Artifact, Use.Download, v, s, null));
                        break;
                    // search_experiments has its own grammar (name, creation_time, last_update_time, tags); its tag keys are
                    // experiment tags, which no [Tracked] schema declares, so only problems are reported.
                    case ("SearchExperiments", "filter") when parameter.Type.SpecialType == SpecialType.System_String:
                        CheckConstant(argument.Value, (v, s) => CheckSearch(context, known, v, s, ProblemsOnly(SearchFilterParser.ParseFilter(v, SearchTarget.Experiments))));
                        break;
                    case ("SearchExperiments", "orderBy"):
                        ForEachElement(argument.Value, (v, s) => CheckSearch(context, known, v, s, ProblemsOnly(SearchFilterParser.ParseOrderBy(v, SearchTarget.Experiments))));
                        break;
                    case (_, "filter") when parameter.Type.SpecialType == SpecialType.System_String:
                        CheckConstant(argument.Value, (v, s) => CheckSearch(context, known, v, s, SearchFilterParser.ParseFilter(v)));
                        break;
                    case (_, "orderBy"):
                        ForEachElement(argument.Value, (v, s) => CheckSearch(context, known, v, s, SearchFilterParser.ParseOrderBy(v)));
                        break;
                }
            }
        }

        private static void CheckName(OperationAnalysisContext context, Lazy<KnownNameSet> knownNames, NameKind kind, Use use, string name, SyntaxNode syntax, ITypeSymbol? loadedType)
        {
            var location = syntax.GetLocation();
            var problem = kind == NameKind.Artifact ? MlflowNameRules.ArtifactPathProblem(name, out _) : MlflowNameRules.KeyProblem(name);
            if (problem is not null)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InvalidName, location, name, Describe(kind), problem));
                return;
            }
            var known = knownNames.Value;
            if (use == Use.Write) return;
            if (!known.IsKnown(kind, name, allowFolder: use == Use.Download))
            {
                var nearest = NameDistance.Nearest(name, known.Names(kind), isPath: kind == NameKind.Artifact);
                if (nearest is null && IsReservedTag(kind, name)) return;
                var properties = nearest is null
                    ? ImmutableDictionary<string, string?>.Empty
                    : ImmutableDictionary<string, string?>.Empty.Add(NewValueProperty, nearest).Add(FixTitleProperty, "Use '" + nearest + "'");
                var hint = nearest is not null
                    ? "; did you mean '" + nearest + "'?"
                    : ": no [Tracked] member, record template or [assembly: KnownTrackingNames(TrackingNameKind." + kind + ", …)] declares it";
                context.ReportDiagnostic(Diagnostic.Create(UnknownDescriptor(kind), location, properties, name, hint));
                return;
            }
            if (use != Use.TypedLoad || loadedType is null || loadedType.TypeKind == TypeKind.TypeParameter || loadedType.SpecialType == SpecialType.System_Object) return;
            MlflowNameRules.ArtifactPathProblem(name, out var normalized);
            if (!known.ArtifactTypes.TryGetValue(normalized, out var declared)) return;
            if (declared.Any(d => SymbolEqualityComparer.Default.Equals(d.Type.WithNullableAnnotation(NullableAnnotation.None), loadedType.WithNullableAnnotation(NullableAnnotation.None)))) return;
            var first = declared[0];
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ArtifactTypeMismatch, location, name,
                Short(first.Type), first.Owner + (declared.Count > 1 ? " and " + (declared.Count - 1) + " more" : ""), Short(loadedType)));
        }

        private static SearchParseResult ProblemsOnly(SearchParseResult result)
        {
            result.Keys.Clear();
            return result;
        }

        private static void CheckSearch(OperationAnalysisContext context, Lazy<KnownNameSet> knownNames, string text, SyntaxNode syntax, SearchParseResult result)
        {
            foreach (var problem in result.Problems)
            {
                var location = LiteralSpans.Map(syntax, text, problem.Start, problem.Length);
                var properties = ImmutableDictionary<string, string?>.Empty;
                if (problem.Replacement is not null)
                {
                    var fixedText = text.Substring(0, problem.Start) + problem.Replacement + text.Substring(problem.Start + problem.Length);
                    properties = properties.Add(NewValueProperty, fixedText)
                        .Add(FixTitleProperty, problem.Kind == SearchProblemKind.QuotedNumber ? "Unquote the value" : "Quote the value");
                }
                context.ReportDiagnostic(Diagnostic.Create(SearchDescriptor(problem.Kind), location, properties, problem.Message));
            }
            if (result.Keys.Count == 0) return;
            var known = knownNames.Value;
            foreach (var key in result.Keys)
            {
                var kind = key.Type == SearchKeyType.Metric ? NameKind.Metric : key.Type == SearchKeyType.Param ? NameKind.Param : NameKind.Tag;
                if (known.IsKnown(kind, key.Key)) continue;
                var nearest = NameDistance.Nearest(key.Key, known.Names(kind));
                if (nearest is null && IsReservedTag(kind, key.Key)) continue;
                var properties = ImmutableDictionary<string, string?>.Empty;
                if (nearest is not null)
                {
                    var quoted = key.Start > 0 && (text[key.Start - 1] == '`' || text[key.Start - 1] == '"');
                    var replacement = quoted || IsBareIdentifier(nearest) ? nearest : "`" + nearest + "`";
                    properties = properties.Add(NewValueProperty, text.Substring(0, key.Start) + replacement + text.Substring(key.Start + key.Length))
                        .Add(FixTitleProperty, "Use '" + nearest + "'");
                }
                var hint = nearest is not null ? "; did you mean '" + nearest + "'?" : "";
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.FilterUnknownKey, LiteralSpans.Map(syntax, text, key.Start, key.Length), properties,
                    kind == NameKind.Metric ? "Metric" : kind == NameKind.Param ? "Param" : "Tag", key.Key, hint));
            }
        }

        /// <summary>MLflow reserves <c>mlflow.*</c> for its own tags: one that is not near a known one is accepted as is.</summary>
        private static bool IsReservedTag(NameKind kind, string name) => kind == NameKind.Tag && name.StartsWith("mlflow.", StringComparison.Ordinal);

        private static string Short(ITypeSymbol type) =>
            type.WithNullableAnnotation(NullableAnnotation.None).ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat);

        private static bool IsBareIdentifier(string key) => key.All(c => char.IsLetterOrDigit(c) || c == '_' || c == '.');

        private static DiagnosticDescriptor UnknownDescriptor(NameKind kind) => kind switch
        {
            NameKind.Metric => DiagnosticDescriptors.UnknownMetricName,
            NameKind.Param => DiagnosticDescriptors.UnknownParamName,
            NameKind.Tag => DiagnosticDescriptors.UnknownTagName,
            _ => DiagnosticDescriptors.UnknownArtifactName,
        };

        private static DiagnosticDescriptor SearchDescriptor(SearchProblemKind kind) => kind switch
        {
            SearchProblemKind.Or => DiagnosticDescriptors.FilterOr,
            SearchProblemKind.UnquotedValue => DiagnosticDescriptors.FilterUnquotedValue,
            SearchProblemKind.QuotedNumber => DiagnosticDescriptors.FilterQuotedNumber,
            SearchProblemKind.InNotAllowed => DiagnosticDescriptors.FilterInNotAllowed,
            SearchProblemKind.InvalidIdentifier => DiagnosticDescriptors.FilterInvalidIdentifier,
            SearchProblemKind.InvalidComparator => DiagnosticDescriptors.FilterInvalidComparator,
            SearchProblemKind.InvalidOrderBy => DiagnosticDescriptors.OrderByInvalid,
            _ => DiagnosticDescriptors.FilterSyntax,
        };

        private static string Describe(NameKind kind) => kind switch
        {
            NameKind.Metric => "MLflow metric key",
            NameKind.Param => "MLflow param key",
            NameKind.Tag => "MLflow tag key",
            _ => "artifact path",
        };

        private static IOperation Unwrap(IOperation operation)
        {
            while (operation is IConversionOperation conversion) operation = conversion.Operand;
            return operation;
        }

        private static void CheckConstant(IOperation value, Action<string, SyntaxNode> check)
        {
            if (value.ConstantValue.HasValue && value.ConstantValue.Value is string s) check(s, value.Syntax);
            else if (Unwrap(value) is { ConstantValue: { HasValue: true, Value: string inner } } unwrapped) check(inner, unwrapped.Syntax);
        }

        private static IEnumerable<IOperation> Elements(IOperation value)
        {
            switch (Unwrap(value))
            {
                case IArrayCreationOperation { Initializer: { } initializer }:
                    return initializer.ElementValues;
                case ICollectionExpressionOperation collection:
                    return collection.Elements;
                default:
                    return Enumerable.Empty<IOperation>();
            }
        }

        private static void ForEachElement(IOperation value, Action<string, SyntaxNode> check)
        {
            foreach (var element in Elements(value)) CheckConstant(element, check);
        }

        private static void ForEachTupleKey(IOperation value, Action<string, SyntaxNode> check)
        {
            foreach (var element in Elements(value))
            {
                if (Unwrap(element) is ITupleOperation { Elements.Length: > 0 } tuple) CheckConstant(tuple.Elements[0], check);
            }
        }
    }
}
