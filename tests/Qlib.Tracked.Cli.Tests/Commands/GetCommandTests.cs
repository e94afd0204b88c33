namespace Qlib.Tracked.Cli.Tests;

/// <summary><c>qtrack get</c>: copying artifact files and folders out of the fixture's run.</summary>
public sealed class GetCommandTests : IDisposable
{
    private const string Run = "3af354434ab049d89ce7956da1f77d1f";

    private readonly TempStore _store = new(copyFixture: true);

    public GetCommandTests() => Directory.CreateDirectory(_store.Combine("out"));

    public void Dispose() => _store.Dispose();

    private string ArtifactFile(params string[] parts) =>
        Path.Combine([_store.Store, "589343488860478676", Run, "artifacts", .. parts]);

    private CliResult Get(params string[] args) => CliRunner.Run(["get", Run, .. args, "--store", _store.Store]);

    [Fact]
    public void AFile_ToStdout_PrintsItsContent()
    {
        var result = Get("notes.txt", "--out", "-");
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(File.ReadAllText(ArtifactFile("notes.txt")), result.Out);
        Assert.StartsWith("hello from the reference run", result.Out);
    }

    [Fact]
    public void AFile_IntoAnExistingFolder_KeepsItsName_AndItsBytes()
    {
        var result = Get("pred.pkl", "--out", _store.Combine("out"));
        Assert.True(result.ExitCode == 0, result.Error);
        var copy = _store.Combine("out", "pred.pkl");
        Assert.Equal(File.ReadAllBytes(ArtifactFile("pred.pkl")), File.ReadAllBytes(copy));
        Assert.Contains($"Copied 'pred.pkl' ({new FileInfo(copy).Length} bytes) to {copy}", result.Out);
        Assert.Equal(["pred.pkl"], Directory.GetFileSystemEntries(_store.Combine("out")).Select(Path.GetFileName));
    }

    [Fact]
    public void AFile_ToANewPath_IsWrittenThere()
    {
        var target = _store.Combine("out", "report.csv");
        var result = Get("portfolio_analysis/report_normal_1day.csv", "--out", target);
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(File.ReadAllBytes(ArtifactFile("portfolio_analysis", "report_normal_1day.csv")), File.ReadAllBytes(target));
    }

    [Fact]
    public void TheRoot_IsCopiedRecursively_UnderTheNameArtifacts()
    {
        var result = Get(".", "--out", _store.Combine("out"));
        Assert.True(result.ExitCode == 0, result.Error);
        var copied = _store.Combine("out", "artifacts");
        string[] expected = ["notes.txt", "portfolio_analysis/report_normal_1day.csv", "pred.pkl"];
        Assert.Equal(expected, Directory.EnumerateFiles(copied, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(copied, f).Replace('\\', '/')).Order(StringComparer.Ordinal));
        foreach (var file in expected)
            Assert.Equal(File.ReadAllBytes(ArtifactFile(file.Split('/'))), File.ReadAllBytes(Path.Combine(copied, file)));
        Assert.Contains("Copied folder '.' (3 file(s)", result.Out);
    }

    [Fact]
    public void AFolder_ToStdout_IsAUsageError()
    {
        var result = Get("portfolio_analysis", "--out", "-");
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Out);
        Assert.Contains("it is a folder", result.Error);
    }

    [Fact]
    public void AnExistingDestination_IsKept_UnlessForced()
    {
        var target = _store.Combine("out", "notes.txt");
        File.WriteAllText(target, "mine");
        var refused = Get("notes.txt", "--out", target);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("already exists (pass --force", refused.Error);
        Assert.Equal("mine", File.ReadAllText(target));

        var forced = Get("notes.txt", "--out", target, "--force");
        Assert.True(forced.ExitCode == 0, forced.Error);
        Assert.Equal(File.ReadAllText(ArtifactFile("notes.txt")), File.ReadAllText(target));
        Assert.Single(Directory.GetFileSystemEntries(_store.Combine("out"))); // no staging folder left behind
    }

    [Theory]
    [InlineData("../meta.yaml")]
    [InlineData("../../../589343488860478676/meta.yaml")]
    [InlineData("/etc/passwd")]
    public void PathsLeavingTheRoot_AreRefused_AndNothingIsWritten(string path)
    {
        var result = Get(path, "--out", _store.Combine("out"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"Invalid artifact path '{path}'", result.Error);
        Assert.Empty(Directory.GetFileSystemEntries(_store.Combine("out")));
    }

    [Fact]
    public void AFolderHoldingAnEscapingSymlink_IsRefused_WithoutAPartialCopy()
    {
        var outside = _store.Combine("outside.txt");
        File.WriteAllText(outside, "secret");
        File.CreateSymbolicLink(ArtifactFile("portfolio_analysis", "zz_link.txt"), outside);

        var result = Get("portfolio_analysis", "--out", _store.Combine("out"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("outside the artifact root", result.Error);
        Assert.Empty(Directory.GetFileSystemEntries(_store.Combine("out")));

        var direct = Get("portfolio_analysis/zz_link.txt", "--out", "-");
        Assert.Equal(2, direct.ExitCode);
        Assert.DoesNotContain("secret", direct.Out);
    }

    [Fact]
    public void AMissingArtifact_Exits1()
    {
        var result = Get("nope.txt", "--out", "-");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Artifact 'nope.txt' does not exist", result.Error);
    }
}
