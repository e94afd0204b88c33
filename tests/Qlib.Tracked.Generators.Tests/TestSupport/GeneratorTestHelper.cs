using System.Collections;
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Qlib.Tracked.Generators;

namespace Qlib.Tracked.Generators.Tests;

/// <summary>Runs <see cref="TrackedGenerator"/> over source text with a hand-rolled CSharpGeneratorDriver.</summary>
internal static class GeneratorTestHelper
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Preview);

    private static readonly Lazy<MetadataReference[]> References = new(() =>
    {
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator).ToList();
        paths.AddRange(Directory.GetFiles(AppContext.BaseDirectory, "*.dll"));
        return paths
            .GroupBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase)
            .Select(g => (MetadataReference)MetadataReference.CreateFromFile(g.First()))
            .ToArray();
    });

    public static CSharpCompilation Compile(params string[] sources) =>
        CSharpCompilation.Create(
            "Tests",
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"Source{i}.cs")),
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorDriver CreateDriver(bool track = true) =>
        CSharpGeneratorDriver.Create(
            [new TrackedGenerator().AsSourceGenerator()],
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: track));

    /// <summary>Runs the generator; returns the run result and the compilation with the generated trees added.</summary>
    public static (GeneratorDriverRunResult Result, Compilation Output) Run(params string[] sources)
    {
        var driver = CreateDriver().RunGeneratorsAndUpdateCompilation(Compile(sources), out var output, out _);
        return (driver.GetRunResult(), output);
    }

    /// <summary>Errors and warnings of the compilation (generated code included).</summary>
    public static IReadOnlyList<Diagnostic> Problems(Compilation compilation) =>
        compilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();

    public static string SnapshotDirectory([CallerFilePath] string path = "") => Path.Combine(Path.GetDirectoryName(path)!, "..", "Snapshots");

    /// <summary>
    /// Compares <paramref name="actual"/> with <c>Snapshots/{name}.verified.cs</c> (the generator
    /// version scrubbed). On a mismatch writes <c>{name}.received.cs</c> and fails; with
    /// UPDATE_SNAPSHOTS=1 it accepts the new text instead.
    /// </summary>
    public static void VerifySnapshot(string name, string actual)
    {
        actual = Scrub(actual);
        var dir = SnapshotDirectory();
        var verified = Path.Combine(dir, name + ".verified.cs");
        var received = Path.Combine(dir, name + ".received.cs");
        var expected = File.Exists(verified) ? File.ReadAllText(verified).ReplaceLineEndings("\n") : null;
        if (expected == actual)
        {
            if (File.Exists(received)) File.Delete(received);
            return;
        }
        if (Environment.GetEnvironmentVariable("UPDATE_SNAPSHOTS") == "1")
        {
            Directory.CreateDirectory(dir);
            File.WriteAllText(verified, actual);
            if (File.Exists(received)) File.Delete(received);
            return;
        }
        File.WriteAllText(received, actual);
        Assert.Fail($"Generated code for '{name}' differs from {verified}. Compare with {received}; set UPDATE_SNAPSHOTS=1 to accept it.");
    }

    public static string Scrub(string text) =>
        text.ReplaceLineEndings("\n").Replace($"\"{TrackedGenerator.Emitter.Version}\"", "\"<VERSION>\"");

    private static readonly Type[] Banned = [typeof(ISymbol), typeof(SyntaxNode), typeof(Location), typeof(Compilation), typeof(SemanticModel)];

    /// <summary>Fails when anything reachable from <paramref name="value"/> is a symbol, syntax node, location, compilation or semantic model.</summary>
    public static void AssertNoCompilationData(object? value, string path, HashSet<object>? seen = null)
    {
        seen ??= new HashSet<object>(ReferenceEqualityComparer.Instance);
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum) return;
        var type = value.GetType();
        foreach (var banned in Banned)
            Assert.False(banned.IsAssignableFrom(type), $"{path} holds a {banned.Name} ({type.FullName}).");
        if (!type.IsValueType && !seen.Add(value)) return;
        if (value is IEnumerable items)
        {
            var i = 0;
            foreach (var item in items) AssertNoCompilationData(item, $"{path}[{i++}]", seen);
            if (type.IsArray || type.Namespace?.StartsWith("System.Collections", StringComparison.Ordinal) == true) return;
        }
        foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
            AssertNoCompilationData(field.GetValue(value), $"{path}.{field.Name}", seen);
    }
}
