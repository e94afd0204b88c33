namespace Qlib.Tracked.Cli.Tests;

/// <summary>
/// Every qtrack option given a malformed or out-of-range value: exit code 2, a message naming the option (or the
/// store URI) and no stack trace. Runs against a real copy of the MLflow fixture store, so a value that slipped
/// through parsing would reach the store and show there.
/// </summary>
public sealed class OptionValueTests : IDisposable
{
    private const string Run = "0e852551e13f4da78524f547a2490b8f";
    private const string OtherRun = "3bab12b3a14e438eaaf1f50dcdf1905f";
    private readonly TempStore _store = new(copyFixture: true);

    public void Dispose() => _store.Dispose();

    /// <summary>(what the message must name, the arguments after <c>--store STORE</c>).</summary>
    public static TheoryData<string, string[]> MalformedValues => new()
    {
        { "--older-than", ["gc", "--older-than", "99999999999999d"] },
        { "--older-than", ["gc", "--older-than", "99999999999999999999999999h"] },
        { "--older-than", ["gc", "--older-than", "10675199d1d"] },
        { "--older-than", ["gc", "--older-than", "30"] },
        { "--older-than", ["gc", "--older-than", "-1d"] },
        { "--older-than", ["gc", "--older-than", ""] },
        { "--older-than", ["gc", "--older-than", "1w"] },
        { "--stale-after", ["gc", "--stale-after", "99999999999999999999d", "--dry-run"] },
        { "--stale-after", ["gc", "--stale-after", "1.5h"] },
        { "--max", ["runs", "--max", "0"] },
        { "--max", ["runs", "--max", "-1"] },
        { "--max", ["runs", "--max", "3000000000"] },
        { "--max", ["runs", "--max", "ten"] },
        { "--max", ["export", "--out", "x.parquet", "--max", "-5"] },
        { "--max", ["export", "--out", "x.parquet", "--max", "1e3"] },
        { "--out", ["export", "--out", ""] },
        { "--out", ["export", "--out", "   "] },
        { "--out", ["get", Run, "x", "--out", ""] },
        { "--experiment", ["runs", "--experiment", ""] },
        { "--experiment", ["export", "--out", "x.csv", "-e", " "] },
        { "--view", ["runs", "--view", "trash"] },
        { "--view", ["experiments", "--view", ""] },
        { "--format", ["runs", "--format", "xml"] },
        { "--format", ["metrics", Run, "loss", "--format", "csv"] },
        { "--format", ["export", "--out", "x", "--format", "json"] },
        { "--method", ["compare", Run, OtherRun, "--method", "kendall"] },
        { "--columns", ["runs", "--columns", "bogus"] },
        { "--columns", ["runs", "--columns", "params."] },
        { "filter", ["runs", "--filter", "((("] },
        { "filter", ["runs", "--filter", "metrics.x > 'a"] },
        { "order_by", ["runs", "--order-by", "metrics.x sideways"] },
        { "order_by", ["export", "--out", "x.parquet", "--order-by", "nonsense key here"] },
        { "--port", ["ui", "--port", "70000"] },
        { "--port", ["ui", "--port", "-1"] },
        { "--port", ["ui", "--port", "http"] },
        { "--host", ["ui", "--host", "not a host"] },
        { "--host", ["ui", "--host", "example.com"] },
        { "run ID", ["show", "../../etc"] },
        { "run ID", ["show", ""] },
        { "metric name", ["compare", Run, OtherRun, "--history", ""] },
        { "artifact path", ["artifacts", Run, "../.."] },
        { "artifact path", ["get", Run, "/etc/passwd"] },
        { "RUN", ["compare", Run] },
    };

    [Theory]
    [MemberData(nameof(MalformedValues))]
    public void AMalformedValue_IsExitCode2_WithTheOptionNamed_AndNoStackTrace(string named, string[] args)
    {
        var result = CliRunner.Run(["--store", _store.Store, .. args]);

        Assert.True(result.ExitCode == 2, $"exit {result.ExitCode}\nstdout: {result.Out}\nstderr: {result.Error}");
        Assert.Contains(named, result.Error, StringComparison.OrdinalIgnoreCase);
        AssertNoStackTrace(result);
    }

