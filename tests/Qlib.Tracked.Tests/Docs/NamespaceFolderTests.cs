using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Qlib.Tracked.Tests.Docs;

/// <summary>
/// Namespaces follow folders: every .cs file under <c>src/&lt;Project&gt;/</c> declares, as its first namespace, the project's
/// RootNamespace plus its folder path (<c>src/Runtime/Stores/FileBacked/MetricFile.cs</c> →
/// <c>Qlib.Tracked.Stores.FileBacked</c>), so a newcomer finds a type from its namespace and the other way round.
/// </summary>
public sealed partial class NamespaceFolderTests
{
    /// <summary>
    /// The only files allowed to differ, each for a reason the rule cannot serve. Keep it short.
    /// </summary>
    private static readonly Dictionary<string, string> Exceptions = new(StringComparer.Ordinal)
    {
        // Top-level statements: a program's entry point has no namespace.
        ["src/Cli/Program.cs"] = "",
        // A polyfill for init-only setters on netstandard2.0 must be in the namespace the compiler looks in.
        ["src/Generators/Helpers/Polyfills.cs"] = "System.Runtime.CompilerServices",
    };

    /// <summary>Folders exempt from the rule (none today; a folder listed here needs a reason beside it).</summary>
    private static readonly string[] ExemptFolders = [];

    /// <summary>src/Shared has no project of its own: its files are compiled into the runtime (and the analyzers) under this root.</summary>
    private const string SharedRootNamespace = "Qlib.Tracked";

    private static string RepoRoot([CallerFilePath] string path = "") => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "..", "..", ".."));

    [GeneratedRegex(@"^\s*namespace\s+([\w.]+)", RegexOptions.Multiline)]
    private static partial Regex NamespaceDeclaration();

    [Fact]
    public void EveryFileUnderSrc_DeclaresTheNamespaceOfItsFolder()
    {
        var src = Path.Combine(RepoRoot(), "src");
        var wrong = new List<string>();
        var checkedFiles = 0;
        foreach (var project in Directory.EnumerateDirectories(src))
        {
            var rootNamespace = RootNamespaceOf(project);
            foreach (var file in Directory.EnumerateFiles(project, "*.cs", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(project, file).Replace('\\', '/');
                if (relative.StartsWith("bin/", StringComparison.Ordinal) || relative.StartsWith("obj/", StringComparison.Ordinal)) continue;
                var repoPath = "src/" + Path.GetFileName(project) + "/" + relative;
                if (ExemptFolders.Any(f => repoPath.StartsWith(f, StringComparison.Ordinal))) continue;
                var folder = Path.GetDirectoryName(relative)!.Replace('/', '.').Replace('\\', '.');
                var expected = Exceptions.TryGetValue(repoPath, out var exception) ? exception
                    : folder.Length == 0 ? rootNamespace : rootNamespace + "." + folder;
                var match = NamespaceDeclaration().Match(File.ReadAllText(file));
                var actual = match.Success ? match.Groups[1].Value : "";
                checkedFiles++;
                if (actual != expected) wrong.Add($"{repoPath}: namespace '{actual}', expected '{expected}'");
            }
        }
        Assert.True(checkedFiles > 250, $"only {checkedFiles} files found under {src}");
        Assert.True(wrong.Count == 0, $"{wrong.Count} file(s) whose namespace is not their folder's:\n" + string.Join("\n", wrong));
    }

    [Fact]
    public void TheExceptionsStillExist()
    {
        foreach (var path in Exceptions.Keys.Concat(ExemptFolders))
            Assert.True(File.Exists(Path.Combine(RepoRoot(), path)) || Directory.Exists(Path.Combine(RepoRoot(), path)), $"{path} no longer exists: drop it from the exceptions");
    }

    private static string RootNamespaceOf(string projectFolder)
    {
        var project = Directory.EnumerateFiles(projectFolder, "*.csproj").SingleOrDefault();
        if (project is null) return SharedRootNamespace;
        var declared = XDocument.Load(project).Descendants("RootNamespace").Select(e => e.Value.Trim()).FirstOrDefault();
        return declared ?? Path.GetFileNameWithoutExtension(project);
    }
}
