using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;

namespace Qlib.Tracked.Analyzers.Tests;

/// <summary>
/// The descriptor catalogue agrees with what ships beside it: each rule's help link is its page in this repository,
/// the page exists (and no page exists without a rule), the release-tracking files and the docs index list it with
/// the same severity, category and title, and some analyzer reports it.
/// </summary>
public partial class DescriptorCatalogueTests
{
    private static readonly DiagnosticDescriptor[] Descriptors = typeof(DiagnosticDescriptors)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
        .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
        .ToArray();

    private static string RepoRoot([CallerFilePath] string path = "") => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "..", "..", ".."));

    private static string DocsFolder => Path.Combine(RepoRoot(), "docs", "diagnostics");

    [GeneratedRegex(@"^QTRK\d{3}$")]
    private static partial Regex IdPattern();

    [Fact]
    public void Catalogue_IdsAreDistinctAndMatchTheirIdConstants()
    {
        Assert.True(Descriptors.Length >= 38, $"only {Descriptors.Length} descriptors found");
        Assert.All(Descriptors, d => Assert.Matches(IdPattern(), d.Id));
        Assert.Equal(Descriptors.Length, Descriptors.Select(d => d.Id).Distinct().Count());
        var constants = typeof(DiagnosticIds).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetRawConstantValue()!).Order().ToArray();
        Assert.Equal(constants, Descriptors.Select(d => d.Id).Order().ToArray());
    }

    [Fact]
    public void HelpLinks_PointAtEachRulesPageUnderOneBase()
    {
        Assert.StartsWith("https://", DiagnosticDescriptors.HelpLinkBase, StringComparison.Ordinal);
        Assert.EndsWith("/docs/diagnostics/", DiagnosticDescriptors.HelpLinkBase, StringComparison.Ordinal);
        Assert.All(Descriptors, d =>
        {
            Assert.EndsWith("/" + d.Id + ".md", d.HelpLinkUri, StringComparison.Ordinal);
            Assert.Equal(DiagnosticDescriptors.HelpLinkBase + d.Id + ".md", d.HelpLinkUri);
        });
    }

    [Fact]
    public void DocsPages_ExistForEveryRule_AndOnlyForRules()
    {
        var pages = Directory.GetFiles(DocsFolder, "QTRK*.md").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal).ToArray();
        var ids = Descriptors.Select(d => d.Id).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(ids, pages);
    }

    [Fact]
    public void DocsPages_TitleSeverityAndCategory_MatchTheDescriptor()
    {
        Assert.All(Descriptors, d =>
        {
            var lines = File.ReadAllLines(Path.Combine(DocsFolder, d.Id + ".md"));
            Assert.Equal("# " + d.Id + ": " + d.Title, lines[0]);
            Assert.Contains("| Severity | " + d.DefaultSeverity + " |", lines);
            Assert.Contains("| Category | " + d.Category + " |", lines);
        });
    }

    [Fact]
    public void DocsIndex_ListsEveryRuleWithItsPage()
    {
        var index = File.ReadAllText(Path.Combine(DocsFolder, "README.md"));
        Assert.All(Descriptors, d => Assert.Contains(
            "| [" + d.Id + "](" + d.Id + ".md) | " + d.DefaultSeverity + " | " + d.Category + " | " + d.Title + " |", index));
    }

    [Fact]
    public void ReleaseTracking_ListsEveryRuleOnce_WithItsCategorySeverityAndTitle()
    {
        var rows = new[] { "AnalyzerReleases.Shipped.md", "AnalyzerReleases.Unshipped.md" }
            .SelectMany(f => File.ReadAllLines(Path.Combine(RepoRoot(), "src", "Analyzers", f)))
            .Where(l => l.StartsWith("QTRK", StringComparison.Ordinal))
            .Select(l => l.Split('|').Select(c => c.Trim()).ToArray())
            .ToList();
        Assert.Equal(Descriptors.Select(d => d.Id).Order(StringComparer.Ordinal), rows.Select(r => r[0]).Order(StringComparer.Ordinal));
        Assert.All(Descriptors, d => Assert.Contains(rows, r =>
            r[0] == d.Id && r[1] == d.Category && r[2] == d.DefaultSeverity.ToString() && r[3] == d.Title.ToString()));
    }

    [Fact]
    public void EveryRule_IsReportedBySomeAnalyzer()
    {
        var supported = AnalyzerTestHelper.Analyzers.SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id).ToHashSet();
        Assert.All(Descriptors, d => Assert.Contains(d.Id, supported));
    }
}
