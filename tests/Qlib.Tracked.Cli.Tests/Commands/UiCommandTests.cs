using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
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

    [GeneratedRegex(@"at http://0\.0\.0\.0:(\d+) ")]
    private static partial Regex EveryInterfaceUrl();

    [Fact]
    public async Task Ui_ServesTheStoreOnLoopback_ReadOnly_AndStopsOnSigint()
    {
        using var process = QtrackProcess.Start("ui", "--store", _store.Store, "--port", "0");
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

            await InterruptAsync(process);
            Assert.True(process.ExitCode == 0, "exit code " + process.ExitCode + "; stderr: " + await stderr);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public async Task Ui_OnEveryInterface_WarnsOnStderr_AndStillServes()
    {
        using var process = QtrackProcess.Start("ui", "--store", _store.Store, "--host", "0.0.0.0", "--port", "0");
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(2));
            Assert.True(line is not null, "qtrack ui printed nothing; stderr: " + (process.HasExited ? await stderr : ""));
            var port = EveryInterfaceUrl().Match(line!);
            Assert.True(port.Success, line);
            // Only loopback traffic here: the bind is what is under test, not the network.
            using var http = new HttpClient { BaseAddress = new Uri("http://127.0.0.1:" + port.Groups[1].Value) };
            using var experiments = await http.GetAsync("/api/experiments");
            Assert.Equal(System.Net.HttpStatusCode.OK, experiments.StatusCode);

            await InterruptAsync(process);
            var errors = await stderr;
            Assert.Equal(0, process.ExitCode);
            Assert.StartsWith("warning: --host 0.0.0.0 listens on every network interface: anyone who can reach", errors);
            Assert.Contains("no authentication", errors);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public async Task Ui_OnAPortInUse_SaysSoInOneSentence_WithoutAStackTrace()
    {
        using var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        var port = ((IPEndPoint)busy.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);
        using var process = QtrackProcess.Start("ui", "--store", _store.Store, "--port", port);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        var (output, errors) = (await stdout, await stderr);

        Assert.Equal(1, process.ExitCode);
        Assert.Equal("", output);
        Assert.Equal(
            $"error: Cannot serve the UI: port {port} is already in use on 127.0.0.1: another program (or another qtrack ui) listens there. "
            + "Choose another port with --port N, or --port 0 for a free one.\n",
            errors);
    }

    [Theory]
    [InlineData("localhostt", "does not resolve")]
    [InlineData("999.1.1.1", "not an IPv4 address")]
    [InlineData("::zz", "not an IPv6 address")]
    public void Ui_WithAHostThatIsNotAnAddressOfThisMachine_IsAUsageError(string host, string reason)
    {
        var (code, output, error) = CliRunner.Run("ui", "--store", _store.Store, "--host", host, "--port", "0");

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.StartsWith($"error: INVALID_PARAMETER_VALUE: --host '{host}' cannot be used: ", error);
        Assert.Contains(reason, error);
        Assert.Contains("it takes an IP address of this machine", error);
    }

    [Theory]
    [InlineData("70000", "Invalid --port 70000: it must be 0-65535")]
    [InlineData("-5", "Invalid --port -5: it must be 0-65535")]
    [InlineData("abc", "'abc' for option '--port'")]
    public void Ui_WithAPortOutOfRange_IsAUsageErrorNamingPort(string port, string message)
    {
        var (code, _, error) = CliRunner.Run("ui", "--store", _store.Store, "--port", port);
        Assert.Equal(2, code);
        Assert.Contains(message, error);
    }

    [Fact]
    public void Ui_AllowWritesBeyondLoopback_IsRefused_UntilThereIsAuthentication()
    {
        var (code, output, error) = CliRunner.Run("ui", "--store", _store.Store, "--host", "0.0.0.0", "--port", "0", "--allow-writes");

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains("--allow-writes is refused with --host 0.0.0.0", error);
        Assert.Contains("qtrack ui has no authentication yet", error);
    }

    /// <summary>Ctrl+C (SIGINT), then waits for the process to stop.</summary>
    private static async Task InterruptAsync(Process process)
    {
        using (var sigint = Process.Start("kill", ["-INT", process.Id.ToString(CultureInfo.InvariantCulture)]))
            await sigint.WaitForExitAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
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
