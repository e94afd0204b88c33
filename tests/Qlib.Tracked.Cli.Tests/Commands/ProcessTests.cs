using System.Diagnostics;
using System.Text.Json;

namespace Qlib.Tracked.Cli.Tests;

/// <summary>The built <c>qtrack</c> started as a real process: arguments, stdout/stderr and exit codes through the OS.</summary>
public sealed class ProcessTests : IDisposable
{
    private readonly TempStore _store = new(copyFixture: true);

    public void Dispose() => _store.Dispose();

    /// <summary>qtrack.dll is copied next to the tests by the project reference; run it with the same dotnet host.</summary>
    private static (int Code, string Out, string Error) Start(params string[] args) => StartIn(null, args);

    private static (int Code, string Out, string Error) StartIn(string? workingDirectory, params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "qtrack.dll");
        Assert.True(File.Exists(dll), $"qtrack.dll not found at {dll}");
        var start = new ProcessStartInfo(Environment.ProcessPath ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        start.ArgumentList.Add(dll);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment.Remove("QLIB_MLFLOW_URI");
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout, stderr.Result);
    }

    [Fact]
    public void RealProcess_PrintsJsonRuns_AndExits2OnAnInvalidFilter()
    {
        var (code, stdout, stderr) = Start("runs", "--store", _store.Store, "--format", "json", "--filter", "metrics.loss < 0.5", "--order-by", "metrics.loss DESC");
        Assert.True(code == 0, stderr);
        using (var json = JsonDocument.Parse(stdout))
            Assert.Equal(["beta-plain", "alpha-xgb", "alpha-child", "alpha-lgb"], json.RootElement.EnumerateArray().Select(r => r.GetProperty("run_name").GetString()));

        var bad = Start("runs", "--store", _store.Store, "--filter", "metrics.loss < '0.5'");
        Assert.Equal(2, bad.Code);
        Assert.Equal("", bad.Out);
        Assert.Contains("Expected numeric value type for metric", bad.Error);
    }

    [Fact]
    public void WithoutStore_ItReadsMlrunsInTheWorkingDirectory()
    {
        var (code, stdout, stderr) = StartIn(_store.Root, "experiments", "--format", "json");
        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        Assert.Contains("qlib_ref_alpha", json.RootElement.EnumerateArray().Select(e => e.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task GetToStdout_WritesTheArtifactsExactBytes_EvenWhenBinary()
    {
        var artifact = Path.Combine(_store.Store, "589343488860478676", "3af354434ab049d89ce7956da1f77d1f", "artifacts", "pred.pkl");
        var start = new ProcessStartInfo(Environment.ProcessPath ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "qtrack.dll"), "get", "3af354434ab049d89ce7956da1f77d1f", "pred.pkl", "--out", "-", "--store", _store.Store })
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        using var bytes = new MemoryStream();
        await process.StandardOutput.BaseStream.CopyToAsync(bytes);
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, await stderr);
        Assert.Equal(File.ReadAllBytes(artifact), bytes.ToArray());
        Assert.Contains(File.ReadAllBytes(artifact), b => b >= 0x80); // the fixture's pickle is binary: no text round-trip
    }
}
