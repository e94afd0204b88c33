using System.Text;
using System.Text.Json;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores.Rest.Protocol;

namespace Qlib.Tracked.Tests.Stores.Rest;

/// <summary>MLflow's JSON as the protocol types read and write it: the shapes other clients and servers send.</summary>
public sealed class ProtocolJsonTests
{
    [Fact]
    public void Int64sAsStringsOrNumbers_NamedFloats_AndUnknownFields_AreRead()
    {
        // proto3 JSON (other clients, newer servers) writes int64 as strings; MLflow's server writes numbers.
        const string json = """
            {"metrics": [
               {"key": "a", "value": 1.5, "timestamp": "1700000000000", "step": "1099511627776", "dataset_name": "new-in-3.x"},
               {"key": "b", "value": "NaN", "timestamp": 1700000000001, "step": -3},
               {"key": "c", "value": "Infinity", "timestamp": 1, "step": 0},
               {"key": "d", "value": "-Infinity", "timestamp": 1}],
             "next_page_token": "abc", "some_future_field": {"x": [1, 2]}}
            """;
        var page = JsonSerializer.Deserialize(json, MlflowJsonContext.Default.GetMetricHistoryResponse)!;
        var metrics = page.Metrics!.Select((m, i) => ProtocolMapping.ToMetric(m, $"metrics[{i}]")).ToList();
        Assert.Equal(new Metric("a", 1.5, 1_700_000_000_000, 1_099_511_627_776), metrics[0]);
        Assert.True(double.IsNaN(metrics[1].Value));
        Assert.Equal(-3, metrics[1].Step);
        Assert.Equal(double.PositiveInfinity, metrics[2].Value);
        Assert.Equal(double.NegativeInfinity, metrics[3].Value);
        Assert.Equal(0, metrics[3].Step); // step defaults to 0, as in MLflow
        Assert.Equal("abc", page.NextPageToken);
    }

    [Fact]
    public void Requests_AreWrittenWithProtoNames_NamedFloatsAsMlflowSendsThem_AndUnsetFieldsOmitted()
    {
        var request = new LogBatchRequest
        {
            RunId = "r",
            Metrics = [ProtocolMapping.ToMessage(new Metric("nan", double.NaN, 5, 0)), ProtocolMapping.ToMessage(new Metric("inf", double.NegativeInfinity, 5, 2))],
        };
        var text = Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(request, MlflowJsonContext.Default.LogBatchRequest));
        Assert.Equal("""{"run_id":"r","metrics":[{"key":"nan","value":"NaN","timestamp":5,"step":0},{"key":"inf","value":"-Infinity","timestamp":5,"step":2}]}""", text);
    }

    [Fact]
    public void AMessageLackingWhatItsEntityNeeds_IsRefusedNamingTheField()
    {
        var run = JsonSerializer.Deserialize("""{"run": {"info": {"run_id": "x", "experiment_id": "1", "status": "FINISHED"}, "data": {"metrics": [{"key": "m", "timestamp": 1}]}}}""",
            MlflowJsonContext.Default.RunResponse)!;
        var e = Assert.Throws<MlflowProtocolException>(() => ProtocolMapping.ToRun(run.Run, "run"));
        Assert.Equal("run.data.metrics[0].value", e.Field);
        var status = JsonSerializer.Deserialize("""{"run_info": {"run_id": "x", "experiment_id": "1", "status": "DONE"}}""", MlflowJsonContext.Default.UpdateRunResponse)!;
        Assert.Contains("'DONE' is not a run status", Assert.Throws<MlflowProtocolException>(() => ProtocolMapping.ToRunInfo(status.RunInfo, "run_info")).Message);
    }

    [Fact]
    public void EntitiesRoundTripThroughTheirMessages()
    {
        var run = new Run(
            new RunInfo("0123456789abcdef0123456789abcdef", "3", "name", "alice", RunStatus.Killed, 10, 20, "mlflow-artifacts:/3/x/artifacts", LifecycleStage.Deleted),
            new RunData(new Dictionary<string, Metric> { ["m"] = new("m", 0.25, 11, 4) }, new Dictionary<string, string> { ["p"] = "1" }, new Dictionary<string, string> { ["t"] = "line1\nline2" }),
            [new DatasetInput(new Dataset("train", "abc", "local", "{}", null, null), new Dictionary<string, string> { ["mlflow.data.context"] = "training" })]);
        var json = JsonSerializer.SerializeToUtf8Bytes(new RunResponse { Run = ProtocolMapping.ToMessage(run) }, MlflowJsonContext.Default.RunResponse);
        var back = ProtocolMapping.ToRun(JsonSerializer.Deserialize(json, MlflowJsonContext.Default.RunResponse)!.Run, "run");
        Assert.Equal(run.Info, back.Info);
        Assert.Equal(run.Data.Metrics, back.Data.Metrics);
        Assert.Equal(run.Data.Params, back.Data.Params);
        Assert.Equal(run.Data.Tags, back.Data.Tags);
        Assert.Equal(run.Inputs[0].Dataset, back.Inputs[0].Dataset);
        Assert.Equal(run.Inputs[0].Tags, back.Inputs[0].Tags);
    }
}
