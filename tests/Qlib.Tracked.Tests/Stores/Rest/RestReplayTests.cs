using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores;
using Qlib.Tracked.Stores.Rest;
using Qlib.Tracked.Stores.Rest.Protocol;

namespace Qlib.Tracked.Tests.Stores.Rest;

/// <summary>
/// The RestStore against the recording of the real Python client and a real MLflow 2.12 server
/// (tests/Fixtures/mlflow-rest-reference): every recorded exchange is replayed in order over real HTTP — the store is
/// driven with the call the Python client made, must send what the Python client sent (method, path, query arguments,
/// JSON fields and their values, artifact bytes) and must read the recorded answer into the right entities, or into
/// the right typed error.
/// </summary>
public sealed class RestReplayTests : IDisposable
{
    private readonly ReplayServer _server = new();
    private readonly RestStore _store;
    private readonly List<string> _failures = [];
    private readonly List<(RecordedExchange Exchange, TrackingException Error)> _errors = [];

    public RestReplayTests() =>
        _store = new RestStore(_server.Uri, new TrackingStoreOptions { Http = new RestClientSettings { MaxRetries = 0 } });

    public void Dispose()
    {
        _store.Dispose();
        _server.Dispose();
    }

    [Fact]
    public void EveryRecordedExchange_IsSentAsThePythonClientSentIt_AndItsAnswerReadBack()
    {
        var exchanges = RecordedExchange.Load();
        for (var i = 0; i < exchanges.Count; i++)
        {
            var e = exchanges[i];
            var group = new List<RecordedExchange> { e };
            foreach (var x in group) _server.Expect(x);
            _server.Received.Clear();
            Drive(group);
            CompareRequests(group);
            _server.ClearExpected();
        }
        Assert.True(_failures.Count == 0, string.Join("\n", _failures));
    }

    [Fact]
    public void EveryServerErrorThePythonClientSaw_IsTheSameTypedErrorHere()
    {
        EveryRecordedExchange_IsSentAsThePythonClientSentIt_AndItsAnswerReadBack();
        var cases = File.ReadLines(Path.Combine(RecordedExchange.FixtureFolder, "client_errors.jsonl"))
            .Select(l => JsonNode.Parse(l)!.AsObject())
            .Where(c => c["error_code"] is not null)
            .ToList();
        Assert.Equal(16, cases.Count);
        foreach (var c in cases)
        {
            var code = c["error_code"]!.GetValue<string>();
            var text = c["message"]!.GetValue<string>();
            // The Python client prefixes the server's message with its error code.
            var serverText = text[(code.Length + 2)..];
            // The Python client may add a hint after the server's message (param changed) or the recording cut it (duplicate experiment).
            var match = _errors.FirstOrDefault(x => x.Error is RestTrackingException r && r.ServerErrorCode == code
                && x.Exchange.Response!["message"]!.GetValue<string>() is var said
                && (serverText.StartsWith(said, StringComparison.Ordinal) || said.StartsWith(serverText, StringComparison.Ordinal)));
            Assert.True(match.Error is not null, $"case '{c["case"]}': no replayed call failed with {code}: {serverText}");
            Assert.Equal(ExpectedCode(code), match.Error!.Code);
        }
    }

    [Fact]
    public void ARunStatusOutsideMlflows_IsRefusedNamingTheValidOnes()
    {
        // client_errors.jsonl "set terminated bad status": the Python client refuses 'DONE' before sending; our API takes
        // an enum, and a message carrying it is refused when read.
        var e = Assert.Throws<MlflowProtocolException>(() => ProtocolMapping.ParseRunStatus("DONE", "run_info.status"));
        Assert.Contains("'DONE'", e.Message);
        Assert.Contains("RUNNING, SCHEDULED, FINISHED, FAILED, KILLED", e.Message);
    }

    // ----- driving the store with the Python client's call -----