    /// <summary>(what the message must name, the --store value or null for none, the QLIB_MLFLOW_URI value).</summary>
    public static TheoryData<string, string?, string?> MalformedStores => new()
    {
        { "--store", "file:", null },
        { "--store", "file://", null },
        { "--store", "", null },
        { "--store", "file:/tmp/a%00b", null },
        { "--store", "file://remote-host/mlruns", null },
        { "QLIB_MLFLOW_URI", null, "file:" },
    };

    [Theory]
    [MemberData(nameof(MalformedStores))]
    public void AMalformedStoreUri_IsExitCode2_NamingWhereItCameFrom(string named, string? store, string? environment)
    {
        foreach (var command in new[] { "runs", "experiments", "gc", "ui" })
        {
            string[] args = store is null ? [command] : ["--store", store, command];
            var result = CliRunner.RunWithEnvironment(name => name == "QLIB_MLFLOW_URI" ? environment : null, args);

            Assert.True(result.ExitCode == 2, $"{command}: exit {result.ExitCode}\nstderr: {result.Error}");
            Assert.Contains(named, result.Error);
            AssertNoStackTrace(result);
        }
    }

    [Fact]
    public void AStorePathThatIsAFile_OrUnsupportedScheme_IsExitCode1_WithTheReason()
    {
        var file = _store.Combine("not-a-store.txt");
        File.WriteAllText(file, "x");
        foreach (var (location, reason) in new[] { (file, "is a file"), (Path.Combine(file, "below"), "does not exist"), ("s3://bucket/mlruns", "'s3'") })
        {
            foreach (var command in new[] { "runs", "gc", "ui" })
            {
                var result = CliRunner.Run("--store", location, command);

                Assert.True(result.ExitCode == 1, $"{command} {location}: exit {result.ExitCode}\nstderr: {result.Error}");
                Assert.Contains(reason, result.Error);
                AssertNoStackTrace(result);
            }
        }
    }

    [Fact]
    public void ExportToAFolder_IsExitCode2_NamingOut()
    {
        var result = CliRunner.Run("--store", _store.Store, "export", "--out", _store.Root);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--out", result.Error);
        Assert.Contains("folder", result.Error);
    }

    [Fact]
    public void ExportOverAPipe_IsRefused_AndThePipeStaysAPipe()
    {
        if (!OperatingSystem.IsLinux()) return;
        // A FIFO stands in for /dev/full: the atomic rename used to put a Parquet file in the device's place.
        var fifo = _store.Combine("pipe");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", fifo)) mkfifo.WaitForExit();

        var result = CliRunner.Run("--store", _store.Store, "export", "--out", fifo);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("is a pipe, socket or device, not a file", result.Error);
        Assert.DoesNotContain("   at ", result.Error);
        using (var isFifo = System.Diagnostics.Process.Start("test", ["-p", fifo]))
        {
            isFifo.WaitForExit();
            Assert.True(isFifo.ExitCode == 0, "the pipe was replaced");
        }
        Assert.Empty(Directory.GetFiles(_store.Root, ".*.tmp"));
    }

    [Fact]
    public void TheLongestDuration_IsAccepted_AndRemovesNothingNewer()
    {
        var result = CliRunner.Run("--store", _store.Store, "gc", "--older-than", "10675199d", "--stale-after", "10675199d", "--dry-run");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("0 run(s) and 0 experiment(s) would be removed", result.Out);
    }

    private static void AssertNoStackTrace(CliResult result)
    {
        Assert.DoesNotContain("   at ", result.Error);
        Assert.DoesNotContain("   at ", result.Out);
        Assert.DoesNotContain("unexpected failure", result.Error);
        Assert.DoesNotContain("Exception", result.Error);
    }
}
