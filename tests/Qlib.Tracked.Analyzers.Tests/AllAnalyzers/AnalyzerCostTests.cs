using System.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit.Abstractions;
using static Qlib.Tracked.Analyzers.Tests.AnalyzerTestHelper;

namespace Qlib.Tracked.Analyzers.Tests;

/// <summary>
/// What the analyzers add to a build: 300 [Tracked] types and 300 files of call sites (logging, loading, searches),
/// compiled with and without the analyzers. The figures are printed (run with
/// <c>--logger "console;verbosity=detailed"</c>); nothing is asserted about time. Runs alone (not in parallel with
/// the other tests) and reports the fastest of five runs of each, so the difference is not noise from other tests.
/// </summary>
[Collection(nameof(AnalyzerCostCollection))]
public class AnalyzerCostTests(ITestOutputHelper output)
{
    private const int Count = 300;

    private static string TypeSource(int i) => $$"""
        namespace Bench.Models{{i % 10}}
        {
            public sealed record Data{{i}} { [Param] public int Seed { get; init; } = {{i}}; [Param] public string Segment { get; init; } = "train"; }

            [Tracked]
            public partial class Model{{i}}
            {
                [Param] public double LearningRate { get; init; } = 0.1;
                [Param("num_leaves_{{i}}")] public int Leaves { get; init; } = {{i}};
                [Param] public double[] Alphas { get; init; } = [0.1, 1.0];
                [Param] public Data{{i}} Data { get; init; } = new();
                [Metric] public double Loss { get; set; }
                [Metric("IC")] public double Ic { get; set; }
                [Artifact("pred.parquet")] public PredictionFrame? Pred { get; set; }
                [Artifact("notes_{{i}}.txt")] public string? Notes { get; set; }
            }
        }
        """;

    private static string CallSource(int i) => $$"""
        namespace Bench.Calls
        {
            public static class Calls{{i}}
            {
                public static void Run(Recorder rec)
                {
                    R.LogMetrics(("IC", 0.1), ("loss", 1.0), ("Rank IC", 0.2));
                    R.LogParams(("learning_rate", 0.1), ("num_leaves_{{i}}", 31));
                    rec.LogMetric("loss", 0.5, {{i}});
                    var pred = rec.LoadObject<PredictionFrame>("pred.parquet");
                    var notes = rec.LoadObject<string>("notes_{{i}}.txt");
                    R.SearchRecords(["1"], "metrics.loss < 0.5 AND params.learning_rate = '0.1' AND tags.mlflow.runName LIKE 'run%'", orderBy: ["metrics.IC DESC"]);
                }
            }
        }
        """;

    [Fact]
    public async Task Analyzers_300TypesAnd300CallSites_Cost()
    {
        var trees = Enumerable.Range(0, Count).Select(i => CSharpSyntaxTree.ParseText(TypeSource(i), AnalyzerTestHelper.ParseOptions, path: $"Model{i}.cs"))
            .Concat(Enumerable.Range(0, Count).Select(i => CSharpSyntaxTree.ParseText(CallSource(i), AnalyzerTestHelper.ParseOptions, path: $"Calls{i}.cs")))
            .ToArray();
        var compilation = Generate(Compile().AddSyntaxTrees(trees));

        // Warm up both paths once (JIT), then measure fresh clones.
        _ = compilation.Clone().GetDiagnostics();
        _ = await compilation.Clone().WithAnalyzers(AnalyzerTestHelper.Analyzers).GetAllDiagnosticsAsync();

        var withoutRuns = new List<TimeSpan>();
        var withRuns = new List<TimeSpan>();
        var noOpRuns = new List<TimeSpan>();
        IReadOnlyList<Diagnostic> plain = [], all = [];
        var options = new CompilationWithAnalyzersOptions(new AnalyzerOptions([]), onAnalyzerException: null, concurrentAnalysis: true, logAnalyzerExecutionTime: true);
        CompilationWithAnalyzers withAnalyzers;
        for (var run = 0; run < 5; run++)
        {
            var sw = Stopwatch.StartNew();
            plain = compilation.Clone().GetDiagnostics();
            withoutRuns.Add(sw.Elapsed);

            sw.Restart();
            withAnalyzers = compilation.Clone().WithAnalyzers(AnalyzerTestHelper.Analyzers, options);
            all = await withAnalyzers.GetAllDiagnosticsAsync();
            withRuns.Add(sw.Elapsed);

            // The analyzer driver's own cost: the same action kinds, doing nothing.
            sw.Restart();
            _ = await compilation.Clone().WithAnalyzers([new NoOpAnalyzer()], options).GetAllDiagnosticsAsync();
            noOpRuns.Add(sw.Elapsed);
        }
        var noOp = noOpRuns.Min();
        var without = withoutRuns.Min();
        var with = withRuns.Min();

        Assert.DoesNotContain(plain, d => d.Severity == DiagnosticSeverity.Error);
        Assert.DoesNotContain(all, d => d.Id.StartsWith("QTRK", StringComparison.Ordinal) || d.Severity == DiagnosticSeverity.Error);
        output.WriteLine($"{Count} [Tracked] types + {Count} call-site files ({Count * 6} checked calls):");
        output.WriteLine($"  compile diagnostics without analyzers: {without.TotalMilliseconds:F0} ms (fastest of {string.Join(", ", withoutRuns.Select(t => t.TotalMilliseconds.ToString("F0")))})");
        output.WriteLine($"  compile diagnostics with analyzers:    {with.TotalMilliseconds:F0} ms (fastest of {string.Join(", ", withRuns.Select(t => t.TotalMilliseconds.ToString("F0")))}), +{(with - without).TotalMilliseconds:F0} ms");
        output.WriteLine($"  driver with a no-op analyzer (same action kinds): {noOp.TotalMilliseconds:F0} ms (fastest of {string.Join(", ", noOpRuns.Select(t => t.TotalMilliseconds.ToString("F0")))}); QTRK analyzers' own work ≈ {(with - noOp).TotalMilliseconds:F0} ms");
    }
}

[CollectionDefinition(nameof(AnalyzerCostCollection), DisableParallelization = true)]
public sealed class AnalyzerCostCollection;

#pragma warning disable RS1036, RS1038, RS1041, RS2008 // a test-only analyzer, never loaded by a compiler
/// <summary>Registers the QTRK analyzers' action kinds and does nothing: the baseline for the driver's overhead.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class NoOpAnalyzer : DiagnosticAnalyzer
{
    private static readonly DiagnosticDescriptor Rule = new("NOOP001", "No-op", "No-op", "Test", DiagnosticSeverity.Hidden, isEnabledByDefault: true);

    public override System.Collections.Immutable.ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [Rule];

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterSymbolAction(_ => { }, SymbolKind.NamedType);
        context.RegisterOperationAction(_ => { }, OperationKind.Invocation);
    }
}
#pragma warning restore RS1036, RS1038, RS1041, RS2008
