using System.Text.Json;

namespace Qlib.Tracked.Cli.Tests;

/// <summary><c>qtrack artifacts</c> on the MLflow-written fixture (copied, since a test plants symlinks).</summary>
public sealed class ArtifactsCommandTests : IDisposable
{
    /// <summary>The fixture run that logged artifacts: notes.txt, pred.pkl and portfolio_analysis/report_normal_1day.csv.</summary>
    private const string Run = "3af354434ab049d89ce7956da1f77d1f";
    private const string RunWithout = "c8dc3515aecb4d66843b16ad22901e0a";

    private readonly TempStore _store = new(copyFixture: true);

    public void Dispose() => _store.Dispose();

    private string ArtifactFile(params string[] parts) =>
        Path.Combine([_store.Store, "589343488860478676", Run, "artifacts", .. parts]);

    private long Size(params string[] parts) => new FileInfo(ArtifactFile(parts)).Length;

    [Fact]
    public void Table_ListsOneLevel_WithTypesAndTheFilesSizes()
    {
        var result = CliRunner.Run("artifacts", Run, "--store", _store.Store);
        Assert.True(result.ExitCode == 0, result.Error);
        var lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["path", "type", "size"], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["notes.txt", "file", Size("notes.txt").ToString()], lines[2].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["portfolio_analysis/", "dir"], lines[3].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["pred.pkl", "file", Size("pred.pkl").ToString()], lines[4].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("2 file(s), 1 folder(s)", lines[5]);
        Assert.Equal(6, lines.Length);
    }

    [Fact]
    public void Json_Recursive_ListsTheWholeTree_FoldersBeforeTheirContent()
    {
        using var json = CliRunner.Run("artifacts", Run, "-r", "--format", "json", "--store", _store.Store).Json();
        var entries = json.RootElement.EnumerateArray()
            .Select(e => (e.GetProperty("path").GetString(), e.GetProperty("is_dir").GetBoolean(),
                e.GetProperty("file_size").ValueKind == JsonValueKind.Null ? (long?)null : e.GetProperty("file_size").GetInt64()))
            .ToArray();
        Assert.Equal(
            [
                ("notes.txt", false, Size("notes.txt")),
                ("portfolio_analysis", true, null),
                ("portfolio_analysis/report_normal_1day.csv", false, Size("portfolio_analysis", "report_normal_1day.csv")),
                ("pred.pkl", false, Size("pred.pkl")),
            ],
            entries);
    }

    [Fact]
    public void Csv_HasAHeader_AndOneRowPerEntry()
    {
        var result = CliRunner.Run("artifacts", Run, "portfolio_analysis", "--format", "csv", "--store", _store.Store);
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal($"path,is_dir,file_size\nportfolio_analysis/report_normal_1day.csv,false,{Size("portfolio_analysis", "report_normal_1day.csv")}\n", result.Out);
    }

    [Fact]
    public void APathNamingAFile_ListsThatFile_UnderItsCanonicalPath()
    {
        using var json = CliRunner.Run("artifacts", Run, "./portfolio_analysis/../pred.pkl", "--format", "json", "--store", _store.Store).Json();
        var only = Assert.Single(json.RootElement.EnumerateArray());
        Assert.Equal("pred.pkl", only.GetProperty("path").GetString());
        Assert.Equal(Size("pred.pkl"), only.GetProperty("file_size").GetInt64());
    }

    [Fact]
    public void ARunWithoutArtifacts_ListsNothing_AndCreatesNoFolder()
    {
        var result = CliRunner.Run("artifacts", RunWithout, "--format", "json", "--store", _store.Store);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("[]", result.Out.Trim());
        Assert.False(Directory.Exists(Path.Combine(_store.Store, "589343488860478676", RunWithout, "artifacts")));
    }

    [Fact]
    public void AMissingPath_Exits1_AndAnUnknownRun_Exits1()
    {
        var missing = CliRunner.Run("artifacts", Run, "no_such_folder", "--store", _store.Store);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("Artifact 'no_such_folder' does not exist", missing.Error);

        var unknown = CliRunner.Run("artifacts", "0123456789abcdef0123456789abcdef", "--store", _store.Store);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("not found", unknown.Error);
    }

    [Theory]
    [InlineData("../../meta.yaml", "must not leave the artifact root")]
    [InlineData("portfolio_analysis/../../..", "must not leave the artifact root")]
    [InlineData("/etc", "must be relative to the artifact root")]
    public void PathsLeavingTheRoot_AreUsageErrors(string path, string rule)
    {
        var result = CliRunner.Run("artifacts", Run, path, "--store", _store.Store);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Out);
        Assert.Contains($"Invalid artifact path '{path}'", result.Error);
        Assert.Contains(rule, result.Error);
    }

    [Fact]
    public void ASymlinkLeadingOutOfTheRoot_IsNotListed_AndCannotBeFollowed()
    {
        var outside = _store.Combine("outside");
        Directory.CreateDirectory(outside);
        File.WriteAllText(Path.Combine(outside, "secret.txt"), "secret");
        Directory.CreateSymbolicLink(ArtifactFile("leak"), outside);

        using (var json = CliRunner.Run("artifacts", Run, "--format", "json", "--store", _store.Store).Json())
            Assert.DoesNotContain("leak", json.RootElement.EnumerateArray().Select(e => e.GetProperty("path").GetString()));

        var followed = CliRunner.Run("artifacts", Run, "leak", "--store", _store.Store);
        Assert.Equal(2, followed.ExitCode);
        Assert.Contains("passes through symlink", followed.Error);
        Assert.DoesNotContain("secret.txt", followed.Out);
    }
}