    private void Drive(List<RecordedExchange> group)
    {
        var e = group[0];
        var r = e.Request;
        try
        {
            switch (e.Path)
            {
                case MlflowRoutes.CreateExperiment:
                    Check(e, _store.CreateExperiment(r!["name"]!.GetValue<string>(), r["artifact_location"]?.GetValue<string>(), Tags(r["tags"])),
                        id => id == e.Response!["experiment_id"]!.GetValue<string>());
                    break;
                case MlflowRoutes.GetExperiment:
                    Check(e, _store.GetExperiment(e.Query["experiment_id"][0]), x => SameExperiment(x, e.Response!["experiment"]!));
                    break;
                case MlflowRoutes.GetExperimentByName:
                {
                    var x = _store.GetExperimentByName(e.Query["experiment_name"][0]);
                    if (e.Status == 404) Expect(e, x is null, "a 404 must read as 'no such experiment' (null)");
                    else Check(e, x!, y => SameExperiment(y, e.Response!["experiment"]!));
                    break;
                }
                case MlflowRoutes.SearchExperiments:
                {
                    Expect(e, r!["page_token"] is null && r["max_results"]!.GetValue<int>() == 1000, "the recorded search is a first page of 1000");
                    var list = _store.SearchExperiments(ProtocolMapping.ParseViewType(r["view_type"]!.GetValue<string>(), "view_type"));
                    var expected = e.Response!["experiments"]!.AsArray();
                    Check(e, list, l => l.Count == expected.Count && l.Select((x, k) => SameExperiment(x, expected[k]!)).All(ok => ok));
                    break;
                }
                case MlflowRoutes.DeleteExperiment:
                    _store.DeleteExperiment(r!["experiment_id"]!.GetValue<string>());
                    break;
                case MlflowRoutes.RestoreExperiment:
                    _store.RestoreExperiment(r!["experiment_id"]!.GetValue<string>());
                    break;
                case MlflowRoutes.UpdateExperiment:
                    _store.RenameExperiment(r!["experiment_id"]!.GetValue<string>(), r["new_name"]!.GetValue<string>());
                    break;
                case MlflowRoutes.CreateRun:
                    Check(e, _store.CreateRun(r!["experiment_id"]!.GetValue<string>(), r["user_id"]?.GetValue<string>(), r["start_time"]!.GetValue<long>(),
                        Tags(r["tags"]), r["run_name"]?.GetValue<string>()), run => SameRun(run, e.Response!["run"]!));
                    break;
                case MlflowRoutes.GetRun:
                    Check(e, _store.GetRun(e.Query["run_id"][0]), run => SameRun(run, e.Response!["run"]!));
                    break;
                case MlflowRoutes.UpdateRun:
                    Check(e, _store.UpdateRunInfo(r!["run_id"]!.GetValue<string>(), ProtocolMapping.ParseRunStatus(r["status"]!.GetValue<string>(), "status"),
                        r["end_time"]?.GetValue<long>(), r["run_name"]?.GetValue<string>()), info => SameRunInfo(info, e.Response!["run_info"]!));
                    break;
                case MlflowRoutes.DeleteRun:
                    _store.DeleteRun(r!["run_id"]!.GetValue<string>());
                    break;
                case MlflowRoutes.RestoreRun:
                    _store.RestoreRun(r!["run_id"]!.GetValue<string>());
                    break;
                case MlflowRoutes.SearchRuns:
                {
                    var page = _store.SearchRuns([.. r!["experiment_ids"]!.AsArray().Select(x => x!.GetValue<string>())], r["filter"]?.GetValue<string>(),
                        ProtocolMapping.ParseViewType(r["run_view_type"]?.GetValue<string>(), "run_view_type"), r["max_results"]!.GetValue<int>(),
                        r["order_by"]?.AsArray().Select(x => x!.GetValue<string>()).ToList(), r["page_token"]?.GetValue<string>());
                    var expected = e.Response!["runs"]?.AsArray() ?? [];
                    Check(e, page, p => p.Items.Count == expected.Count && p.Items.Select((x, k) => SameRun(x, expected[k]!)).All(ok => ok)
                                        && p.NextPageToken == e.Response["next_page_token"]?.GetValue<string>());
                    break;
                }
                case MlflowRoutes.LogBatch:
                    _store.LogBatch(r!["run_id"]!.GetValue<string>(),
                        [.. (r["metrics"]?.AsArray() ?? []).Select(Metric)],
                        [.. (r["params"]?.AsArray() ?? []).Select(p => new Param(p!["key"]!.GetValue<string>(), p["value"]!.GetValue<string>()))],
                        Tags(r["tags"]) ?? []);
                    break;
                case MlflowRoutes.LogMetric:
                    _store.LogBatch(r!["run_id"]!.GetValue<string>(), [Metric(r)], [], []);
                    break;
                case MlflowRoutes.LogParameter:
                    _store.LogBatch(r!["run_id"]!.GetValue<string>(), [], [new Param(r["key"]!.GetValue<string>(), r["value"]!.GetValue<string>())], []);
                    break;
                case MlflowRoutes.SetTag:
                    _store.LogBatch(r!["run_id"]!.GetValue<string>(), [], [], [new RunTag(r["key"]!.GetValue<string>(), r["value"]!.GetValue<string>())]);
                    break;
                case MlflowRoutes.LogInputs:
                    _store.LogInputs(r!["run_id"]!.GetValue<string>(), [.. r["datasets"]!.AsArray().Select(DatasetInput)]);
                    break;
                case MlflowRoutes.GetMetricHistory:
                {
                    var history = _store.GetMetricHistory(e.Query["run_id"][0], e.Query["metric_key"][0]);
                    var expected = e.Response!["metrics"]!.AsArray();
                    Check(e, history, h => h.Count == expected.Count && h.Select((m, k) => m.Equals(Metric(expected[k]))).All(ok => ok));
                    break;
                }
                case var p when p.StartsWith(MlflowRoutes.ArtifactProxy, StringComparison.Ordinal):
                    DriveArtifacts(e);
                    break;
                default:
                    _failures.Add($"seq {e.Seq}: no driver for {e.Method} {e.Path}");
                    break;
            }
            if (e.Status != 200 && e.Path != MlflowRoutes.GetExperimentByName)
                _failures.Add($"seq {e.Seq}: {e.Method} {e.Path} was answered {e.Status} but the store did not throw");
        }
        catch (TrackingException error) when (e.Status != 200)
        {
            _errors.Add((e, error));
            var code = e.Response!["error_code"]!.GetValue<string>();
            var message = e.Response["message"]!.GetValue<string>();
            Expect(e, error.Code == ExpectedCode(code), $"error code {error.Code} for {code}");
            Expect(e, error.Message.StartsWith(message, StringComparison.Ordinal), $"the message starts with the server's: {error.Message}");
            Expect(e, error.Message.Contains($"{e.Method} {e.Path}", StringComparison.Ordinal), $"the message names the route: {error.Message}");
            Expect(e, error.Message.Contains(_server.Uri, StringComparison.Ordinal), $"the message names the server: {error.Message}");
            Expect(e, error is RestTrackingException { } rest && rest.HttpStatus == e.Status && rest.ServerErrorCode == code, "status and server code kept");
        }
        catch (Exception error)
        {
            _failures.Add($"seq {e.Seq}: {e.Method} {e.Path} threw {error.GetType().Name}: {error.Message}");
        }
    }

