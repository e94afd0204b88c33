using System.CommandLine;
using System.Text;
using System.Text.RegularExpressions;
using Qlib.Tracked.TestCorpus;
using Qlib.Tracked.Tool;

namespace Qlib.Tracked.Cli.Tests.Docs;

/// <summary>
/// The <c>qtrack</c> commands README.md and docs/*.md show are commands qtrack takes: each one (in a bash/sh/text block,
/// as <c>qtrack …</c>, <c>$ qtrack …</c> or <c>dotnet run --project src/Cli -- …</c>) parses with qtrack's own parser,
/// every option a prose synopsis (<c>`qtrack runs [--max N]`</c>) names exists on that command, and the read-only
/// examples shown with their output (<c>$ qtrack …</c> followed by what it printed, on the MLflow-written fixture store)
/// still run and print that first line. A renamed command or option, or a changed table header, fails here.
/// </summary>
public sealed partial class DocCommandsTests
{
    private static readonly string[] ShellLanguages = ["bash", "sh", "shell", "console", "text"];

    /// <summary>Commands run for real on a copy of the fixture: they only read (or print to stdout) and end by themselves.</summary>
    private static readonly HashSet<string> ReadOnlyCommands = ["experiments", "runs", "show", "metrics", "artifacts", "compare"];

    [GeneratedRegex(@"`qtrack ([a-z]+)((?: [^`]*)?)`")]
    private static partial Regex Synopsis();

    [GeneratedRegex(@"--[a-z][a-z-]*")]
    private static partial Regex LongOption();

    /// <summary>One command a page shows: its arguments (after <c>qtrack</c>) and, for a <c>$ </c> example, the output below it.</summary>
    public sealed record DocCommand(string Page, int Line, string[] Args, string[] Output)
    {
        public override string ToString() => $"{Page}:{Line}: qtrack {string.Join(' ', Args)}";
    }

