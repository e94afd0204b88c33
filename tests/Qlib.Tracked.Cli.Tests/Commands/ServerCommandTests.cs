using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Qlib.Tracked.Cli.Tests;

/// <summary>
/// <c>qtrack server</c> as a real process on a SQLite store: it answers MLflow's REST API and the UI on one port, logs
/// one line per request without bodies or credentials, and on SIGTERM lets a request in flight finish before it exits.
/// </summary>
public sealed partial class ServerCommandTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("qtrack-server-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [GeneratedRegex(@"at (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ServingUrl();

    [Fact]
    public async Task Server_Answers_LogsEachRequest_AndOnSigtermFinishesTheRequestInFlight()
    {
        var artifacts = Path.Combine(_root, "artifacts");
        using var process = QtrackProcess.Start("server", "--backend-store-uri", "sqlite:///" + Path.Combine(_root, "mlflow.db"),
            "--artifacts-destination", artifacts, "--port", "0");
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(2));
            Assert.True(line is not null, "qtrack server printed nothing; stderr: " + (process.HasExited ? await stderr : ""));
            var url = ServingUrl().Match(line!);
            Assert.True(url.Success, line);
            using var http = new HttpClient { BaseAddress = new Uri(url.Groups[1].Value) };

            Assert.Equal("OK", await http.GetStringAsync("/health"));
            using var created = await http.PostAsync("/api/2.0/mlflow/experiments/create", Json("{\"name\": \"secret-name\"}"));
            Assert.Equal(HttpStatusCode.OK, created.StatusCode);
            var experimentId = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("experiment_id").GetString();
            using var run = await http.PostAsync("/api/2.0/mlflow/runs/create", Json($"{{\"experiment_id\": \"{experimentId}\", \"start_time\": 1}}"));
            var info = JsonDocument.Parse(await run.Content.ReadAsStringAsync()).RootElement.GetProperty("run").GetProperty("info");
            var runId = info.GetProperty("run_id").GetString()!;
            Assert.Equal($"mlflow-artifacts:/{experimentId}/{runId}/artifacts", info.GetProperty("artifact_uri").GetString());
            // The UI is served by the same process.
            Assert.Contains("<html", await http.GetStringAsync("/"), StringComparison.OrdinalIgnoreCase);

            // An upload whose body is still coming when SIGTERM arrives: it completes, then the process exits cleanly.
            var body = new SlowContent(Encoding.UTF8.GetBytes(new string('a', 4096)), Encoding.UTF8.GetBytes(new string('b', 4096)));
            var upload = http.PutAsync($"/api/2.0/mlflow-artifacts/artifacts/{experimentId}/{runId}/artifacts/late.txt", body);
            await body.FirstHalfSent.WaitAsync(TimeSpan.FromSeconds(30));
            using (var term = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)])) await term.WaitForExitAsync();
            // Longer than System.CommandLine's own grace period after a signal (2 s): the server must wait for the request itself.
            await Task.Delay(3000);
            Assert.False(process.HasExited, "qtrack server exited with a request in flight");
            body.SendRest();
            using var uploaded = await upload.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(HttpStatusCode.OK, uploaded.StatusCode);
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            var log = await stderr;
            Assert.True(process.ExitCode == 0, "exit code " + process.ExitCode + "; stderr: " + log);
            Assert.Equal(8192, new FileInfo(Path.Combine(artifacts, experimentId!, runId, "artifacts", "late.txt")).Length);

            Assert.Matches(@"POST /api/2\.0/mlflow/experiments/create 200 \d+\.\dms", log);
            Assert.Matches(@"PUT /api/2\.0/mlflow-artifacts/artifacts/\{\*\*path\} 200", log);
            Assert.DoesNotContain("secret-name", log, StringComparison.Ordinal);
            Assert.Contains("qtrack server: stopped.", await process.StandardOutput.ReadToEndAsync(), StringComparison.Ordinal);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public void Server_BeyondLoopbackWithoutAuthentication_RefusesToStart()
    {
        var (code, output, error) = CliRunner.Run("server", "--backend-store-uri", Path.Combine(_root, "mlruns"), "--host", "0.0.0.0", "--port", "0");
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains("Refusing to serve on --host 0.0.0.0", error, StringComparison.Ordinal);
        Assert.Contains("--insecure-no-auth", error, StringComparison.Ordinal);
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>A body sent in two halves: the second only when the test says so.</summary>
    private sealed class SlowContent(byte[] first, byte[] rest) : HttpContent
    {
        private readonly TaskCompletionSource _firstSent = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _sendRest = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task FirstHalfSent => _firstSent.Task;

        public void SendRest() => _sendRest.TrySetResult();

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(first);
            await stream.FlushAsync();
            _firstSent.TrySetResult();
            await _sendRest.Task;
            await stream.WriteAsync(rest);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = first.Length + rest.Length;
            return true;
        }
    }
}
