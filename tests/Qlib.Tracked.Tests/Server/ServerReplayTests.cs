using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Qlib.Tracked.Tests.Stores.Rest;
using Qlib.Tracked.Web.Server;

namespace Qlib.Tracked.Tests.Server;

/// <summary>
/// <c>qtrack server</c> against the recording of the real Python client and a real MLflow 2.12 server
/// (tests/Fixtures/mlflow-rest-reference, recorded over SQLite with --serve-artifacts): every recorded request is sent,
/// in order, over real HTTP to the server on a fresh SQLite store, and its answer must be the recorded one field by
/// field — run ids mapped to the ones this server made, server clock times (<c>creation_time</c>,
/// <c>last_update_time</c>) left out, error bodies compared by <c>error_code</c> with equal HTTP statuses, downloads
/// by their bytes' SHA-256. No exchange is exempt: the dataset input the workload logs reads back in its run and in
/// searches, and renaming an experiment to a taken name answers BAD_REQUEST (HTTP 400) as MLflow's SQL store does.
/// </summary>
public sealed class ServerReplayTests : IDisposable
{
    private static readonly string[] ServerClockFields = ["creation_time", "last_update_time"];

    private readonly TempDirectory _temp = new();
    private readonly ServerHost _server;
    private readonly HttpClient _http = new();
    private readonly Dictionary<string, string> _recordedToOurs = new(StringComparer.Ordinal);

    public ServerReplayTests()
    {
        _server = ServerHost.Start(new TrackingServerOptions
        {
            BackendStoreUri = "sqlite:///" + _temp.Combine("mlflow.db"),
            ArtifactsDestination = _temp.Combine("artifacts"),
        });
        _http.BaseAddress = new Uri(_server.Uri);
    }

    public void Dispose()
    {
        _http.Dispose();
        _server.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task EveryRecordedRequest_GetsTheRecordedAnswer()
    {
        var differences = new List<string>();
        var exchanges = RecordedExchange.Load();
        foreach (var exchange in exchanges)
        {
            using var response = await _http.SendAsync(Request(exchange));
            var body = await response.Content.ReadAsByteArrayAsync();
            var where = $"#{exchange.Seq} {exchange.Method} {exchange.Path}";
            if ((int)response.StatusCode != exchange.Status)
            {
                differences.Add($"{where}: HTTP {(int)response.StatusCode} vs recorded {exchange.Status}: {Encoding.UTF8.GetString(body)}");
                continue;
            }
            if (RecordedExchange.IsRaw(exchange.Response))
            {
                var sha = Convert.ToHexStringLower(SHA256.HashData(body));
                if (sha != exchange.Response!["sha256"]!.GetValue<string>()) differences.Add($"{where}: downloaded bytes differ");
                continue;
            }
            var ours = JsonNode.Parse(body);
            Learn(exchange.Response, ours);
            var recorded = Normalised(exchange.Response, toRecorded: false);
            RecordedExchange.SameJson(recorded, Normalised(ours, toRecorded: true), where, differences);
        }
        Assert.Equal(230, exchanges.Count);
        Assert.True(differences.Count == 0, string.Join("\n", differences));
    }

    /// <summary>What the Python client sent, with the recorded run ids replaced by this server's.</summary>
    private HttpRequestMessage Request(RecordedExchange exchange)
    {
        var query = string.Join("&", exchange.Query.SelectMany(q => q.Value.Select(v => Uri.EscapeDataString(q.Key) + "=" + Uri.EscapeDataString(Ours(v)))));
        var message = new HttpRequestMessage(new HttpMethod(exchange.Method), Ours(exchange.Path) + (query.Length > 0 ? "?" + query : ""));
        if (RecordedExchange.IsRaw(exchange.Request))
        {
            // A recorded upload keeps its text when it is text; a binary one only its size, which is what listings show.
            var raw = exchange.Request!["text"] is { } text
                ? Encoding.UTF8.GetBytes(text.GetValue<string>())
                : new byte[exchange.Request["bytes"]!.GetValue<int>()];
            message.Content = new ByteArrayContent(raw);
            message.Content.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        }
        else if (exchange.Request is JsonObject json && exchange.Method != "GET")
        {
            message.Content = new StringContent(Ours(json.ToJsonString()), Encoding.UTF8, "application/json");
        }
        return message;
    }

    /// <summary>A created run's recorded id and ours (from <c>runs/create</c> answers).</summary>
    private void Learn(JsonNode? recorded, JsonNode? ours)
    {
        if (recorded?["run"]?["info"]?["run_id"]?.GetValue<string>() is { } recordedId && ours?["run"]?["info"]?["run_id"]?.GetValue<string>() is { } ourId)
            _recordedToOurs.TryAdd(recordedId, ourId);
    }

    private string Ours(string text)
    {
        foreach (var (recorded, ours) in _recordedToOurs) text = text.Replace(recorded, ours, StringComparison.Ordinal);
        return text;
    }

    private string Recorded(string text)
    {
        foreach (var (recorded, ours) in _recordedToOurs) text = text.Replace(ours, recorded, StringComparison.Ordinal);
        return text;
    }

    /// <summary>A copy without server clock times and with errors reduced to their code; ours with run ids mapped back.</summary>
    private JsonNode? Normalised(JsonNode? node, bool toRecorded)
    {
        switch (node)
        {
            case JsonObject o:
            {
                var copy = new JsonObject();
                var isError = o.ContainsKey("error_code");
                foreach (var (key, value) in o)
                {
                    if (ServerClockFields.Contains(key) || (isError && key == "message")) continue;
                    copy[key] = Normalised(value, toRecorded);
                }
                return copy;
            }
            case JsonArray a:
                return new JsonArray([.. a.Select(item => Normalised(item, toRecorded))]);
            case JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String:
                return JsonValue.Create(toRecorded ? Recorded(v.GetValue<string>()) : v.GetValue<string>());
            default:
                return node?.DeepClone();
        }
    }
}
