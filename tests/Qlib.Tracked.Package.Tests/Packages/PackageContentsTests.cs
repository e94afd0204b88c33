using System.Xml.Linq;

namespace Qlib.Tracked.Package.Tests;

/// <summary>
/// What a user gets from <c>dotnet add package Qlib.Tracked</c> and <c>dotnet tool install Qlib.Tracked.Cli</c>:
/// the files where NuGet looks for them, the declared dependencies, and the metadata. (That the packages work in a
/// project outside the solution is tests/Consumers/run-consumers.sh's job, run by .ci/run.)
/// </summary>
public class PackageContentsTests(PackedPackages packages) : IClassFixture<PackedPackages>
{
    private const string Runtime = "Qlib.Tracked";
    private const string Tool = "Qlib.Tracked.Cli";

    [Fact]
    public void Runtime_IsInLibNet10_AndIsTheOnlyAssemblyThere()
    {
        var lib = packages.Entries(Runtime).Where(e => e.StartsWith("lib/", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["lib/net10.0/Qlib.Tracked.dll", "lib/net10.0/Qlib.Tracked.xml"], lib);
    }

    [Fact]
    public void GeneratorAnalyzersAndCodeFixes_AreUnderAnalyzersDotnetCs()
    {
        var analyzers = packages.Entries(Runtime).Where(e => e.StartsWith("analyzers/", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(
        [
            "analyzers/dotnet/cs/Qlib.Tracked.Analyzers.CodeFixes.dll",
            "analyzers/dotnet/cs/Qlib.Tracked.Analyzers.dll",
            "analyzers/dotnet/cs/Qlib.Tracked.Generators.dll",
        ], analyzers);
    }

    [Fact]
    public void CompilerCheck_IsInBuildTransitive_AndNamesTheSdkItNeeds()
    {
        var targets = packages.ReadEntry(Runtime, "buildTransitive/Qlib.Tracked.targets");
        var project = XDocument.Parse(targets).Root!;
        // The generator is built against Microsoft.CodeAnalysis.CSharp 5.9.0: a compiler below 5.9 cannot load it.
        var roslyn = System.Version.Parse(PackedPackages.CentralPackageVersions()["Microsoft.CodeAnalysis.CSharp"]);
        Assert.Equal($"{roslyn.Major}.{roslyn.Minor}", project.Descendants("QlibTrackedRequiredCompilerApi").Single().Value);
        Assert.Equal("10.0.401", project.Descendants("QlibTrackedRequiredSdk").Single().Value);
        var error = project.Descendants("Error").Single();
        Assert.Equal("QTRKSDK001", (string?)error.Attribute("Code"));
        Assert.Contains(".NET SDK $(QlibTrackedRequiredSdk) or newer", (string?)error.Attribute("Text"), StringComparison.Ordinal);
    }

    [Fact]
    public void Dependencies_AreTheVersionsTheSolutionBuildsWith_AndNoneOfOurOwnProjects()
    {
        var central = PackedPackages.CentralPackageVersions();
        var group = packages.Metadata(Runtime).Descendants().Where(e => e.Name.LocalName == "group").Single();
        Assert.Equal("net10.0", (string?)group.Attribute("targetFramework"));
        var dependencies = group.Elements().ToDictionary(d => (string)d.Attribute("id")!, d => (string)d.Attribute("version")!);
        string[] expected = ["MemoryPack", "Microsoft.Data.Sqlite", "Npgsql", "Parquet.Net", "YamlDotNet"];
        Assert.Equal(expected, dependencies.Keys.Order(StringComparer.Ordinal).ToArray());
        Assert.All(expected, id => Assert.Equal(central[id], dependencies[id]));
    }

    [Fact]
    public void Metadata_VersionLicenseReadmeRepositoryAndReleaseNotes()
    {
        var metadata = packages.Metadata(Runtime);
        string Value(string name) => metadata.Elements().Single(e => e.Name.LocalName == name).Value;
        Assert.Equal(packages.Version, Value("version"));
        var license = metadata.Elements().Single(e => e.Name.LocalName == "license");
        Assert.Equal(("expression", "MIT"), ((string?)license.Attribute("type"), license.Value));
        Assert.Equal("README.md", Value("readme"));
        Assert.Contains("dotnet add package Qlib.Tracked", packages.ReadEntry(Runtime, "README.md"), StringComparison.Ordinal);
        Assert.Contains("net10.0", Value("description"), StringComparison.Ordinal);
        Assert.StartsWith(packages.Version + " ", Value("releaseNotes"), StringComparison.Ordinal);
        var repository = metadata.Elements().Single(e => e.Name.LocalName == "repository");
        Assert.Equal("git", (string?)repository.Attribute("type"));
        Assert.Matches("^[0-9a-f]{40}$", (string?)repository.Attribute("commit") ?? "");
    }

    [Fact]
    public void SymbolsPackage_HoldsTheRuntimesPdb()
    {
        Assert.Contains("lib/net10.0/Qlib.Tracked.pdb", packages.Entries(Runtime, "snupkg"));
    }

    [Fact]
    public void ToolPackage_IsADotnetToolNamedQtrack_WithTheSameVersion()
    {
        var metadata = packages.Metadata(Tool);
        Assert.Equal(packages.Version, metadata.Elements().Single(e => e.Name.LocalName == "version").Value);
        Assert.Equal("DotnetTool", (string?)metadata.Descendants().Single(e => e.Name.LocalName == "packageType").Attribute("name"));
        var entries = packages.Entries(Tool);
        Assert.Contains("tools/net10.0/any/qtrack.dll", entries);
        Assert.Contains("tools/net10.0/any/Qlib.Tracked.dll", entries);
        Assert.Contains("README.md", entries);
        var settings = XDocument.Parse(packages.ReadEntry(Tool, "tools/net10.0/any/DotnetToolSettings.xml"));
        var command = settings.Descendants("Command").Single();
        Assert.Equal(("qtrack", "qtrack.dll"), ((string?)command.Attribute("Name"), (string?)command.Attribute("EntryPoint")));
    }

    [Fact]
    public void ToolPackage_QtrackVersion_PrintsThePackageVersion()
    {
        var tool = Path.Combine(packages.Extract(Tool), "tools", "net10.0", "any", "qtrack.dll");
        var (exitCode, output) = PackedPackages.Run("dotnet", [tool, "--version"]);
        Assert.Equal(0, exitCode);
        Assert.Equal(packages.Version, output.Trim());
    }
}
