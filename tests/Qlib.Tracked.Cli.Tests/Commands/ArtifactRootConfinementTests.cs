using Qlib.Tracked.TestCorpus;

namespace Qlib.Tracked.Cli.Tests;

/// <summary>
/// <c>qtrack artifacts</c>, <c>get</c> and <c>show</c> over the crafted runs of <see cref="EscapingArtifactStore"/>:
/// none prints or copies the secret; the error names the run and its location and exits 1 (a store problem, not a
/// wrong command line); <c>--artifact-root</c> allows exactly the folder it names.
/// </summary>
public sealed class ArtifactRootConfinementTests : IDisposable
{
    private readonly EscapingArtifactStore _corpus = new();

    public void Dispose() => _corpus.Dispose();

    [Fact]
    public void ArtifactsAndGet_RefuseEveryEscapingRun_WithATypedErrorAndNoSecret()
    {
        var outFolder = Path.Combine(_corpus.Folder, "copies");
        Directory.CreateDirectory(outFolder);
        foreach (var (escape, runId) in _corpus.EscapingRuns)
        {
            foreach (var args in new[]
            {
                new[] { "artifacts", runId, "-r" },
                ["artifacts", runId, "--format", "json"],
                ["get", runId, EscapingArtifactStore.SecretName, "--out", "-"],
                ["get", runId, EscapingArtifactStore.SecretName, "--out", outFolder],
                ["get", runId, ".", "--out", Path.Combine(outFolder, "all")],
            })
            {
                var result = CliRunner.Run([.. args, "--store", _corpus.Root]);
                var what = $"{escape}: qtrack {string.Join(' ', args)}";
                Assert.True(result.ExitCode == 1, $"{what} exited {result.ExitCode}: {result.Error}");
                Assert.StartsWith("error: PERMISSION_DENIED: ", result.Error);
                Assert.Contains($"Run '{runId}'", result.Error);
                Assert.DoesNotContain(EscapingArtifactStore.Secret, result.Out + result.Error);
                Assert.DoesNotContain("   at ", result.Error);
            }
        }
        Assert.Empty(Directory.GetFileSystemEntries(outFolder));
    }

    [Fact]
    public void Show_StillShowsTheRun_ButNotTheArtifacts_AndWarns()
    {
        var runId = _corpus.EscapingRuns["artifacts folder is a symlink"];
        var text = CliRunner.Run("show", runId, "--store", _corpus.Root);
        Assert.True(text.ExitCode == 0, text.Error);
        Assert.Contains("run_id", text.Out);
        Assert.Contains("artifacts (not listed", text.Out);
        Assert.DoesNotContain(EscapingArtifactStore.SecretName, text.Out);
        Assert.StartsWith("warning: artifacts not listed: Run '" + runId + "'", text.Error);

        using var json = CliRunner.Run("show", runId, "--format", "json", "--store", _corpus.Root).Json();
        Assert.Equal(System.Text.Json.JsonValueKind.Null, json.RootElement.GetProperty("artifacts").ValueKind);
    }

    [Fact]
    public void ArtifactRootOption_AllowsTheConfiguredFolder_AndNothingElse()
    {
        var allowed = CliRunner.Run("get", _corpus.ExternalRunId, "model.txt", "--out", "-", "--store", _corpus.Root, "--artifact-root", _corpus.ExternalLocation);
        Assert.True(allowed.ExitCode == 0, allowed.Error);
        Assert.Equal("external model", allowed.Out);

        var other = CliRunner.Run("get", _corpus.EscapingRuns["file:// URI outside"], EscapingArtifactStore.SecretName, "--out", "-",
            "--store", _corpus.Root, "--artifact-root", _corpus.ExternalLocation);
        Assert.Equal(1, other.ExitCode);
        Assert.DoesNotContain(EscapingArtifactStore.Secret, other.Out);

        var inside = CliRunner.Run("get", _corpus.InsideRunId, "inside.txt", "--out", "-", "--store", _corpus.Root);
        Assert.True(inside.ExitCode == 0, inside.Error);
        Assert.Equal("fine", inside.Out);
    }

    [Fact]
    public void Compare_WithAnEscapingRun_ComparesTheRest_AndWarnsAboutItsPredictions()
    {
        var runId = _corpus.EscapingRuns["file:// URI outside"];
        var result = CliRunner.Run("compare", _corpus.InsideRunId, runId, "--store", _corpus.Root);
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("prediction correlation: not every run has pred.parquet", result.Out);
        Assert.StartsWith($"warning: predictions not read: Run '{runId}'", result.Error);
    }
}
