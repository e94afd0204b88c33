namespace Qlib.Tracked.Cli.Tests;

/// <summary>
/// <c>qtrack gc</c> removes the temp files atomic writes leave when their process is killed between writing and
/// renaming — once they are old enough that no live writer can own them — and nothing else.
/// </summary>
public sealed class GcTempFileTests : IDisposable
{
    private const string Experiment = "550198978950707776";
    private const string Run = "0e852551e13f4da78524f547a2490b8f";
    private readonly TempStore _store = new(copyFixture: true);

    public void Dispose() => _store.Dispose();

    private string Create(string relative, TimeSpan age, string content = "partial")
    {
        var path = Path.Combine(_store.Store, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow - age);
        return path;
    }

    [Fact]
    public void StaleTempFiles_AreRemovedAndReported_FreshOnesAndLookalikesAreKept()
    {
        var id = Guid.NewGuid().ToString("N");
        var staleRunMeta = Create($"{Experiment}/{Run}/.meta.yaml.{id}.tmp", TimeSpan.FromHours(2));
        var staleExperimentMeta = Create($"{Experiment}/.meta.yaml.{id}.tmp", TimeSpan.FromHours(2));
        var staleIndex = Create($"{Experiment}/..qtrk-run-index.{id}.tmp", TimeSpan.FromDays(3));
        var staleArtifact = Create($"{Experiment}/{Run}/artifacts/sub/.pred.parquet.{id}.tmp", TimeSpan.FromDays(2));
        // The name artifact writes used before they shared the store's temp names: an old process's leftover.
        var staleLegacyArtifact = Create($"{Experiment}/{Run}/artifacts/sub/.qlib-tmp-{id}-pred.parquet", TimeSpan.FromDays(2));
        var trashed = Create($".trash/{Experiment}9/.meta.yaml.{id}.tmp", TimeSpan.FromHours(5));

        var freshMeta = Create($"{Experiment}/{Run}/.meta.yaml.{Guid.NewGuid():N}.tmp", TimeSpan.FromMinutes(5));
        // An artifact writer may hold its temp file for hours: only a day of silence makes it stale.
        var liveArtifact = Create($"{Experiment}/{Run}/artifacts/.model.bin.{Guid.NewGuid():N}.tmp", TimeSpan.FromHours(3));
        var userFile = Create($"{Experiment}/{Run}/artifacts/notes.tmp", TimeSpan.FromDays(30));
        var lookalike = Create($"{Experiment}/{Run}/artifacts/.meta.yaml.not-a-writer-id.tmp", TimeSpan.FromDays(30));

        var dry = CliRunner.Run("--store", _store.Store, "gc", "--dry-run");
        Assert.True(dry.ExitCode == 0, dry.Error);
        Assert.Contains($"would remove stale temp file {Experiment}/{Run}/.meta.yaml.{id}.tmp", dry.Out);
        Assert.True(File.Exists(staleRunMeta), "a dry run removes nothing");

        var result = CliRunner.Run("--store", _store.Store, "gc");

        Assert.True(result.ExitCode == 0, result.Error);
        foreach (var removed in new[] { staleRunMeta, staleExperimentMeta, staleIndex, staleArtifact, staleLegacyArtifact, trashed })
        {
            Assert.False(File.Exists(removed), removed);
            Assert.Contains("removed stale temp file " + Path.GetRelativePath(_store.Store, removed), result.Out);
        }
        foreach (var kept in new[] { freshMeta, liveArtifact, userFile, lookalike }) Assert.True(File.Exists(kept), kept);
    }

    [Fact]
    public void ASymlinkedFolder_IsNotFollowed()
    {
        using var outside = new TempStore(copyFixture: false);
        Directory.CreateDirectory(outside.Root);
        var victim = Path.Combine(outside.Root, $".precious.{Guid.NewGuid():N}.tmp");
        File.WriteAllText(victim, "not the store's");
        File.SetLastWriteTimeUtc(victim, DateTime.UtcNow - TimeSpan.FromDays(10));
        Directory.CreateDirectory(Path.Combine(_store.Store, Experiment, Run, "artifacts"));
        Directory.CreateSymbolicLink(Path.Combine(_store.Store, Experiment, Run, "artifacts", "link"), outside.Root);

        var result = CliRunner.Run("--store", _store.Store, "gc");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.True(File.Exists(victim));
    }
}
