namespace Qlib.Tracked.Generators.Tests;

public class TrackedGeneratorSnapshotTests
{
    public static TheoryData<string> Shapes() => new(TestSources.Shapes.Select(s => s.Name));

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Generator_Shape_MatchesSnapshot(string shape)
    {
        var source = TestSources.Shapes.Single(s => s.Name == shape).Source;
        var (result, _) = GeneratorTestHelper.Run(TestSources.Shared, source);
        var tree = Assert.Single(result.GeneratedTrees, t => !t.FilePath.EndsWith(TrackedGenerator.RegistryHintName, StringComparison.Ordinal));
        GeneratorTestHelper.VerifySnapshot(shape + "." + Path.GetFileName(tree.FilePath).Replace(".g.cs", ""), tree.GetText().ToString());
    }

    [Fact]
    public void Generator_AllShapes_GeneratedCodeCompilesWithoutErrorsOrWarnings()
    {
        var sources = new[] { TestSources.Shared }.Concat(TestSources.Shapes.Select(s => s.Source)).ToArray();
        var before = GeneratorTestHelper.Compile(sources);
        Assert.DoesNotContain(GeneratorTestHelper.Problems(before), d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Warning);
        var (result, output) = GeneratorTestHelper.Run(sources);
        Assert.Empty(result.Diagnostics);
        Assert.Equal(TestSources.Shapes.Length + 1, result.GeneratedTrees.Length);
        var problems = GeneratorTestHelper.Problems(output);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Generator_HintNames_NamespaceNestingAndGlobal()
    {
        var (result, _) = GeneratorTestHelper.Run([TestSources.Shared, .. TestSources.Shapes.Select(s => s.Source)]);
        var names = result.GeneratedTrees.Select(t => Path.GetFileName(t.FilePath)).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(
        [
            "GlobalModel.Tracked.g.cs",
            "Models.Deep.Outer+Middle+Inner.Tracked.g.cs",
            "Models.JsonModel.Tracked.g.cs",
            "Models.LgbModel.Tracked.g.cs",
            "Models.RidgeParams.Tracked.g.cs",
            "Models.TaskConfig.Tracked.g.cs",
            TrackedGenerator.RegistryHintName,
        ], names);
    }

    [Fact]
    public void Generator_Registry_MatchesSnapshot()
    {
        var (result, _) = GeneratorTestHelper.Run([TestSources.Shared, .. TestSources.Shapes.Select(s => s.Source)]);
        var registry = Assert.Single(result.GeneratedTrees, t => t.FilePath.EndsWith(TrackedGenerator.RegistryHintName, StringComparison.Ordinal));
        GeneratorTestHelper.VerifySnapshot("Registry", registry.GetText().ToString());
    }

    [Fact]
    public void Generator_UnsupportedShapes_AreSkippedSilently()
    {
        var (result, output) = GeneratorTestHelper.Run(TestSources.Shared, TestSources.Skipped);
        Assert.Empty(result.GeneratedTrees);
        Assert.Empty(result.Diagnostics);
        Assert.DoesNotContain(output.GetDiagnostics(), d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error);
    }

    [Fact]
    public void Generator_Output_IsDeterministic()
    {
        string[] sources = [TestSources.Shared, .. TestSources.Shapes.Select(s => s.Source)];
        var first = GeneratorTestHelper.Run(sources).Result.GeneratedTrees.Select(t => t.GetText().ToString());
        var second = GeneratorTestHelper.Run(sources.Reverse().ToArray()).Result.GeneratedTrees.Select(t => t.GetText().ToString());
        Assert.Equal(first.Order(StringComparer.Ordinal), second.Order(StringComparer.Ordinal));
    }
}
