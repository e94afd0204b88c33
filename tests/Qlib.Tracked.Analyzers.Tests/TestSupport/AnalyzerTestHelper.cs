using System.Collections.Immutable;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Qlib.Tracked.Analyzers.CodeFixes;
using Qlib.Tracked.Generators;

namespace Qlib.Tracked.Analyzers.Tests;

/// <summary>
/// Hand-rolled analyzer and code-fix harness (shared/TOOLCHAIN.md §2): sources are compiled against the
/// runtime, the generator runs, then both analyzers run over the result. Expected diagnostics are written as
/// markup in the source: <c>{|QTRK001:Foo|}</c> marks the exact span of one diagnostic.
/// </summary>
internal static partial class AnalyzerTestHelper
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Preview);

    public const string Usings = """
        global using System;
        global using System.Collections.Generic;
        global using Qlib.Tracked;
        global using Qlib.Tracked.Frames;
        global using Qlib.Tracked.Artifacts;
        global using Qlib.Tracked.Client;
        global using MemoryPack;
        """;

    public static readonly ImmutableArray<DiagnosticAnalyzer> Analyzers = [new TrackedDeclarationAnalyzer(), new TrackingUsageAnalyzer(), new RecordTemplateAnalyzer()];

    private static readonly Lazy<MetadataReference[]> LazyReferences = new(() =>
    {
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator).ToList();
        paths.AddRange(Directory.GetFiles(AppContext.BaseDirectory, "*.dll"));
        return paths
            .Where(p => !Path.GetFileName(p).StartsWith("Qlib.Tracked.Analyzers", StringComparison.Ordinal) && !Path.GetFileName(p).StartsWith("Qlib.Tracked.Generators", StringComparison.Ordinal))
            .GroupBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase)
            .Select(g => (MetadataReference)MetadataReference.CreateFromFile(g.First()))
            .ToArray();
    });

    public static MetadataReference[] References => LazyReferences.Value;

    public static CSharpCompilation Compile(params string[] sources) =>
        CSharpCompilation.Create(
            "Tests",
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"Source{i}.cs"))
                .Append(CSharpSyntaxTree.ParseText(Usings, ParseOptions, path: "Usings.cs")),
            References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    /// <summary>The compilation with the generator's output added.</summary>
    public static Compilation Generate(Compilation compilation)
    {
        CSharpGeneratorDriver.Create([new TrackedGenerator().AsSourceGenerator()], parseOptions: ParseOptions)
            .RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        return output;
    }

    public static ImmutableArray<Diagnostic> AnalyzerDiagnostics(Compilation compilation) =>
        compilation.WithAnalyzers(Analyzers).GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();

    [GeneratedRegex(@"\{\|(?<id>QTRK\d{3}):(?<text>.*?)\|\}", RegexOptions.Singleline)]
    private static partial Regex Markup();

    /// <summary>Strips markup; returns the plain source and the expected (id, span) pairs.</summary>
    public static (string Source, List<(string Id, TextSpan Span)> Expected) Parse(string markup)
    {
        var expected = new List<(string, TextSpan)>();
        var sb = new StringBuilder();
        var last = 0;
        foreach (Match m in Markup().Matches(markup))
        {
            sb.Append(markup, last, m.Index - last);
            var text = m.Groups["text"].Value;
            expected.Add((m.Groups["id"].Value, new TextSpan(sb.Length, text.Length)));
            sb.Append(text);
            last = m.Index + m.Length;
        }
        sb.Append(markup, last, markup.Length - last);
        return (sb.ToString(), expected);
    }

    /// <summary>
    /// Runs generator + analyzers over <paramref name="markup"/> and asserts the QTRK diagnostics in it (only those
    /// whose id is in <paramref name="ids"/>, when given) are exactly the marked ones, at exactly the marked spans.
    /// </summary>
    public static ImmutableArray<Diagnostic> Verify(string markup, params string[] ids)
    {
        var (source, expected) = Parse(markup);
        var compilation = Generate(Compile(source));
        var diagnostics = AnalyzerDiagnostics(compilation);
        var actual = diagnostics
            .Where(d => d.Location.SourceTree?.FilePath == "Source0.cs" && (ids.Length == 0 || ids.Contains(d.Id)))
            .Select(d => (d.Id, d.Location.SourceSpan))
            .OrderBy(d => d.SourceSpan.Start).ThenBy(d => d.Id)
            .ToList();
        var want = expected.OrderBy(d => d.Span.Start).ThenBy(d => d.Id).ToList();
        string Show(IEnumerable<(string Id, TextSpan Span)> items) =>
            string.Join("\n", items.Select(i => $"{i.Id} {i.Span} '{source.Substring(i.Span.Start, i.Span.Length)}'"));
        Assert.True(want.SequenceEqual(actual),
            $"Expected:\n{Show(want)}\nActual:\n{Show(actual)}\nMessages:\n{string.Join("\n", diagnostics.Select(d => d.ToString()))}");
        return diagnostics;
    }

    /// <summary>Applies the first code fix offered for the first diagnostic with <paramref name="id"/>; returns the new source text.</summary>
    public static async Task<string> ApplyFix(string source, string id, string? title = null)
    {
        using var workspace = new AdhocWorkspace();
        var project = workspace.AddProject(ProjectInfo.Create(ProjectId.CreateNewId(), VersionStamp.Default, "Tests", "Tests", LanguageNames.CSharp,
            compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable),
            parseOptions: ParseOptions, metadataReferences: References));
        var document = workspace.AddDocument(project.Id, "Source0.cs", SourceText.From(source));
        workspace.AddDocument(project.Id, "Usings.cs", SourceText.From(Usings));
        var compilation = Generate((await workspace.CurrentSolution.GetProject(project.Id)!.GetCompilationAsync())!);
        var diagnostic = AnalyzerDiagnostics(compilation).Where(d => d.Id == id && d.Location.SourceTree?.FilePath == "Source0.cs")
            .OrderBy(d => d.Location.SourceSpan.Start).FirstOrDefault();
        Assert.NotNull(diagnostic);
        // Map the diagnostic onto the workspace document's tree.
        var tree = (await workspace.CurrentSolution.GetDocument(document.Id)!.GetSyntaxTreeAsync())!;
        var mapped = Diagnostic.Create(diagnostic!.Descriptor, Location.Create(tree, diagnostic.Location.SourceSpan), diagnostic.Properties, diagnostic.GetMessage());
        var actions = new List<CodeAction>();
        CodeFixProvider[] providers = [new MakePartialCodeFixProvider(), new ReplaceStringCodeFixProvider(), new AddRecordDependencyCodeFixProvider()];
        foreach (var provider in providers.Where(p => p.FixableDiagnosticIds.Contains(id)))
        {
            var context = new CodeFixContext(workspace.CurrentSolution.GetDocument(document.Id)!, mapped, (a, _) => actions.Add(a), CancellationToken.None);
            await provider.RegisterCodeFixesAsync(context);
        }
        var action = title is null ? actions.FirstOrDefault() : actions.FirstOrDefault(a => a.Title == title);
        Assert.True(action is not null, $"No code fix offered for {id}; offered: {string.Join(", ", actions.Select(a => a.Title))}");
        var operations = await action!.GetOperationsAsync(CancellationToken.None);
        var changed = operations.OfType<ApplyChangesOperation>().Single().ChangedSolution;
        return (await changed.GetDocument(document.Id)!.GetTextAsync()).ToString();
    }

    /// <summary>Errors (compiler and analyzer) of the source with the generator's output.</summary>
    public static IReadOnlyList<Diagnostic> Errors(string source)
    {
        var compilation = Generate(Compile(source));
        return compilation.GetDiagnostics().Concat(AnalyzerDiagnostics(compilation))
            .Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
    }
}
