using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Qlib.Tracked.Validation;
using static Qlib.Tracked.Analyzers.Tests.AnalyzerTestHelper;

namespace Qlib.Tracked.Analyzers.Tests;

/// <summary>The analyzers and the generator agree on what is skipped; the compile-time key rules agree with the runtime's.</summary>
public partial class ConsistencyTests
{
    private static readonly string[] TypeDropIds = ["QTRK001", "QTRK002", "QTRK003", "QTRK004", "QTRK005", "QTRK006"];
    private static readonly string[] MemberDropIds = ["QTRK101", "QTRK102", "QTRK201", "QTRK204", "QTRK301", "QTRK303", "QTRK304"];

    private const string Support = """
        public enum Kind { A, B }
        public sealed class Empty { public int X { get; set; } }
        public sealed class Plain { public double[] W { get; set; } = []; }
        [MemoryPackable] public sealed partial class Packed { public double[] W { get; set; } = []; }
        public sealed record Data { [Param] public int Seed { get; init; } }
        public sealed record Hidden { [Param] private int Seed { get; init; } }
        public sealed record NoCtor { public NoCtor(int x) { } [Param] public int Seed { get; init; } }
        public sealed record Req { [Param] public required int Seed { get; init; } }
        public interface IShape { }
        """;

    public static TheoryData<string> Members() =>
    [
        "[Param] public double M { get; init; }", "[Param] public string? M { get; init; }", "[Param] public Kind M { get; init; }",
        "[Param] public int? M { get; init; }", "[Param] public DateTime? M { get; init; }", "[Param] public List<double> M { get; init; } = [];",
        "[Param] public IEnumerable<string> M { get; init; } = [];", "[Param] public Data M { get; init; } = new();",
        "[Param] public object M { get; init; } = new();", "[Param] public char M { get; init; }", "[Param] public byte M { get; init; }",
        "[Param] public Dictionary<string, int> M { get; init; } = new();", "[Param] public int?[] M { get; init; } = [];",
        "[Param] public string?[] M { get; init; } = [];", "[Param] public HashSet<int> M { get; init; } = new();", "[Param] public int[,] M { get; init; } = new int[0,0];",
        "[Param] public Empty M { get; init; } = new();", "[Param] public TimeSpan? M { get; init; }", "[Param] public Hidden M { get; init; } = new();",
        "[Param] public NoCtor M { get; init; } = new(1);", "[Param] public Req M { get; init; } = new() { Seed = 1 };", "[Param] public IShape? M { get; init; }",
        "[Param] public static int M { get; set; }", "[Param] public const int M = 1;", "[Param] public int M { set { } }", "[Param] private int M;",
        "[Metric] public double M { get; set; }", "[Metric] public float? M { get; set; }", "[Metric] public long M;", "[Metric] public decimal M { get; set; }",
        "[Metric] public string M { get; set; } = \"\";", "[Metric] public bool M { get; set; }", "[Metric] public static double M;", "[Metric] public double M { set { } }",
        "[Artifact(\"a\")] public string? M { get; set; }", "[Artifact(\"a\")] public byte[]? M { get; set; }", "[Artifact(\"a\")] public PredictionFrame? M { get; set; }",
        "[Artifact(\"a\")] public Packed? M { get; set; }", "[Artifact(\"a\")] public Plain? M { get; set; }", "[Artifact(\"a\")] public int? M { get; set; }",
        "[Artifact(\"a\")] public List<string>? M { get; set; }", "[Artifact(\"\")] public string? M { get; set; }", "[Artifact(\"a\")] public static string? M;",
    ];

    [GeneratedRegex(@"<summary>(Param|Metric|Artifact) <c>")]
    private static partial Regex GeneratedKey();

    [Theory]
    [MemberData(nameof(Members))]
    public void MemberDropped_ByGenerator_IffAnalyzerReportsIt(string member)
    {
        var source = Support + "\n[Tracked] public partial class Model { " + member + " }\n";
        var compilation = Generate(Compile(source));
        var generated = string.Concat(compilation.SyntaxTrees.Where(t => t.FilePath.EndsWith("Model.Tracked.g.cs", StringComparison.Ordinal)).Select(t => t.ToString()));
        Assert.NotEmpty(generated);
        var emitted = GeneratedKey().IsMatch(generated);
        var reported = AnalyzerDiagnostics(compilation).Where(d => MemberDropIds.Contains(d.Id)).ToList();
        Assert.True(emitted == (reported.Count == 0),
            $"generator emitted the member: {emitted}; analyzer: {string.Join("; ", reported.Select(d => d.ToString()))}");
    }

