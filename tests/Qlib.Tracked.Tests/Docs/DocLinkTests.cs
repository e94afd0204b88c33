using System.Text;
using System.Text.RegularExpressions;
using Qlib.Tracked.TestCorpus;

namespace Qlib.Tracked.Tests.Docs;

/// <summary>
/// The README is a landing page a newcomer can walk: it starts with the commands CI runs, stays short, links every
/// docs/ page, and no link in it or in the docs leads nowhere (a moved page or a renamed heading fails here).
/// </summary>
public sealed partial class DocLinkTests
{
    /// <summary>A Markdown link or image target: <c>[text](target)</c>, the target without spaces.</summary>
    [GeneratedRegex(@"\]\(([^)\s]+)\)")]
    private static partial Regex LinkTarget();

    [GeneratedRegex(@"^#{1,6}\s+(.*?)\s*#*\s*$")]
    private static partial Regex Heading();

    private static string Root => DocPages.RepoRoot;

    [Fact]
    public void Readme_StartsWithTheCommandsForTheMainJobAndTheTests_WhichCiRuns()
    {
        var first = DocPages.Blocks("README.md")[0];
        var commands = first.Text.Split('\n').Select(l => l.Split('#')[0].Trim()).Where(l => l.Length > 0).ToList();
        Assert.Equal("dotnet run --project samples/QuickStart", commands[0]);
        Assert.Equal("dotnet test Qlib.Tracked.sln", commands[1]);
        Assert.Contains("./mlruns", first.Text.Split('\n')[0], StringComparison.Ordinal);
        Assert.Contains("\ndotnet test Qlib.Tracked.sln ", File.ReadAllText(Path.Combine(Root, ".ci", "run")), StringComparison.Ordinal);
    }

    [Fact]
    public void Readme_IsALandingPage_OfAtMost150Lines()
    {
        var lines = DocPages.Lines("README.md").Length;
        Assert.True(lines <= 150, $"README.md has {lines} lines; move the detail to a docs/ page and link it.");
    }

    [Fact]
    public void EveryDocsPage_IsLinkedFromTheReadme()
    {
        var linked = DocPages.ProseLines("README.md")
            .SelectMany(l => LinkTarget().Matches(l.Text).Select(m => m.Groups[1].Value.Split('#')[0]))
            .ToHashSet(StringComparer.Ordinal);
        var pages = DocPages.Pages().Where(p => p != "README.md").Append("docs/diagnostics/README.md").ToList();
        Assert.True(pages.Count >= 10, $"only {pages.Count} docs pages found");
        var missing = pages.Where(p => !linked.Contains(p)).ToList();
        Assert.True(missing.Count == 0, "docs pages the README does not link: " + string.Join(", ", missing));
    }

    [Fact]
    public void EveryRelativeLink_InTheReadmeAndTheDocs_LeadsToAFileAndHeadingThatExist()
    {
        var pages = DocPages.Pages()
            .Concat(Directory.GetFiles(Path.Combine(Root, "docs", "diagnostics"), "*.md").Select(p => "docs/diagnostics/" + Path.GetFileName(p)))
            .ToList();
        var broken = new List<string>();
        var checkedLinks = 0;
        foreach (var page in pages)
        {
            foreach (var (line, text) in DocPages.ProseLines(page))
            {
                foreach (Match match in LinkTarget().Matches(text))
                {
                    var target = match.Groups[1].Value;
                    if (target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal)) continue;
                    checkedLinks++;
                    var hash = target.IndexOf('#');
                    var file = hash < 0 ? target : target[..hash];
                    var anchor = hash < 0 ? null : target[(hash + 1)..];
                    var resolved = file.Length == 0
                        ? Path.Combine(Root, page)
                        : Path.GetFullPath(Path.Combine(Root, Path.GetDirectoryName(page)!, Uri.UnescapeDataString(file)));
                    if (!File.Exists(resolved) && !Directory.Exists(resolved))
                        broken.Add($"{page}:{line}: '{target}' — no file {Path.GetRelativePath(Root, resolved)}");
                    else if (anchor is not null && resolved.EndsWith(".md", StringComparison.Ordinal) && !Anchors(resolved).Contains(anchor))
                        broken.Add($"{page}:{line}: '{target}' — no heading with anchor '#{anchor}' in {Path.GetRelativePath(Root, resolved)}");
                }
            }
        }
        Assert.True(checkedLinks >= 30, $"only {checkedLinks} relative links found");
        Assert.True(broken.Count == 0, "broken links:\n" + string.Join("\n", broken));
    }

    [Fact]
    public void HeadingAnchors_FollowGitHubsSpelling()
    {
        Assert.Equal("the-run-index-search-without-reading-every-run", Slug("The run index (search without reading every run)"));
        Assert.Equal("qtrack-the-command-line", Slug("`qtrack`: the command line"));
        Assert.Equal("json-and-csv-output-are-stable", Slug("JSON and CSV output are stable"));
    }

    /// <summary>The anchors GitHub gives the headings of a page (outside code blocks).</summary>
    private static HashSet<string> Anchors(string path)
    {
        var page = Path.GetRelativePath(Root, path).Replace('\\', '/');
        return DocPages.ProseLines(page)
            .Select(l => Heading().Match(l.Text))
            .Where(m => m.Success)
            .Select(m => Slug(m.Groups[1].Value))
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>GitHub's heading anchor: lower case, letters/digits/spaces/hyphens/underscores kept, spaces to hyphens.</summary>
    private static string Slug(string heading)
    {
        var slug = new StringBuilder();
        foreach (var c in heading.ToLowerInvariant())
        {
            if (char.IsLetterOrDigit(c) || c is '-' or '_') slug.Append(c);
            else if (c == ' ') slug.Append('-');
        }
        return slug.ToString();
    }
}
