using System.Diagnostics;
using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Xml.Linq;

namespace Qlib.Tracked.Package.Tests;

/// <summary>
/// Runs <c>dotnet pack --no-build</c> once for src/Runtime (Qlib.Tracked) and src/Cli (Qlib.Tracked.Cli) into a temp
/// folder, with the configuration this test assembly was built with (the packed projects were built with it too).
/// </summary>
public sealed class PackedPackages : IDisposable
{
    public PackedPackages()
    {
        // bin/<Configuration>/net10.0/
        Configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        Feed = _feed.Path;
        Version = ReadProperty(Path.Combine(RepoRoot, "Directory.Build.props"), "Version");
        try
        {
            // The two packs share nothing they write, so they run side by side.
            var packs = new[] { Path.Combine(RepoRoot, "src", "Runtime", "Qlib.Tracked.csproj"), Path.Combine(RepoRoot, "src", "Cli", "Qlib.Tracked.Cli.csproj") }
                .Select(project => Task.Run(() => Pack(project))).ToArray();
            PackOutput = string.Concat(packs.Select(p => p.GetAwaiter().GetResult()));
        }
        catch
        {
            // xunit never disposes a fixture whose constructor threw.
            _feed.Dispose();
            throw;
        }
    }

    public static string RepoRoot { get; } = FindRepoRoot();

    public string Configuration { get; }

    /// <summary>The folder the packages were packed into (a local feed).</summary>
    public string Feed { get; }

    private readonly TempDirectory _feed = new("feed");

    /// <summary>The version Directory.Build.props sets: the one place it is written.</summary>
    public string Version { get; }

    public string PackOutput { get; }

    public string PackagePath(string id, string extension = "nupkg") => Path.Combine(Feed, $"{id}.{Version}.{extension}");

    /// <summary>Every entry's path in the package, with '/' separators.</summary>
    public string[] Entries(string id, string extension = "nupkg")
    {
        using var zip = ZipFile.OpenRead(PackagePath(id, extension));
        return zip.Entries.Select(e => e.FullName).ToArray();
    }

    public string ReadEntry(string id, string entry, string extension = "nupkg")
    {
        using var zip = ZipFile.OpenRead(PackagePath(id, extension));
        var found = zip.GetEntry(entry) ?? throw new FileNotFoundException($"{entry} is not in {PackagePath(id, extension)}");
        using var reader = new StreamReader(found.Open());
        return reader.ReadToEnd();
    }

    /// <summary>The nuspec's metadata element (namespace stripped from the names used by the tests).</summary>
    public XElement Metadata(string id)
    {
        var nuspec = XDocument.Parse(ReadEntry(id, id + ".nuspec"));
        return nuspec.Root!.Elements().Single(e => e.Name.LocalName == "metadata");
    }

    /// <summary>Extracts <paramref name="id"/>'s package to a folder of its own under the feed.</summary>
    public string Extract(string id)
    {
        var folder = Path.Combine(Feed, "extracted", id);
        if (!Directory.Exists(folder)) ZipFile.ExtractToDirectory(PackagePath(id), folder);
        return folder;
    }

    /// <summary>A property of an MSBuild file of ours (Directory.Build.props), as written there.</summary>
    public static string ReadProperty(string file, string name) =>
        XDocument.Load(file).Descendants(name).Single().Value.Trim();

    /// <summary>Directory.Packages.props' versions by package id: the versions the solution builds and tests with.</summary>
    public static IReadOnlyDictionary<string, string> CentralPackageVersions() =>
        XDocument.Load(Path.Combine(RepoRoot, "Directory.Packages.props")).Descendants("PackageVersion")
            .ToDictionary(p => (string)p.Attribute("Include")!, p => (string)p.Attribute("Version")!);

    public void Dispose() => _feed.Dispose();

    private string Pack(string project)
    {
        var (exitCode, output) = Run("dotnet", ["pack", project, "-c", Configuration, "--no-build", "-o", Feed, "--nologo", "-nodeReuse:false", "--tl:off", "-v:m"]);
        if (exitCode != 0) throw new InvalidOperationException($"dotnet pack {project} exited {exitCode}:\n{output}");
        return output;
    }

    public static (int ExitCode, string Output) Run(string fileName, IEnumerable<string> arguments, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(fileName, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish in 2 minutes");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    private static string FindRepoRoot([CallerFilePath] string path = "") => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "..", "..", ".."));
}
