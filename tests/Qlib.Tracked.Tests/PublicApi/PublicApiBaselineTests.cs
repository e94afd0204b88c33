using System.Runtime.CompilerServices;

namespace Qlib.Tracked.Tests.PublicApi;

/// <summary>
/// The runtime's public API baseline (src/Runtime/PublicAPI.*.txt, enforced at build time by PublicApiAnalyzers:
/// RS0016 for an undeclared member, RS0017 for a declared one removed or changed) covers every public type the
/// assembly exports, and the build has not been told to ignore it.
/// </summary>
public sealed class PublicApiBaselineTests
{
    private static string RuntimeFolder([CallerFilePath] string path = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "..", "..", "..", "src", "Runtime"));

    private static HashSet<string> Declared() =>
        File.ReadLines(Path.Combine(RuntimeFolder(), "PublicAPI.Shipped.txt"))
            .Concat(File.ReadLines(Path.Combine(RuntimeFolder(), "PublicAPI.Unshipped.txt")))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.StartsWith("*REMOVED*", StringComparison.Ordinal) ? "" : l)
            .ToHashSet(StringComparer.Ordinal);

    [Fact]
    public void Baseline_DeclaresEveryExportedType()
    {
        var declared = Declared();
        var types = typeof(TrackingException).Assembly.GetExportedTypes()
            .Select(t => (t.FullName ?? t.Name).Replace('+', '.'))
            .Select(name => name.Contains('`') ? name[..name.IndexOf('`')] : name)
            .Distinct()
            .ToList();
        Assert.True(types.Count > 100, $"only {types.Count} exported types");
        var missing = types.Where(t => !declared.Any(line => line == t || line.StartsWith(t + "<", StringComparison.Ordinal) || line.StartsWith(t + " ", StringComparison.Ordinal))).ToList();
        Assert.True(missing.Count == 0, "public types missing from PublicAPI.*.txt: " + string.Join(", ", missing));
    }

    [Fact]
    public void Build_EnforcesTheBaseline()
    {
        var project = File.ReadAllText(Path.Combine(RuntimeFolder(), "Qlib.Tracked.csproj"));
        Assert.Contains("Microsoft.CodeAnalysis.PublicApiAnalyzers", project);
        Assert.Contains("<AdditionalFiles Include=\"PublicAPI.Unshipped.txt\" />", project);
        var noWarn = project.Split('\n').Where(l => l.Contains("<NoWarn>", StringComparison.Ordinal) || l.Contains("WarningsNotAsErrors", StringComparison.Ordinal));
        Assert.All(noWarn, line => Assert.DoesNotMatch("RS001[67]", line));
    }
}
