namespace Qlib.Tracked.Cli.Tests;

public sealed class UsageTests
{
    [Fact]
    public void Help_GoesToStdout_AndListsTheCommands()
    {
        var result = CliRunner.Run("--help");
        Assert.Equal(0, result.ExitCode);
        foreach (var command in new[] { "experiments", "runs", "show", "metrics", "compare", "export" })
            Assert.Contains(command, result.Out);
        Assert.Equal("", result.Error);
    }

    [Fact]
    public void NoCommand_OrAnUnknownOne_IsAUsageError()
    {
        Assert.Equal(2, CliRunner.Run().ExitCode);
        var unknown = CliRunner.Run("frobnicate");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("frobnicate", unknown.Error);
        Assert.Contains("qtrack --help", unknown.Error);
    }
}
