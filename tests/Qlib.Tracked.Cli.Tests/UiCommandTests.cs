using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Qlib.Tracked.Cli.Tests;

/// <summary><c>qtrack ui</c> as a real process: it serves the store's API on loopback, and Ctrl+C (SIGINT) stops it cleanly.</summary>
public sealed partial class UiCommandTests : IDisposable
{
    private readonly TempStore _store = new(copyFixture: true);

    public void Dispose() => _store.Dispose();

    [GeneratedRegex(@"at (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ServingUrl();

    [Fact]
    public async Task Ui_ServesTheStoreOnLoopback_ReadOnly_AndStopsOnSigint()
    {
        var start = new ProcessStartInfo(Environment.ProcessPath ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "qtrack.dll"), "ui", "--store", _store.Store, "--port", "0" })
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(2));
            Assert.True(line is not null, "qtrack ui printed nothing; stderr: " + (process.HasExited ? await stderr : ""));
            // The first line says where it serves (the host's own start-up lines are silenced).
            var url = ServingUrl().Match(line!);
            Assert.True(url.Success, line);
            Assert.Contains("read-only", line);

            using var http = new HttpClient { BaseAddress = new Uri(url.Groups[1].Value) };
            using var experiments = JsonDocument.Parse(await http.GetStringAsync("/api/experiments"));
            Assert.Contains("qlib_ref_alpha", experiments.RootElement.ToString(), StringComparison.Ordinal);
            var page = await http.GetStringAsync("/");
            Assert.Contains("<html", page, StringComparison.OrdinalIgnoreCase);
            // Read-only unless --allow-writes: the delete endpoint refuses.
            using var delete = await http.PostAsync("/api/runs/0123456789abcdef0123456789abcdef/delete", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
            Assert.False(delete.IsSuccessStatusCode);

            using (var sigint = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
                await sigint.WaitForExitAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.True(process.ExitCode == 0, "exit code " + process.ExitCode + "; stderr: " + await stderr);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public void Ui_WithAMissingStore_IsAnErrorAndCreatesNothing()
    {
        var missing = Path.Combine(_store.Root, "nope");
        var (code, _, error) = CliRunner.Run("ui", "--store", missing, "--port", "0");
        Assert.NotEqual(0, code);
        Assert.Contains("nope", error);
        Assert.False(Directory.Exists(missing));
    }
}
