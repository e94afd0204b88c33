using System.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Qlib.Tracked.TestCorpus;

namespace Qlib.Tracked.Analyzers.Tests.Docs;

/// <summary>
/// Every fenced <c>csharp</c> sample in README.md and docs/*.md compiles as a program of its own against the runtime,
/// with the [Tracked] generator and the QTRK analyzers running (the package brings both), as a newcomer pasting it
/// into a new console project would compile it (the SDK's implicit usings): no error and no warning. A renamed API, a
/// changed signature, a generator change or a name the analyzers would flag in a sample fails here.
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

    public static TheoryData<string, int> RunnableSamples()
    {
        var data = new TheoryData<string, int>();
        foreach (var block in CSharpBlocks().Where(b => b.Runs)) data.Add(block.Page, block.Line);
        return data;
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Sample_Compiles_WithTheGenerator(string page, int line) => CompileCleanly(page, line);

    /// <summary>
    /// A sample marked <see cref="DocPages.RunsMarker"/> runs as its own process (next to the runtime's assemblies in
    /// this test's output folder) in an empty folder with no store configured: it must succeed and record into ./mlruns.
    /// </summary>
    [Theory]
    [MemberData(nameof(RunnableSamples))]
    public async Task MarkedSample_Runs_InAnEmptyFolder_AndRecordsIntoMlruns(string page, int line)
    {
        var compilation = CompileCleanly(page, line);
        var name = $"DocSample-{Guid.NewGuid():N}";
        var program = Path.Combine(AppContext.BaseDirectory, name + ".dll");
        var config = Path.Combine(AppContext.BaseDirectory, name + ".runtimeconfig.json");
        var folder = Directory.CreateTempSubdirectory("qtrk-doc-sample-");
        try
        {
            var emitted = compilation.Emit(program);
            Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
            // No deps.json: the host loads the assemblies of the folder it runs from, which holds everything the runtime needs.
            File.WriteAllText(config, """{"runtimeOptions":{"tfm":"net10.0","framework":{"name":"Microsoft.NETCore.App","version":"10.0.0"}}}""");
            var start = new ProcessStartInfo("dotnet", [program]) { WorkingDirectory = folder.FullName, RedirectStandardOutput = true, RedirectStandardError = true };
            start.Environment.Remove("QLIB_MLFLOW_URI");
            start.Environment.Remove("MLFLOW_TRACKING_URI");
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"the sample at {page}:{line} did not finish within 60 s");
            }
            Assert.True(process.ExitCode == 0, $"the sample at {page}:{line} exited {process.ExitCode}:\n{await stdout}\n{await stderr}");
            Assert.True(Directory.Exists(Path.Combine(folder.FullName, "mlruns", "0")), $"the sample at {page}:{line} recorded nothing into ./mlruns");
        }
        finally
        {
            File.Delete(program);
            File.Delete(config);
            folder.Delete(recursive: true);
        }
    }

    private static Compilation CompileCleanly(string page, int line)
    {
        var block = DocPages.Blocks(page).Single(b => b.Line == line);
        var compilation = CSharpCompilation.Create(
            "DocSample",
            [
                CSharpSyntaxTree.ParseText(ImplicitUsings, AnalyzerTestHelper.ParseOptions, path: "ImplicitUsings.cs"),
                CSharpSyntaxTree.ParseText(block.Text, AnalyzerTestHelper.ParseOptions, path: $"{page}:{line}"),
            ],
            AnalyzerTestHelper.References,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));
        var output = AnalyzerTestHelper.Generate(compilation);

        var problems = output.GetDiagnostics().Concat(AnalyzerTestHelper.AnalyzerDiagnostics(output))
            .Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Id != NoEntryPoint)
            .Select(d => $"{d.Id} {d.GetMessage()} at {d.Location.GetLineSpan()}")
            .ToList();
        Assert.True(problems.Count == 0, $"the sample at {page}:{line} does not compile cleanly:\n" + string.Join("\n", problems));
        return output;
    }

    [Fact]
    public void TheDocs_HaveSamplesToCompile_AndMarkEveryPartialOne()
    {
        var blocks = CSharpBlocks().ToList();
        Assert.True(blocks.Count(b => !b.Partial) >= 6, $"only {blocks.Count(b => !b.Partial)} compiled samples found in {string.Join(", ", DocPages.Pages())}");
        Assert.Contains(blocks, b => b.Runs && b.Page == "README.md");
        // Any other language tag for C# would let a sample slip past the compiler.
        var untagged = DocPages.Pages().SelectMany(DocPages.Blocks)
            .Where(b => b.Language is "" or "C#" or "csharp-partial" && b.Text.Contains("using Qlib", StringComparison.Ordinal))
            .ToList();
        Assert.True(untagged.Count == 0, "C# samples without the csharp tag: " + string.Join(", ", untagged));
    }
}
