using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Qlib.Tracked.Generators.Tests;

public class TrackedGeneratorIncrementalTests
{
    private static string[] AllSources => [TestSources.Shared, .. TestSources.Shapes.Select(s => s.Source)];

    private static IEnumerable<(string Step, IncrementalGeneratorRunStep Run)> TrackedSteps(GeneratorDriverRunResult result) =>
        result.Results.Single().TrackedSteps
            .Where(kv => TrackingNames.All.Contains(kv.Key))
            .SelectMany(kv => kv.Value.Select(run => (kv.Key, run)));

    [Fact]
    public void Generator_RunTwice_EveryTrackedStepCached()
    {
        var compilation = GeneratorTestHelper.Compile(AllSources);
        var driver = GeneratorTestHelper.CreateDriver().RunGenerators(compilation);
        var first = driver.GetRunResult();
        driver = driver.RunGenerators(compilation.Clone());
        var second = driver.GetRunResult();

        var steps = TrackedSteps(second).ToList();
        Assert.Equal(TrackingNames.All.Order(), steps.Select(s => s.Step).Distinct().Order());
        foreach (var (step, run) in steps)
            foreach (var (_, reason) in run.Outputs)
                Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step}: {reason}");
        Assert.Equal(first.GeneratedTrees.Select(t => t.GetText().ToString()), second.GeneratedTrees.Select(t => t.GetText().ToString()));
    }

    [Fact]
    public void Generator_UnrelatedEdit_EveryTrackedStepCachedOrUnchanged()
    {
        var compilation = GeneratorTestHelper.Compile(AllSources);
        var driver = GeneratorTestHelper.CreateDriver().RunGenerators(compilation);
        var edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("namespace Other { public class Unrelated { public int X; } }", GeneratorTestHelper.ParseOptions));
        var result = driver.RunGenerators(edited).GetRunResult();
        foreach (var (step, run) in TrackedSteps(result))
            foreach (var (_, reason) in run.Outputs)
                Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step}: {reason}");
    }

    [Fact]
    public void Generator_EditOneType_OnlyThatTypeReEmitted_RegistryCached()
    {
        var compilation = GeneratorTestHelper.Compile(AllSources);
        var driver = GeneratorTestHelper.CreateDriver().RunGenerators(compilation);
        var structTree = compilation.SyntaxTrees.Single(t => t.ToString().Contains("RidgeParams", StringComparison.Ordinal));
        var changed = structTree.ToString().Replace("[Param] public int MaxIter", "[Param] public int MaxIterations", StringComparison.Ordinal);
        var edited = compilation.ReplaceSyntaxTree(structTree, CSharpSyntaxTree.ParseText(changed, GeneratorTestHelper.ParseOptions, structTree.FilePath));
        var result = driver.RunGenerators(edited).GetRunResult();

        var specs = result.Results.Single().TrackedSteps[TrackingNames.Specs].SelectMany(s => s.Outputs).ToList();
        Assert.Single(specs, o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.All(specs.Where(o => o.Reason != IncrementalStepRunReason.Modified), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
        // The registry entry (name, type) did not change, so the registry is not re-emitted.
        Assert.All(result.Results.Single().TrackedSteps[TrackingNames.Registry].SelectMany(s => s.Outputs),
            o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, o.Reason.ToString()));
    }

    [Fact]
    public void Generator_StepOutputs_HoldNoSymbolsSyntaxLocationsOrCompilations()
    {
        var compilation = GeneratorTestHelper.Compile(AllSources);
        var result = GeneratorTestHelper.CreateDriver().RunGenerators(compilation).GetRunResult();
        var steps = TrackedSteps(result).ToList();
        Assert.NotEmpty(steps);
        foreach (var (step, run) in steps)
            foreach (var (value, _) in run.Outputs)
                GeneratorTestHelper.AssertNoCompilationData(value, step);
    }
}
