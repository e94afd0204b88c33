namespace Qlib.Tracked.Cli.Tests;

/// <summary>A damaged run in the store is reported and skipped; the listing still works.</summary>
public sealed class CorruptStoreTests : IDisposable
{
    private readonly TempStore _store = new(copyFixture: true);

    public void Dispose() => _store.Dispose();

    [Fact]
    public void ACorruptRunMeta_IsAWarningOnStderr_AndTheOtherRunsAreListed()
    {
        var meta = Directory.EnumerateFiles(_store.Store, "meta.yaml", SearchOption.AllDirectories)
            .Single(f => File.ReadAllText(f).Contains("run_name: alpha-xgb", StringComparison.Ordinal));
        File.WriteAllText(meta, "run_id: [unclosed\n\u0001garbage");

        var result = CliRunner.Run("runs", "--store", _store.Store, "--format", "json");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["beta-plain", "beta-edge", "alpha-child", "alpha-running", "alpha-failed", "alpha-lgb", "default-run"], result.RunNames());
        Assert.Contains("warning: skipped", result.Error);
        Assert.Contains("meta.yaml", result.Error);
    }

    [Fact]
    public void AMetricKeyThatIsAFolder_IsAUsageError_NamingRunKeyAndTheMetricsInside()
    {
        // beta-edge logged train/loss, so its metrics folder holds a folder "train": not a metric itself (the store
        // used to try to open it as one, which failed as "access denied").
        var result = CliRunner.Run("compare", "--store", _store.Store, "3bab12b3a14e438eaaf1f50dcdf1905f", "0e852551e13f4da78524f547a2490b8f", "--history", "train");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Out);
        Assert.Contains("Metric 'train' of run '3bab12b3a14e438eaaf1f50dcdf1905f' is a folder", result.Error);
        Assert.Contains("such as train/loss", result.Error);
    }
}

/// <summary>
/// The cases through the command line: a start_time that is not a number and an unknown status are warnings
/// naming the file, the field and the rule, and the run is left out — not listed as started in 1970, or as RUNNING.
/// </summary>
public sealed class UnreadableMetaFieldTests : IDisposable
{
    private readonly TempStore _store = new(copyFixture: true);

    public void Dispose() => _store.Dispose();

    [Theory]
    [InlineData("start_time", "start_time: yesterday", "not a time")]
    [InlineData("status", "status: 17", "not a run status")]
    public void TheRunIsLeftOutWithAWarning_NeverListedWithAMadeUpValue(string field, string line, string rule)
    {
        var meta = Directory.EnumerateFiles(_store.Store, "meta.yaml", SearchOption.AllDirectories)
            .Single(f => File.ReadAllText(f).Contains("run_name: alpha-lgb", StringComparison.Ordinal));
        File.WriteAllLines(meta, File.ReadAllLines(meta).Select(l => l.StartsWith(field + ":", StringComparison.Ordinal) ? line : l));
        var runId = Path.GetFileName(Path.GetDirectoryName(meta))!;

        var table = CliRunner.Run("runs", "--store", _store.Store);
        var json = CliRunner.Run("runs", "--store", _store.Store, "--format", "json");
        var show = CliRunner.Run("show", "--store", _store.Store, runId);

        Assert.Equal(0, table.ExitCode);
        Assert.DoesNotContain("alpha-lgb", table.Out);
        Assert.DoesNotContain("1970", table.Out);
        Assert.DoesNotContain("alpha-lgb", json.RunNames());
        Assert.Contains($"{runId}/meta.yaml", table.Error);
        Assert.Contains(field, table.Error);
        Assert.Contains(rule, table.Error);
        Assert.Equal(1, show.ExitCode);
        Assert.Contains(field, show.Error);
        Assert.DoesNotContain("   at ", show.Error);
    }
}
