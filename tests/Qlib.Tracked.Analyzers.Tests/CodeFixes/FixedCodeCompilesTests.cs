using Microsoft.CodeAnalysis;
using static Qlib.Tracked.Analyzers.Tests.AnalyzerTestHelper;

namespace Qlib.Tracked.Analyzers.Tests;

/// <summary>Applies every offered fix in turn and checks the result and the generator's output compile with zero errors and zero QTRK diagnostics.</summary>
public class FixedCodeCompilesTests
{
    private const string Broken = UsageSources.Model + """
        [Tracked] public sealed class Extra { [Param] public int Seed { get; init; } [Metric] public double Score { get; set; } }
        public static class Outer { [Tracked] public partial class Inner { [Metric] public double Hit { get; set; } } }

        public static class Use
        {
            public static void Run(Recorder rec)
            {
                R.LogMetrics(("icc", 0.1), ("los", 1.0));
                R.LogParams(("learning_rte", 0.01));
                R.SetTags(("hostnme", "box"));
                var pred = rec.LoadObject<PredictionFrame>("pred.pkl");
                var extra = Extra.FromParams(new Dictionary<string, string> { [Extra.Names.Seed] = "1" });
                var hit = Outer.Inner.Names.Hit;
                R.SearchRecords(["1"], "metrics.los < '0.5' AND params.learning_rate = 0.01", orderBy: ["metrics.ICC DESC"]);
            }
        }
        """;

    [Fact]
    public async Task AllFixesApplied_CompilesWithGeneratorOutput_ZeroErrors()
    {
        var source = Broken;
        Assert.NotEmpty(Errors(source));
        string[] fixable = ["QTRK001", "QTRK002", "QTRK901", "QTRK902", "QTRK903", "QTRK904", "QTRK912", "QTRK913", "QTRK916"];
        for (var round = 0; round < 30; round++)
        {
            var compilation = Generate(Compile(source));
            var next = AnalyzerDiagnostics(compilation).FirstOrDefault(d => fixable.Contains(d.Id) && d.Location.SourceTree?.FilePath == "Source0.cs");
            if (next is null) break;
            source = await ApplyFix(source, next.Id);
        }

        var final = Generate(Compile(source));
        var problems = final.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error)
            .Concat(AnalyzerDiagnostics(final)).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems.Select(d => d.ToString())) + "\n" + source);
        Assert.Contains("public sealed partial class Extra", source);
        Assert.Contains("public static partial class Outer", source);
        Assert.Contains("(\"IC\", 0.1), (\"loss\", 1.0)", source);
        Assert.Contains("\"metrics.loss < 0.5 AND params.learning_rate = '0.01'\", orderBy: [\"metrics.IC DESC\"]", source);
    }
}
