using System.Text.Json;
using Qlib.Tracked.Tool;

namespace Qlib.Tracked.Cli.Tests;

/// <summary>What one in-process <c>qtrack</c> call printed and returned.</summary>
public sealed record CliResult(int ExitCode, string Out, string Error)
{
    /// <summary>Stdout parsed as JSON (the test fails with the output shown when it is not JSON).</summary>
    public JsonDocument Json()
    {
        Assert.True(ExitCode == 0, $"qtrack exited {ExitCode}: {Error}");
        return JsonDocument.Parse(Out);
    }

    /// <summary>The run names of a <c>runs --format json</c> array, in output order.</summary>
    public string[] RunNames()
    {
        using var json = Json();
        return json.RootElement.EnumerateArray().Select(r => r.GetProperty("run_name").GetString()!).ToArray();
    }
}

/// <summary>Runs the real command line in-process with captured writers and a chosen environment.</summary>
public static class CliRunner
{
    public static CliResult Run(params string[] args) => RunWithEnvironment(_ => null, args);

    public static CliResult RunWithEnvironment(Func<string, string?> environment, params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var code = Qlib.Tracked.Tool.Cli.Run(args, stdout, stderr, environment);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }
}
