using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Qlib.Tracked.Generators.Tests;

/// <summary>
/// The generated code's XML doc comments stay well-formed whatever the user names things: a consumer that builds with
/// documentation on (GenerateDocumentationFile, warnings as errors) must not get CS1570 for an artifact named
/// <c>a&amp;b.txt</c>.
/// </summary>
public sealed class GeneratedDocCommentTests
{
    private const string Model = """
        using Qlib.Tracked;
        namespace Models
        {
            /// <summary>A model whose names need escaping in XML.</summary>
            [Tracked]
            public partial class Escapes
            {
                /// <summary>Notes.</summary>
                [Artifact("a&b<c>.txt")] public string Notes { get; set; } = "";
                /// <summary>Raw.</summary>
                [Artifact("x&amp;y/z>w.bin")] public byte[] Raw { get; set; } = [];
                /// <summary>Rate.</summary>
                [Param("rate&<x>")] public double Rate { get; set; }
                /// <summary>Loss.</summary>
                [Metric("loss&<y>")] public double Loss { get; set; }
            }
        }
        """;

    [Fact]
    public void Generator_NamesWithXmlCharacters_DocCommentsStayWellFormed()
    {
        var options = GeneratorTestHelper.ParseOptions.WithDocumentationMode(DocumentationMode.Diagnose);
        var compilation = CSharpCompilation.Create("Docs",
            [CSharpSyntaxTree.ParseText(Model, options, path: "Model.cs")],
            GeneratorTestHelper.Compile().References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        CSharpGeneratorDriver.Create([new TrackedGenerator().AsSourceGenerator()], parseOptions: options)
            .RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);

        var generated = output.SyntaxTrees.Where(t => t.FilePath.EndsWith("Models.Escapes.Tracked.g.cs", StringComparison.Ordinal)).ToList();
        Assert.Single(generated);
        var text = generated[0].GetText().ToString();
        Assert.Contains("<c>a&amp;b&lt;c&gt;.txt</c>", text);
        Assert.Contains("<c>x&amp;amp;y/z&gt;w.bin</c>", text);
        var docProblems = output.GetDiagnostics()
            .Where(d => d.Location.SourceTree is { } tree && generated.Contains(tree) && d.Severity >= DiagnosticSeverity.Warning)
            .ToList();
        Assert.True(docProblems.Count == 0, string.Join("\n", docProblems));
    }
}
