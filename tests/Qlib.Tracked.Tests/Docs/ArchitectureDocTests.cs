using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace Qlib.Tracked.Tests.Docs;

/// <summary>docs/architecture.md names files a newcomer can open: every path it quotes exists in the repository.</summary>
public sealed partial class ArchitectureDocTests
{
    private static string RepoRoot([CallerFilePath] string path = "") => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "..", "..", ".."));

    [GeneratedRegex(@"`((?:src|docs|tests|bench|samples)/[^`\s]*)`")]
    private static partial Regex QuotedPath();

    [Fact]
    public void ArchitectureDoc_EveryQuotedPathExists()
    {
        var text = File.ReadAllText(Path.Combine(RepoRoot(), "docs", "architecture.md"));
        var paths = QuotedPath().Matches(text).Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.True(paths.Count >= 30, $"only {paths.Count} paths quoted");
        var missing = paths.Where(p => !File.Exists(Path.Combine(RepoRoot(), p)) && !Directory.Exists(Path.Combine(RepoRoot(), p))).ToList();
        Assert.True(missing.Count == 0, "docs/architecture.md names paths that do not exist: " + string.Join(", ", missing));
    }
}
