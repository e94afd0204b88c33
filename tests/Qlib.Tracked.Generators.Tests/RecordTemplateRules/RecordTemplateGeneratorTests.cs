using System.Text.RegularExpressions;

namespace Qlib.Tracked.Generators.Tests;

/// <summary>[Record] declarations become <c>Schema.RecordTemplates</c>: concrete templates only, once each, dependencies first.</summary>
public partial class RecordTemplateGeneratorTests
{
    private const string Templates = """
        using Qlib.Tracked;
        using Qlib.Tracked.Records;
        namespace Plans
        {
            public sealed class FeatureRecord : RecordTemplate
            {
                public FeatureRecord(Recorder? recorder) : base(recorder) { }
                public override RecordLayout Layout { get; } = new("features", ["f.parquet"]);
            }

            [DependsOnRecord(typeof(FeatureRecord))]
            public sealed class DriftRecord : RecordTemplate
            {
                public DriftRecord(Recorder? recorder) : base(recorder) { }
                public override RecordLayout Layout { get; } = new("drift", ["d.parquet"]);
            }
        }
        """;

    private const string Model = """
        using Qlib.Tracked;
        using Qlib.Tracked.Records;
        namespace Plans
        {
            [Tracked]
            [Record(typeof(PortAnaRecord))]
            [Record(typeof(DriftRecord))]
            [Record(typeof(SigAnaRecord))]
            [Record(typeof(SignalRecord))]
            [Record(typeof(FeatureRecord))]
            [Record(typeof(SignalRecord))]
            [Record(typeof(RecordTemplate))]
            [Record(typeof(string))]
            public partial class PlannedModel
            {
                [Param] public int Seed { get; init; } = 1;
            }
        }
        """;

    [GeneratedRegex(@"typeof\((?<name>[^)]+)\)")]
    private static partial Regex TypeOf();

    [Fact]
    public void Generator_RecordTemplates_MatchesSnapshot()
    {
        var (result, output) = GeneratorTestHelper.Run(Templates, Model);
        var tree = Assert.Single(result.GeneratedTrees, t => t.FilePath.EndsWith("Plans.PlannedModel.Tracked.g.cs", StringComparison.Ordinal));
        GeneratorTestHelper.VerifySnapshot("Records.Plans.PlannedModel.Tracked", tree.GetText().ToString());
        var problems = GeneratorTestHelper.Problems(output);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Generator_RecordTemplates_DependenciesFirst_NonTemplatesAndRepeatsLeftOut()
    {
        var (result, _) = GeneratorTestHelper.Run(Templates, Model);
        var text = result.GeneratedTrees.Single(t => t.FilePath.EndsWith("Plans.PlannedModel.Tracked.g.cs", StringComparison.Ordinal)).GetText().ToString();
        var listed = TypeOf().Matches(text[text.IndexOf("RecordTemplates =", StringComparison.Ordinal)..]).Select(m => m.Groups["name"].Value).ToArray();
        // Declared: PortAna, Drift, SigAna, Signal, Feature (+ a repeat and two non-templates). At each step the first
        // declared template whose dependencies are all placed comes next: Signal (PortAna and Drift wait), PortAna,
        // SigAna (Drift still waits for Feature), Feature, Drift.
        Assert.Equal(
        [
            "global::Qlib.Tracked.Records.SignalRecord",
            "global::Qlib.Tracked.Records.PortAnaRecord",
            "global::Qlib.Tracked.Records.SigAnaRecord",
            "global::Plans.FeatureRecord",
            "global::Plans.DriftRecord",
        ], listed);
    }

    [Fact]
    public void Generator_NoRecordDeclarations_SchemaHasNoInitializer()
    {
        var (result, _) = GeneratorTestHelper.Run(TestSources.Shared, TestSources.Class);
        var text = string.Concat(result.GeneratedTrees.Select(t => t.GetText().ToString()));
        Assert.DoesNotContain("RecordTemplates", text, StringComparison.Ordinal);
    }
}