    private void DriveArtifacts(RecordedExchange e)
    {
        // <experiment>/<run>/artifacts[/<path>]
        var target = e.Path == MlflowRoutes.ArtifactProxy ? e.Query["path"][0] : e.Path[(MlflowRoutes.ArtifactProxy.Length + 1)..];
        var parts = target.Split('/');
        var runId = parts[1];
        var relative = string.Join('/', parts.Skip(3));
        var repository = _store.GetArtifactRepository(runId);
        if (e.Method == "PUT")
        {
            var text = e.Request!["text"]?.GetValue<string>();
            repository.Write(relative, text is null ? new byte[e.Request["bytes"]!.GetValue<int>()] : Encoding.UTF8.GetBytes(text));
        }
        else if (e.Path == MlflowRoutes.ArtifactProxy)
        {
            var files = e.Response!["files"]?.AsArray() ?? [];
            var prefix = relative.Length == 0 ? "" : relative + "/";
            Check(e, repository.List(relative), list => list.Count == files.Count && list.All(entry => files.Any(f =>
                prefix + f!["path"]!.GetValue<string>() == entry.Path && f["is_dir"]!.GetValue<bool>() == entry.IsDir
                && (entry.IsDir ? entry.FileSize is null : f["file_size"]!.GetValue<long>() == entry.FileSize))));
        }
        else
        {
            using var stream = repository.OpenRead(relative);
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            Check(e, Convert.ToHexStringLower(SHA256.HashData(copy.ToArray())), sha => sha == e.Response!["sha256"]!.GetValue<string>());
        }
    }