    public static TheoryData<string> Types() =>
    [
        "[Tracked] public partial class Model { }", "[Tracked] public class Model { }", "[Tracked] public partial class Model<T> { }",
        "[Tracked] public abstract partial class Model { }", "[Tracked] public static partial class Model { }", "[Tracked] public partial record Model(int X);",
        "[Tracked] public partial record Model { public required int X { get; init; } }", "[Tracked] public partial struct Model { public Model(int x) { } }",
        "[Tracked] public partial class Model { private Model() { } public Model(int x) { } }", "[Tracked] public partial record struct Model(int X);",
        "public class Outer { [Tracked] public partial class Model { } }", "public partial class Outer<T> { [Tracked] public partial class Model { } }",
        "public partial interface IOuter { [Tracked] public partial class Model { } }", "public partial class Outer { [Tracked] private partial class Model { } }",
    ];

    [Theory]
    [MemberData(nameof(Types))]
    public void TypeSkipped_ByGenerator_IffAnalyzerReportsIt(string declaration)
    {
        var compilation = Generate(Compile(declaration));
        var emitted = compilation.SyntaxTrees.Any(t => t.FilePath.Contains("Model", StringComparison.Ordinal) && t.FilePath.EndsWith(".Tracked.g.cs", StringComparison.Ordinal));
        var reported = AnalyzerDiagnostics(compilation).Where(d => TypeDropIds.Contains(d.Id)).ToList();
        Assert.True(emitted == (reported.Count == 0),
            $"generator emitted the type: {emitted}; analyzer: {string.Join("; ", reported.Select(d => d.ToString()))}");
    }

    public static TheoryData<string> Keys() =>
    [
        "lr", "learning_rate", "a b", "a:b", "a-b.c/d", "Größe", "日本語", "x²", "٣", "a/b/c", "a//b", "a/./b", "./a", "a/.", "a/..", "..a", "../a", "/a", "a/",
        "", ".", "..", "a!", "a\\b", "a\tb", "a\u0301", "a\u200Bb", "a‿b", "𝒳", "😀", "a\uD800", "€", "$", new string('k', 250), new string('k', 251),
        new string('é', 250) + "x", string.Concat(Enumerable.Repeat("𝒳", 250)), string.Concat(Enumerable.Repeat("𝒳", 251)),
    ];

    [Theory]
    [MemberData(nameof(Keys))]
    public void KeyRules_AgreeWithRuntime(string key)
    {
        bool runtimeOk;
        try
        {
            MlflowValidation.ValidateKey(key, "metric");
            runtimeOk = true;
        }
        catch (TrackingException)
        {
            runtimeOk = false;
        }
        Assert.Equal(runtimeOk, MlflowNameRules.KeyProblem(key) is null);
    }

    /// <summary>
    /// One implementation of the shape rules: the analyzers compile the generator's <c>TrackedShapeRules.cs</c> itself
    /// (a linked file, not a copy), and their reader decides nothing about shapes on its own — the checks that were
    /// once kept by hand in two places (generic, nullable, list, metric and serializer rules) appear only in the rules file.
    /// </summary>
    [Fact]
    public void ShapeRules_AreOneFileCompiledIntoBoth()
    {
        var root = Path.GetFullPath(Path.Combine(ThisFolder(), "..", "..", ".."));
        var project = File.ReadAllText(Path.Combine(root, "src", "Analyzers", "Qlib.Tracked.Analyzers.csproj"));
        Assert.Contains(@"<Compile Include=""..\Generators\TrackedShapeRules.cs""", project);
        Assert.Contains(typeof(DiagnosticDescriptors).Assembly.GetTypes(), t => t.FullName == "Qlib.Tracked.Generators.TrackedShapeRules");

        var reader = File.ReadAllText(Path.Combine(root, "src", "Analyzers", "TrackedShapeReader.cs"));
        string[] ruleFragments = ["IsGenericType", "System_Nullable_T", "System_Double", "IsRequired", "InstanceConstructors", "IParquetTable", "JsonContext\"", "IsIndexer"];
        Assert.All(ruleFragments, fragment => Assert.DoesNotContain(fragment, reader));
        var rules = File.ReadAllText(Path.Combine(root, "src", "Generators", "TrackedShapeRules.cs"));
        Assert.All(ruleFragments, fragment => Assert.Contains(fragment, rules));
    }

    private static string ThisFolder([System.Runtime.CompilerServices.CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
