using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace Qlib.Tracked.Analyzers.Tests;

/// <summary>Builds <c>tests/Misspelled</c> once with a real <c>dotnet build</c> and keeps its output.</summary>
public sealed class MisspelledBuildFixture
{
    public MisspelledBuildFixture()
    {
        var project = Path.Combine(RepoRoot(), "tests", "Misspelled", "Misspelled.csproj");
        // bin/<Configuration>/net10.0/: build the sample with the configuration the analyzers were built with, and
        // without rebuilding the referenced projects (they are already built, and other test projects may be running).
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var start = new ProcessStartInfo("dotnet", ["build", project, "-c", configuration, "--nologo", "-p:BuildProjectReferences=false", "-nodeReuse:false", "--tl:off", "-v:m"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        Output = stdout.Result + stderr.Result;
        ExitCode = process.ExitCode;
    }

    public string Output { get; }

    public int ExitCode { get; }

    private static string RepoRoot([CallerFilePath] string path = "") => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "..", "..", ".."));
}

public class MisspelledSampleBuildTests(MisspelledBuildFixture build) : IClassFixture<MisspelledBuildFixture>
{
    [Theory]
    [InlineData("QTRK901", "warning", "Misspelled.cs(24,", "did you mean 'IC'?")]
    [InlineData("QTRK902", "warning", "Misspelled.cs(25,", "did you mean 'learning_rate'?")]
    [InlineData("QTRK903", "warning", "Misspelled.cs(26,", "did you mean 'hostname'?")]
    [InlineData("QTRK904", "warning", "Misspelled.cs(27,", "did you mean 'pred.parquet'?")]
    [InlineData("QTRK905", "error", "Misspelled.cs(28,", "'bad!name'")]
    [InlineData("QTRK906", "error", "Misspelled.cs(29,", "declared as 'PredictionFrame'")]
    [InlineData("QTRK910", "error", "Misspelled.cs(30,", "needs a comparator")]
    [InlineData("QTRK911", "error", "Misspelled.cs(31,", "'OR'")]
    [InlineData("QTRK912", "error", "Misspelled.cs(32,", "quoted string value")]
    [InlineData("QTRK913", "error", "Misspelled.cs(33,", "numeric value")]
    [InlineData("QTRK914", "error", "Misspelled.cs(34,", "run_id")]
    [InlineData("QTRK915", "error", "Misspelled.cs(35,", "lifecycle_stage")]
    [InlineData("QTRK916", "warning", "Misspelled.cs(36,", "did you mean 'learning_rate'?")]
    [InlineData("QTRK917", "error", "Misspelled.cs(37,", "Invalid comparator '>'")]
    [InlineData("QTRK918", "error", "Misspelled.cs(38,", "DOWN")]
    public void DotnetBuild_ReportsEachUsageDiagnostic(string id, string severity, string where, string text)
    {
        var lines = build.Output.Split('\n').Where(l => l.Contains($"{severity} {id}:", StringComparison.Ordinal)).ToList();
        Assert.True(lines.Any(l => l.Contains(where, StringComparison.Ordinal) && l.Contains(text, StringComparison.Ordinal)),
            $"No '{severity} {id}' at {where} containing \"{text}\". Build output:\n{build.Output}");
    }

    [Fact]
    public void DotnetBuild_FailsOnlyBecauseOfTheUsageErrors()
    {
        Assert.NotEqual(0, build.ExitCode);
        var ids = Regex.Matches(build.Output, @"(error|warning) (?<id>[A-Z]+\d+):").Select(m => m.Groups["id"].Value).Distinct().Order().ToList();
        Assert.All(ids, id => Assert.StartsWith("QTRK9", id));
    }
}