    // ----- comparing requests -----

    private void CompareRequests(List<RecordedExchange> group)
    {
        var received = _server.Received.ToList();
        if (received.Count != group.Count)
        {
            _failures.Add($"seq {group[0].Seq}: expected {group.Count} request(s) ({group[0].Method} {group[0].Path}), got {received.Count}: " +
                          string.Join(", ", received.Select(x => x.Method + " " + x.Path)));
            return;
        }
        for (var k = 0; k < group.Count; k++)
        {
            var (e, got) = (group[k], received[k]);
            Expect(e, got.Method == e.Method && (got.Path == e.Path || e.Path == MlflowRoutes.LogBatch), $"sent {got.Method} {got.Path}");
            var queryDiffers = got.Query.Count != e.Query.Count
                               || e.Query.Any(p => !got.Query.TryGetValue(p.Key, out var v) || !v.SequenceEqual(p.Value));
            Expect(e, !queryDiffers, $"query {Show(got.Query)} vs recorded {Show(e.Query)}");
            if (e.Method == "POST")
            {
                Expect(e, got.ContentType?.StartsWith("application/json", StringComparison.Ordinal) == true, $"content type {got.ContentType}");
                var expected = e.Request;
                // The second request of the Python client's 1,000 + 1 split of a 1,001-metric log_batch holds one metric;
                // a one-item batch here is the Python client's own log_metric request.
                if (e.Path == MlflowRoutes.LogBatch && got.Path == MlflowRoutes.LogMetric && expected!["metrics"]?.AsArray().Count == 1 && expected["params"] is null && expected["tags"] is null)
                {
                    var metric = expected["metrics"]![0]!.DeepClone().AsObject();
                    metric["run_id"] = expected["run_id"]!.DeepClone();
                    metric["run_uuid"] = expected["run_id"]!.DeepClone();
                    expected = metric;
                }
                else
                {
                    Expect(e, got.Path == e.Path, $"sent {got.Method} {got.Path}");
                }
                var differences = new List<string>();
                RecordedExchange.SameJson(JsonNode.Parse(got.Body), expected, "body", differences);
                Expect(e, differences.Count == 0, "JSON body differs: " + string.Join("; ", differences.Take(5)));
            }
            else if (e.Method == "PUT")
            {
                Expect(e, got.Body.Length == e.Request!["bytes"]!.GetValue<int>(), $"uploaded {got.Body.Length} bytes");
                if (e.Request["text"] is not null)
                    Expect(e, Convert.ToHexStringLower(SHA256.HashData(got.Body)) == e.Request["sha256"]!.GetValue<string>(), "uploaded bytes differ");
            }
        }
    }