    public static IReadOnlyList<DocCommand> Commands()
    {
        var commands = new List<DocCommand>();
        foreach (var block in DocPages.Pages().SelectMany(DocPages.Blocks).Where(b => ShellLanguages.Contains(b.Language) && !b.Partial))
        {
            var lines = block.Text.Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                var prompt = lines[i].StartsWith("$ ", StringComparison.Ordinal);
                // Output blocks (text) hold commands only after a prompt; script blocks hold them on any line.
                if (block.Language == "text" && !prompt) continue;
                var text = prompt ? lines[i][2..] : lines[i];
                while (text.EndsWith('\\') && i + 1 < lines.Length) text = text[..^1] + " " + lines[++i].Trim();
                var output = prompt ? lines.Skip(i + 1).TakeWhile(l => !l.StartsWith("$ ", StringComparison.Ordinal)).ToArray() : [];
                foreach (var args in QtrackInvocations(Tokenize(text)))
                    commands.Add(new DocCommand(block.Page, block.Line + 1 + i, args, output));
            }
        }
        return commands;
    }

    public static TheoryData<string> CommandIds()
    {
        var data = new TheoryData<string>();
        foreach (var command in Commands()) data.Add(command.ToString());
        return data;
    }

    private static DocCommand Find(string id) => Commands().Single(c => c.ToString() == id);

    [Fact]
    public void TheDocs_ShowQtrackCommands_InTheReadmeAndTheCliPage()
    {
        var commands = Commands();
        Assert.Contains(commands, c => c.Page == "README.md");
        Assert.True(commands.Count(c => c.Page == "docs/qtrack.md") >= 10, "docs/qtrack.md shows fewer than 10 qtrack commands");
        Assert.True(commands.Count(c => c.Output.Length > 0 && ReadOnlyCommands.Contains(c.Args[0])) >= 6, "fewer than 6 examples with output");
    }

    [Theory]
    [MemberData(nameof(CommandIds))]
    public void DocumentedCommand_ParsesWithQtracksParser(string id)
    {
        var command = Find(id);
        // Parsed, not run: the commands name stores, servers and ports of the reader's machine. (`--help` cannot stand
        // in for this: a help request makes the parser drop the errors of the other tokens.)
        var root = Tool.Cli.BuildRoot(new CliContext(TextWriter.Null, TextWriter.Null, _ => null));
        var errors = root.Parse(command.Args).Errors.Select(e => e.Message).ToList();
        Assert.True(errors.Count == 0, $"{command}: qtrack does not accept this command line:\n{string.Join("\n", errors)}");
    }

    [Fact]
    public void EveryOption_InAProseSynopsis_ExistsOnItsCommand()
    {
        var checkedOptions = 0;
        var missing = new List<string>();
        foreach (var page in DocPages.Pages())
        {
            foreach (var (line, text) in DocPages.ProseLines(page))
            {
                foreach (Match synopsis in Synopsis().Matches(text))
                {
                    var name = synopsis.Groups[1].Value;
                    var help = CliRunner.Run(name, "--help");
                    if (help.ExitCode != 0)
                    {
                        missing.Add($"{page}:{line}: 'qtrack {name}' is not a command");
                        continue;
                    }
                    foreach (var option in LongOption().Matches(synopsis.Groups[2].Value).Select(m => m.Value).Distinct())
                    {
                        checkedOptions++;
                        if (!Regex.IsMatch(help.Out, Regex.Escape(option) + @"(?![a-z-])"))
                            missing.Add($"{page}:{line}: 'qtrack {name}' has no option {option}");
                    }
                }
            }
        }
        Assert.True(checkedOptions >= 20, $"only {checkedOptions} options found in synopses");
        Assert.True(missing.Count == 0, string.Join("\n", missing));
    }

    public static TheoryData<string> ExampleIds()
    {
        var data = new TheoryData<string>();
        foreach (var command in Commands().Where(c => c.Output.Length > 0 && ReadOnlyCommands.Contains(c.Args[0]))) data.Add(command.ToString());
        // `get --out -` only prints the file, and a `get` the page shows failing writes nothing: safe to run too.
        foreach (var command in Commands().Where(c => c.Output.Length > 0 && c.Args[0] == "get"
                     && (c.Args.Contains("-") || c.Output[0].StartsWith("error:", StringComparison.Ordinal))))
            data.Add(command.ToString());
        return data;
    }

    [Theory]
    [MemberData(nameof(ExampleIds))]
    public void DocumentedExample_RunsOnTheFixtureStore_AndPrintsWhatThePageShows(string id)
    {
        var command = Find(id);
        using var store = new TempStore(copyFixture: true);
        var result = CliRunner.Run(["--store", store.Store, .. command.Args]);
        var shown = command.Output[0];
        if (shown.StartsWith("error:", StringComparison.Ordinal))
        {
            Assert.True(result.ExitCode != 0, $"{command}: the page shows an error, qtrack succeeded:\n{result.Out}");
            Assert.Contains(shown, result.Error, StringComparison.Ordinal);
            return;
        }
        Assert.True(result.ExitCode == 0, $"{command}: exit {result.ExitCode}\n{result.Error}");
        var printed = result.Out.Split('\n')[0];
        Assert.True(Words(shown) == Words(printed), $"{command}: the page shows\n  {shown}\nqtrack printed\n  {printed}");
    }

    /// <summary>A line with its runs of spaces collapsed: column widths follow the data, which the pages shorten.</summary>
    private static string Words(string line) => string.Join(' ', line.Split(' ', StringSplitOptions.RemoveEmptyEntries));

    /// <summary>The qtrack argument lists in one shell line: <c>qtrack …</c> and <c>dotnet run --project src/Cli -- …</c>, per <c>&amp;&amp;</c>/<c>;</c>/<c>|</c> part.</summary>
    private static IEnumerable<string[]> QtrackInvocations(List<string> tokens)
    {
        var part = new List<string>();
        foreach (var token in tokens.Append("&&"))
        {
            if (token is not ("&&" or ";" or "|" or "||"))
            {
                part.Add(token);
                continue;
            }
            var words = part.SkipWhile(t => t.Contains('=', StringComparison.Ordinal) && !t.StartsWith('-')).ToList();  // VAR=value prefixes
            part = [];
            if (words.Count > 0 && words[0] == "qtrack") yield return [.. words.Skip(1)];
            else if (words.Count > 4 && words[0] == "dotnet" && words[1] == "run" && words[2] == "--project" && words[3].TrimEnd('/') == "src/Cli")
            {
                var separator = words.IndexOf("--");
                if (separator > 0) yield return [.. words.Skip(separator + 1)];
            }
        }
    }

    /// <summary>Shell words: quotes grouped and removed, a <c>#</c> starting a word begins a comment, operators are words.</summary>
    private static List<string> Tokenize(string line)
    {
        var tokens = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        char? quote = null;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quote is { } q)
            {
                if (c == q) quote = null;
                else word.Append(c);
                continue;
            }
            if (c is '\'' or '"')
            {
                quote = c;
                inWord = true;
                continue;
            }
            if (char.IsWhiteSpace(c) || c is ';' or '|' or '&')
            {
                if (inWord) tokens.Add(word.ToString());
                word.Clear();
                inWord = false;
                if (c is ';' or '|' or '&')
                {
                    var op = i + 1 < line.Length && line[i + 1] == c ? new string(c, 2) : c.ToString();
                    i += op.Length - 1;
                    tokens.Add(op);
                }
                continue;
            }
            if (c == '#' && !inWord) break;
            word.Append(c);
            inWord = true;
        }
        if (inWord) tokens.Add(word.ToString());
        return tokens;
    }
}
