using System.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit.Abstractions;

namespace Qlib.Tracked.Generators.Tests;

/// <summary>
/// Build-time cost with 500 [Tracked] types, one file each: what the generator adds to a compilation,
/// and that editing one type re-emits only that type (the registry stays cached). The figures are
/// printed (run with <c>--logger "console;verbosity=detailed"</c>); only the step reasons are asserted.
/// </summary>
public class BuildCostTests(ITestOutputHelper output)
{
    private const int TypeCount = 500;

    private static string TypeSource(int i, string extra = "") => $$"""
        using Qlib.Tracked;
        using Qlib.Tracked.Frames;
        namespace Bench.Models{{i % 10}}
        {
            public enum Kind{{i}} { A, B }
            public sealed record Data{{i}}
            {
                [Param] public int Seed { get; init; } = {{i}};
                [Param] public string Segment { get; init; } = "train";
            }

            [Tracked]
            public partial class Model{{i}}
            {
                [Param] public double LearningRate { get; init; } = 0.1;
                [Param] public int Leaves { get; init; } = {{i}};
                [Param] public Kind{{i}} Kind { get; init; }
                [Param] public double[] Alphas { get; init; } = [0.1, 1.0];
                [Param] public Data{{i}} Data { get; init; } = new();
                [Metric] public double Loss { get; set; }
                [Metric("IC")] public double Ic { get; set; }
                [Artifact("pred.parquet")] public PredictionFrame? Pred { get; set; }
                [Artifact("notes.txt")] public string? Notes { get; set; }{{extra}}
            }
        }
        """;

    [Fact]
    public void Generator_500TrackedTypes_CostAndSingleTypeReEmission()
    {
        var trees = Enumerable.Range(0, TypeCount)
            .Select(i => CSharpSyntaxTree.ParseText(TypeSource(i), GeneratorTestHelper.ParseOptions, path: $"Model{i}.cs"))
            .ToArray();
        var compilation = GeneratorTestHelper.Compile().AddSyntaxTrees(trees);

        // Baseline: binding and diagnosing the hand-written code alone (the generator's output is missing,
        // so this is what the compiler does without us).
        var sw = Stopwatch.StartNew();
        _ = compilation.GetDiagnostics();
        var baseline = sw.Elapsed;

        var driver = GeneratorTestHelper.CreateDriver();
        sw.Restart();
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var generated, out _);
        var firstRun = sw.Elapsed;
        var result = driver.GetRunResult();
        Assert.Equal(TypeCount + 1, result.GeneratedTrees.Length);

        sw.Restart();
        var problems = generated.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        var withGenerated = sw.Elapsed;
        Assert.True(problems.Count == 0, string.Join("\n", problems.Take(5)));
        var generatedChars = result.GeneratedTrees.Sum(t => t.Length);

        // Edit one type: only it is parsed into a new spec and re-emitted; the registry is cached.
        var edited = compilation.ReplaceSyntaxTree(trees[123],
            CSharpSyntaxTree.ParseText(TypeSource(123, "\n        [Param] public int Extra { get; set; }"), GeneratorTestHelper.ParseOptions, trees[123].FilePath));
        sw.Restart();
        driver = driver.RunGenerators(edited);
        var incremental = sw.Elapsed;
        var steps = driver.GetRunResult().Results.Single().TrackedSteps;
        var modified = steps[TrackingNames.Specs].SelectMany(s => s.Outputs).Where(o => o.Reason is IncrementalStepRunReason.Modified or IncrementalStepRunReason.New).ToList();
        Assert.Single(modified);
        Assert.Contains("Model123", ((Model.TrackedTypeSpec)modified[0].Value).Hierarchy.DisplayName, StringComparison.Ordinal);
        Assert.Equal(TypeCount - 1, steps[TrackingNames.Specs].SelectMany(s => s.Outputs).Count(o => o.Reason == IncrementalStepRunReason.Cached));
        Assert.All(steps[TrackingNames.Registry].SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));

        // An unrelated edit: nothing re-runs past the syntax filter.
        var unrelated = edited.AddSyntaxTrees(CSharpSyntaxTree.ParseText("class Unrelated { }", GeneratorTestHelper.ParseOptions));
        sw.Restart();
        driver = driver.RunGenerators(unrelated);
        var unrelatedRun = sw.Elapsed;
        Assert.All(driver.GetRunResult().Results.Single().TrackedSteps[TrackingNames.Specs].SelectMany(s => s.Outputs),
            o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));

        output.WriteLine($"{TypeCount} [Tracked] types, {generatedChars / 1024} KiB generated in {result.GeneratedTrees.Length} files");
        output.WriteLine($"compile hand-written code only (diagnostics): {baseline.TotalMilliseconds:F0} ms");
        output.WriteLine($"generator, first run (parse + emit all):      {firstRun.TotalMilliseconds:F0} ms");
        output.WriteLine($"compile with generated code (diagnostics):    {withGenerated.TotalMilliseconds:F0} ms");
        output.WriteLine($"generator after editing one type:             {incremental.TotalMilliseconds:F0} ms (1 spec modified, {TypeCount - 1} cached, registry cached)");
        output.WriteLine($"generator after an unrelated edit:            {unrelatedRun.TotalMilliseconds:F0} ms");
        // No timing assertion: the machine is shared, and wall-clock bounds would flake. The step
        // reasons above are what guarantees that one edit costs one type's parse and emit.
    }
}
