using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Qlib.Tracked.TestCorpus;

namespace Qlib.Tracked.Generators.Tests.Docs;

/// <summary>
/// Every fenced <c>csharp</c> sample in README.md and docs/*.md compiles as a program of its own against the runtime,
/// with the [Tracked] generator running, as a newcomer pasting it into a new console project would compile it (the
/// SDK's implicit usings). A renamed API, a changed signature or a generator change that breaks a sample fails here.
/// A sample that is deliberately partial says so on the line before its fence (<see cref="DocPages.PartialMarker"/>).
/// </summary>
public sealed class DocSamplesCompileTests
{
    /// <summary>The usings `dotnet new console` turns on (ImplicitUsings).</summary>
    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    /// <summary>A sample made only of type declarations has no entry point; that is not a mistake in the sample.</summary>
    private const string NoEntryPoint = "CS5001";

    public static TheoryData<string, int> Samples()
    {
        var data = new TheoryData<string, int>();
        foreach (var block in CSharpBlocks().Where(b => !b.Partial)) data.Add(block.Page, block.Line);
        return data;
    }

    private static IEnumerable<DocBlock> CSharpBlocks() =>
        DocPages.Pages().SelectMany(DocPages.Blocks).Where(b => b.Language is "csharp" or "cs" or "c#");

    [Theory]
    [MemberData(nameof(Samples))]
    public void Sample_Compiles_WithTheGenerator(string page, int line)
    {
        var block = DocPages.Blocks(page).Single(b => b.Line == line);
        var compilation = CSharpCompilation.Create(
            "DocSample",
            [
                CSharpSyntaxTree.ParseText(ImplicitUsings, GeneratorTestHelper.ParseOptions, path: "ImplicitUsings.cs"),
                CSharpSyntaxTree.ParseText(block.Text, GeneratorTestHelper.ParseOptions, path: $"{page}:{line}"),
            ],
            GeneratorTestHelper.References.Value,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));
        GeneratorTestHelper.CreateDriver(track: false).RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorProblems);

        var problems = generatorProblems.Concat(output.GetDiagnostics())
            .Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Id != NoEntryPoint)
            .Select(d => $"{d.Id} {d.GetMessage()} at {d.Location.GetLineSpan()}")
            .ToList();
        Assert.True(problems.Count == 0, $"the sample at {page}:{line} does not compile cleanly:\n" + string.Join("\n", problems));
    }

    [Fact]
    public void TheDocs_HaveSamplesToCompile_AndMarkEveryPartialOne()
    {
        var blocks = CSharpBlocks().ToList();
        Assert.True(blocks.Count(b => !b.Partial) >= 6, $"only {blocks.Count(b => !b.Partial)} compiled samples found in {string.Join(", ", DocPages.Pages())}");
        // Any other language tag for C# would let a sample slip past the compiler.
        var untagged = DocPages.Pages().SelectMany(DocPages.Blocks)
            .Where(b => b.Language is "" or "C#" or "csharp-partial" && b.Text.Contains("using Qlib", StringComparison.Ordinal))
            .ToList();
        Assert.True(untagged.Count == 0, "C# samples without the csharp tag: " + string.Join(", ", untagged));
    }
}
