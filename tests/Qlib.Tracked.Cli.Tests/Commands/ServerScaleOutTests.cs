using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Qlib.Tracked.Tests.Stores.Contract;

namespace Qlib.Tracked.Cli.Tests;

/// <summary>
/// Scale-out as docs/server.md deploys it: two real <c>qtrack server</c> processes over one PostgreSQL database and one
/// artifact root, with clients spread over both (every client alternates between them). Nothing is lost, both answer
/// the same, MLflow's param immutability holds across the replicas, and an artifact uploaded through one is downloaded
/// through the other byte for byte.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed partial class ServerScaleOutTests(PostgresCluster cluster) : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("qtrack-replicas-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [GeneratedRegex(@"at (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ServingUrl();

    [SkippableFact]
    public async Task TwoReplicasOverOnePostgresAndOneArtifactRoot_LoseNothing_AndAnswerTheSame()
    {
        Skip.If(cluster.Unavailable is not null, cluster.Unavailable);
        var database = cluster.CreateDatabase();
        var artifacts = Path.Combine(_root, "artifacts");
        var replicas = new List<Process>();
        try
        {
            // One after the other: the first creates the schema, the second finds it.
            var urls = new List<string>();
            foreach (var _ in new[] { 1, 2 })
            {
                var process = QtrackProcess.Start("server", "--backend-store-uri", database, "--artifacts-destination", artifacts, "--port", "0");
                replicas.Add(process);
                var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(2));
                var url = ServingUrl().Match(line ?? "");
                Assert.True(url.Success, "no serving line: " + line + (process.HasExited ? await process.StandardError.ReadToEndAsync() : ""));
                urls.Add(url.Groups[1].Value);
                // The database URI's password is not printed.
                Assert.Contains("postgresql://postgres:***@", line, StringComparison.Ordinal);
            }
            using var a = new HttpClient { BaseAddress = new Uri(urls[0]) };
            using var b = new HttpClient { BaseAddress = new Uri(urls[1]) };
            HttpClient[] servers = [a, b];

            var experimentId = (await Post(a, "experiments/create", "{\"name\": \"replicated\"}"))["experiment_id"]!.GetValue<string>();
            var shared = (await Post(b, "runs/create", $"{{\"experiment_id\": \"{experimentId}\", \"run_name\": \"shared\", \"start_time\": 1}}"))["run"]!["info"]!["run_id"]!.GetValue<string>();
            const int clients = 6, batches = 4, points = 50;
            var outcomes = await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
            {
                var run = (await Post(servers[c % 2], "runs/create", $"{{\"experiment_id\": \"{experimentId}\", \"run_name\": \"client-{c}\", \"start_time\": {c + 10}}}"))["run"]!["info"]!["run_id"]!.GetValue<string>();
                for (var i = 0; i < batches; i++)
                {
                    var server = servers[(c + i) % 2];
                    var metrics = string.Join(",", Enumerable.Range(0, points).Select(p => $"{{\"key\": \"m\", \"value\": {c * 1000 + i * points + p}, \"timestamp\": 1, \"step\": {i * points + p}}}"));
                    await Post(server, "runs/log-batch", $"{{\"run_id\": \"{run}\", \"metrics\": [{metrics}], \"params\": [{{\"key\": \"p{i}\", \"value\": \"{c}\"}}]}}");
                    await Post(server, "runs/log-batch", $"{{\"run_id\": \"{shared}\", \"metrics\": [{metrics}]}}");
                }
                using var upload = await servers[c % 2].PutAsync($"/api/2.0/mlflow-artifacts/artifacts/{experimentId}/{run}/artifacts/data-{c}.bin", new ByteArrayContent(Bytes(c)));
                Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
                // Every client claims the same param of the shared run through its own replica: MLflow keeps the first value.
                using var claim = await servers[(c + 1) % 2].PostAsync("/api/2.0/mlflow/runs/log-parameter",
                    new StringContent($"{{\"run_id\": \"{shared}\", \"key\": \"owner\", \"value\": \"client-{c}\"}}", Encoding.UTF8, "application/json"));
                return (Run: run, Claimed: claim.StatusCode == HttpStatusCode.OK, claim.StatusCode);
            })));
            Assert.All(outcomes, o => Assert.True(o.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, o.StatusCode.ToString()));

            var owners = new List<string>();
            foreach (var server in servers)
            {
                var found = await Post(server, "runs/search", $"{{\"experiment_ids\": [\"{experimentId}\"], \"order_by\": [\"attributes.start_time ASC\"]}}");
                Assert.Equal(["shared", .. Enumerable.Range(0, clients).Select(c => $"client-{c}")],
                    found["runs"]!.AsArray().Select(r => r!["info"]!["run_name"]!.GetValue<string>()));
                var history = JsonNode.Parse(await server.GetStringAsync($"/api/2.0/mlflow/metrics/get-history?run_id={shared}&metric_key=m"))!["metrics"]!.AsArray();
                Assert.Equal(clients * batches * points, history.Count);
                foreach (var (run, c) in outcomes.Select((o, c) => (o.Run, c)))
                {
                    var data = JsonNode.Parse(await server.GetStringAsync($"/api/2.0/mlflow/runs/get?run_id={run}"))!["run"]!["data"]!;
                    Assert.Equal(batches, data["params"]!.AsArray().Count);
                    Assert.Equal(batches * points, JsonNode.Parse(await server.GetStringAsync($"/api/2.0/mlflow/metrics/get-history?run_id={run}&metric_key=m"))!["metrics"]!.AsArray().Count);
                    // Uploaded through one replica, downloaded through the other.
                    var bytes = await server.GetByteArrayAsync($"/api/2.0/mlflow-artifacts/artifacts/{experimentId}/{run}/artifacts/data-{c}.bin");
                    Assert.Equal(SHA256.HashData(Bytes(c)), SHA256.HashData(bytes));
                }
                var sharedRun = JsonNode.Parse(await server.GetStringAsync($"/api/2.0/mlflow/runs/get?run_id={shared}"))!["run"]!["data"]!;
                owners.Add(sharedRun["params"]!.AsArray().Single(p => p!["key"]!.GetValue<string>() == "owner")!["value"]!.GetValue<string>());
            }
            Assert.Equal(owners[0], owners[1]);
            Assert.True(outcomes.Count(o => o.Claimed) >= 1, "no client's claim was accepted");
            Assert.All(outcomes.Where(o => o.Claimed), o => Assert.Equal(owners[0], $"client-{Array.IndexOf(outcomes, o)}"));

            foreach (var process in replicas)
            {
                using (var term = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)])) await term.WaitForExitAsync();
                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
                Assert.Equal(0, process.ExitCode);
            }
        }
        finally
        {
            foreach (var process in replicas)
            {
                if (!process.HasExited) process.Kill(entireProcessTree: true);
                process.Dispose();
            }
        }
    }

    private static byte[] Bytes(int client) => [.. Enumerable.Range(0, 100_000 + client).Select(i => (byte)(i * 31 + client))];

    private static async Task<JsonNode> Post(HttpClient server, string route, string json)
    {
        using var response = await server.PostAsync("/api/2.0/mlflow/" + route, new StringContent(json, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{route} on {server.BaseAddress}: HTTP {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }
}