    private static string Show(IReadOnlyDictionary<string, string[]> query) =>
        "{" + string.Join(", ", query.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}=[{string.Join(",", p.Value)}]")) + "}";

    // ----- comparing answers -----

    private void Check<T>(RecordedExchange e, T actual, Func<T, bool> matches)
    {
        if (e.Status == 200) Expect(e, matches(actual), $"the answer was read wrongly: {actual}");
    }

    private void Expect(RecordedExchange e, bool ok, string what)
    {
        if (!ok) _failures.Add($"seq {e.Seq} ({e.Method} {e.Path}): {what}");
    }

    private static bool SameExperiment(ExperimentInfo x, JsonNode json) =>
        x.ExperimentId == json["experiment_id"]!.GetValue<string>()
        && x.Name == json["name"]!.GetValue<string>()
        && x.ArtifactLocation == json["artifact_location"]!.GetValue<string>()
        && x.LifecycleStage.ToMlflowString() == json["lifecycle_stage"]!.GetValue<string>()
        && x.CreationTime == json["creation_time"]?.GetValue<long>()
        && x.LastUpdateTime == json["last_update_time"]?.GetValue<long>()
        && SamePairs(x.Tags, json["tags"]);

    private static bool SameRunInfo(RunInfo x, JsonNode json) =>
        x.RunId == json["run_id"]!.GetValue<string>()
        && x.RunId == json["run_uuid"]!.GetValue<string>()
        && x.ExperimentId == json["experiment_id"]!.GetValue<string>()
        && x.RunName == (json["run_name"]?.GetValue<string>() ?? "")
        && x.UserId == (json["user_id"]?.GetValue<string>() ?? "")
        && x.Status.ToMlflowString() == json["status"]!.GetValue<string>()
        && x.StartTime == json["start_time"]!.GetValue<long>()
        && x.EndTime == json["end_time"]?.GetValue<long>()
        && x.ArtifactUri == json["artifact_uri"]!.GetValue<string>()
        && x.LifecycleStage.ToMlflowString() == json["lifecycle_stage"]!.GetValue<string>();

    private static bool SameRun(Run run, JsonNode json)
    {
        var data = json["data"];
        var metrics = data?["metrics"]?.AsArray() ?? [];
        return SameRunInfo(run.Info, json["info"]!)
               && run.Data.Metrics.Count == metrics.Count
               && metrics.All(m => run.Data.Metrics.TryGetValue(m!["key"]!.GetValue<string>(), out var got) && got.Equals(Metric(m)))
               && SamePairs(run.Data.Params, data?["params"])
               && SamePairs(run.Data.Tags, data?["tags"])
               && run.Inputs.Count == (json["inputs"]?["dataset_inputs"]?.AsArray().Count ?? 0)
               && run.Inputs.Select((input, k) => input.Dataset.Name == json["inputs"]!["dataset_inputs"]![k]!["dataset"]!["name"]!.GetValue<string>()
                                                  && input.Dataset.Digest == json["inputs"]!["dataset_inputs"]![k]!["dataset"]!["digest"]!.GetValue<string>()).All(ok => ok);
    }

    private static bool SamePairs(IReadOnlyDictionary<string, string> actual, JsonNode? json)
    {
        var pairs = json?.AsArray() ?? [];
        return actual.Count == pairs.Count && pairs.All(p => actual.TryGetValue(p!["key"]!.GetValue<string>(), out var v) && v == p["value"]!.GetValue<string>());
    }

    private static Metric Metric(JsonNode? m) =>
        new(m!["key"]!.GetValue<string>(), RecordedExchange.Number(m["value"]!), m["timestamp"]!.GetValue<long>(), m["step"]?.GetValue<long>() ?? 0);

    private static DatasetInput DatasetInput(JsonNode? input)
    {
        var d = input!["dataset"]!;
        return new DatasetInput(
            new Dataset(d["name"]!.GetValue<string>(), d["digest"]!.GetValue<string>(), d["source_type"]!.GetValue<string>(),
                d["source"]!.GetValue<string>(), d["schema"]?.GetValue<string>(), d["profile"]?.GetValue<string>()),
            (Tags(input["tags"]) ?? []).ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal));
    }

    private static List<RunTag>? Tags(JsonNode? tags) =>
        tags?.AsArray().Select(t => new RunTag(t!["key"]!.GetValue<string>(), t["value"]!.GetValue<string>())).ToList();

    private static ErrorCode ExpectedCode(string serverCode) => serverCode switch
    {
        "RESOURCE_DOES_NOT_EXIST" => ErrorCode.ResourceDoesNotExist,
        "RESOURCE_ALREADY_EXISTS" => ErrorCode.ResourceAlreadyExists,
        "INVALID_PARAMETER_VALUE" => ErrorCode.InvalidParameterValue,
        "BAD_REQUEST" => ErrorCode.BadRequest,
        _ => ErrorCode.InternalError,
    };
}
