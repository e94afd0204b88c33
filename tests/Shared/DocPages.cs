using System.Runtime.CompilerServices;

namespace Qlib.Tracked.TestCorpus;

/// <summary>A fenced block of a Markdown page: its info string, its text and where it starts (1-based line of the fence).</summary>
/// <param name="Marker">What the line before the fence says about the sample (<c>&lt;!-- sample: X --&gt;</c>), or null.</param>
public sealed record DocBlock(string Page, int Line, string Language, string Text, string? Marker)
{
    /// <summary>Marked <see cref="DocPages.PartialMarker"/>: the sample is deliberately incomplete (not compiled, not run).</summary>
    public bool Partial => Marker == "partial";

    /// <summary>Marked <see cref="DocPages.RunsMarker"/>: the sample is run as a program in an empty folder and must succeed.</summary>
    public bool Runs => Marker == "runs";

    public override string ToString() => $"{Page}:{Line} ({Language})";
}

/// <summary>
/// The pages a newcomer reads — README.md and docs/*.md — read from the source tree, so the docs tests check the files
/// in the clone, not copies in the build output.
/// </summary>
public static class DocPages
{
    /// <summary>Put on the line right before a fence whose sample is deliberately partial (not compiled, not run).</summary>
    public const string PartialMarker = "<!-- sample: partial -->";

    /// <summary>Put on the line right before a C# sample that needs nothing but an empty folder: the docs tests run it.</summary>
    public const string RunsMarker = "<!-- sample: runs -->";

    /// <summary>The clone's root, found from where this file lies in it (tests/Shared).</summary>
    public static string RepoRoot { get; } = Path.GetFullPath(Path.Combine(ThisFolder(), "..", ".."));

    private static string ThisFolder([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;

    /// <summary>README.md and every docs/*.md page (not the per-rule pages under docs/diagnostics), repository-relative.</summary>
    public static IReadOnlyList<string> Pages() =>
        [
            "README.md",
            .. Directory.GetFiles(Path.Combine(RepoRoot, "docs"), "*.md")
                .Select(p => "docs/" + Path.GetFileName(p)).Order(StringComparer.Ordinal),
        ];

    public static string[] Lines(string page) => File.ReadAllLines(Path.Combine(RepoRoot, page));

    /// <summary>Every fenced block (``` at the start of a line) of <paramref name="page"/>, in order.</summary>
    public static IReadOnlyList<DocBlock> Blocks(string page)
    {
        var lines = Lines(page);
        var blocks = new List<DocBlock>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith("```", StringComparison.Ordinal)) continue;
            var language = lines[i][3..].Trim();
            var end = i + 1;
            while (end < lines.Length && !lines[end].StartsWith("```", StringComparison.Ordinal)) end++;
            if (end == lines.Length) throw new InvalidDataException($"{page}:{i + 1}: a fence that is never closed");
            var before = i > 0 ? lines[i - 1].Trim() : "";
            var marker = before.StartsWith("<!-- sample: ", StringComparison.Ordinal) && before.EndsWith(" -->", StringComparison.Ordinal)
                ? before["<!-- sample: ".Length..^" -->".Length] : null;
            if (marker is not (null or "partial" or "runs")) throw new InvalidDataException($"{page}:{i}: unknown sample marker '{before}'");
            blocks.Add(new DocBlock(page, i + 1, language, string.Join('\n', lines[(i + 1)..end]), marker));
            i = end;
        }
        return blocks;
    }

    /// <summary>The page's lines outside fenced blocks (each with its 1-based number): where links are prose, not code.</summary>
    public static IEnumerable<(int Line, string Text)> ProseLines(string page)
    {
        var inFence = false;
        var lines = Lines(page);
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].StartsWith("```", StringComparison.Ordinal)) inFence = !inFence;
            else if (!inFence) yield return (i + 1, lines[i]);
        }
    }
}
