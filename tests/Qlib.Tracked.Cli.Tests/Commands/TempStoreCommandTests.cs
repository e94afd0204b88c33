using System.Text.Json;
using DuckDB.NET.Data;
using Qlib.Tracked.Artifacts;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Frames;
using Qlib.Tracked.Stores;

namespace Qlib.Tracked.Cli.Tests;

/// <summary>show, metrics, compare, export and runs on a store written by this library in a temp folder.</summary>
public sealed class TempStoreCommandTests : IDisposable
{
    private readonly TempStore _temp = new(copyFixture: false);
    private readonly FileStore _store;
    private readonly string _experiment;
    private readonly string _lgb;
    private readonly string _xgb;
    private readonly string _plain;

    public TempStoreCommandTests()
    {
        _store = new FileStore(_temp.Store);
        _experiment = _store.CreateExperiment("models");
        _lgb = NewRun("lgb", 1000, [0.9, 0.5, 0.3], "0.05", "LGBModel", scoreNoise: 0.1);
        _xgb = NewRun("xgb", 2000, [0.8, 0.6], "0.05", "XGBModel", scoreNoise: 0.5);
        _plain = NewRun("plain", 3000, [double.NaN], "0.1", "Linear", scoreNoise: null);
    }

    public void Dispose() => _temp.Dispose();

    private string NewRun(string name, long start, double[] losses, string lr, string model, double? scoreNoise)
    {
        var id = _store.CreateRun(_experiment, "alice", start, [new RunTag("note", $"<{name}>")], name).Info.RunId;
        var metrics = losses.Select((v, step) => new Metric("valid/loss", v, start + step, step)).ToList();
        metrics.Add(new Metric("IC", losses.Length / 10.0, start, 0));
        _store.LogBatch(id, metrics, [new Param("lr", lr), new Param("model", model)], []);
        _store.UpdateRunInfo(id, RunStatus.Finished, start + 500, null);
        if (scoreNoise is { } noise)
        {
            var rng = new Random(42);
            var days = Enumerable.Range(0, 20).Select(d => new DateTime(2021, 1, 4).AddDays(d)).ToArray();
            var rows = days.SelectMany(d => Enumerable.Range(0, 30).Select(i => (d, $"SH{600000 + i}"))).ToArray();
            var score = rows.Select(r => double.Parse(r.Item2[2..], System.Globalization.CultureInfo.InvariantCulture) % 7 + noise * rng.NextDouble()).ToArray();
            ArtifactObjects.Write(_store.GetArtifactRepository(id), RecordArtifacts.Pred,
                new PredictionFrame(rows.Select(r => r.d).ToArray(), rows.Select(r => r.Item2).ToArray(), score), new ParquetTableSerializer<PredictionFrame>());
        }
        return id;
    }

    private CliResult Q(params string[] args) => CliRunner.Run([.. args, "--store", _temp.Store]);

    [Fact]
    public void Runs_OnAFreshStore_SearchesEveryActiveExperiment()
    {
        var other = _store.CreateExperiment("other");
        _store.CreateRun(other, "bob", 5000, null, "elsewhere");
        Assert.Equal(["elsewhere", "plain", "xgb", "lgb"], Q("runs", "--format", "json").RunNames());
        // IC is 0.3 for lgb, 0.2 for xgb.
        Assert.Equal(["lgb", "xgb"], Q("runs", "--format", "json", "--filter", "params.lr = '0.05'", "--order-by", "metrics.IC DESC").RunNames());
        Assert.Equal(["xgb", "lgb"], Q("runs", "--format", "json", "--filter", "params.lr = '0.05'", "--order-by", "metrics.IC ASC").RunNames());
        Assert.Equal(["lgb", "xgb"], Q("runs", "--format", "json", "-f", "metrics.`valid/loss` < 0.9", "-o", "attributes.start_time ASC").RunNames());
    }

    [Fact]
    public void Show_PrintsInfoParamsLatestMetricsTagsAndArtifacts()
    {
        var text = Q("show", _lgb);
        Assert.Equal(0, text.ExitCode);
        Assert.Contains("lgb", text.Out);
        Assert.Matches(@"valid/loss\s+0\.3\s+2", text.Out); // latest value and its step
        Assert.Contains("<lgb>", text.Out);
        Assert.Contains("pred.parquet", text.Out);

        using var json = Q("show", _lgb, "--format", "json").Json();
        var run = json.RootElement.GetProperty("run");
        Assert.Equal("lgb", run.GetProperty("run_name").GetString());
        Assert.Equal("LGBModel", run.GetProperty("params").GetProperty("model").GetString());
        Assert.Equal(0.3, run.GetProperty("metrics").GetProperty("valid/loss").GetDouble());
        var artifact = json.RootElement.GetProperty("artifacts").EnumerateArray().Single();
        Assert.Equal("pred.parquet", artifact.GetProperty("path").GetString());
        Assert.Equal(new FileInfo(Path.Combine(_temp.Store, _experiment, _lgb, "artifacts", "pred.parquet")).Length, artifact.GetProperty("file_size").GetInt64());

        var unknown = Q("show", "0123456789abcdef0123456789abcdef");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("0123456789abcdef0123456789abcdef", unknown.Error);
    }

    [Fact]
    public void Metrics_PrintsTheWholeHistory_NaNAsAString()
    {
        using var json = Q("metrics", _lgb, "valid/loss", "--format", "json").Json();
        var history = json.RootElement.GetProperty("history").EnumerateArray().ToArray();
        Assert.Equal([0L, 1, 2], history.Select(p => p.GetProperty("step").GetInt64()));
        Assert.Equal([0.9, 0.5, 0.3], history.Select(p => p.GetProperty("value").GetDouble()));
        Assert.Equal([1000L, 1001, 1002], history.Select(p => p.GetProperty("timestamp").GetInt64()));

        using var nan = Q("metrics", _plain, "valid/loss", "--format", "json").Json();
        Assert.Equal("NaN", nan.RootElement.GetProperty("history")[0].GetProperty("value").GetString());

        var table = Q("metrics", _lgb, "valid/loss");
        var blocks = table.Out.Split("\n\n");
        Assert.Equal(5, blocks[0].Split('\n', StringSplitOptions.RemoveEmptyEntries).Length); // header, rule, 3 points
        // The chart: 0.9 at step 0 on the top row, 0.3 at step 2 on the bottom row, 0.5 two thirds down.
        var chart = blocks[1].Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("0.9 |*", chart[0]);
        Assert.Equal("    | *", chart[6]);
        Assert.Equal("0.3 |  *", chart[9]);
        Assert.Equal("    +---", chart[10]);
        Assert.Equal("step 0", chart[11].Trim()[..6]);
        Assert.EndsWith("2", chart[11]);
        // A single point draws no chart.
        Assert.DoesNotContain("+-", Q("metrics", _lgb, "IC").Out);

        var missing = Q("metrics", _lgb, "nope");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("'nope'", missing.Error);
        Assert.Contains("valid/loss", missing.Error); // lists what the run does have
    }

    [Fact]
    public void Compare_ShowsDifferencesOnly_AndThePredictionCorrelation()
    {
        using var json = Q("compare", _lgb, _xgb, "--format", "json").Json();
        var root = json.RootElement;
        Assert.Equal(["lgb", "xgb"], root.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("run_name").GetString()));
        Assert.Equal(["model"], root.GetProperty("params").EnumerateArray().Select(p => p.GetProperty("key").GetString())); // lr is equal
        Assert.Equal(["LGBModel", "XGBModel"], root.GetProperty("params")[0].GetProperty("values").EnumerateArray().Select(v => v.GetString()));
        var loss = root.GetProperty("metrics").EnumerateArray().Single(m => m.GetProperty("key").GetString() == "valid/loss");
        Assert.Equal([0.3, 0.6], loss.GetProperty("values").EnumerateArray().Select(v => v.GetDouble()));
        var correlation = root.GetProperty("prediction_correlation");
        Assert.Equal("pearson", correlation.GetProperty("method").GetString());
        Assert.Equal(600, correlation.GetProperty("common_rows").GetInt32());
        var r = correlation.GetProperty("matrix")[0][1].GetDouble();
        Assert.InRange(r, 0.9, 1.0); // same signal, different noise
        Assert.Equal(r, correlation.GetProperty("matrix")[1][0].GetDouble());

        using var all = Q("compare", _lgb, _xgb, _plain, "--all", "--format", "json", "--method", "spearman").Json();
        Assert.Equal(["lr", "model"], all.RootElement.GetProperty("params").EnumerateArray().Select(p => p.GetProperty("key").GetString()));
        Assert.Equal(JsonValueKind.Null, all.RootElement.GetProperty("prediction_correlation").ValueKind); // plain has no predictions
        var plainLoss = all.RootElement.GetProperty("metrics").EnumerateArray().Single(m => m.GetProperty("key").GetString() == "valid/loss");
        Assert.Equal("NaN", plainLoss.GetProperty("values")[2].GetString());

        var text = Q("compare", _lgb, _xgb);
        Assert.Equal(0, text.ExitCode);
        Assert.Contains("prediction correlation (pearson, 600 common", text.Out);
        Assert.Equal(2, Q("compare", _lgb).ExitCode); // needs two runs
    }

    [Fact]
    public void Compare_History_AlignsTheRunsCurvesByStep_MissingAsNull()
    {
        using var json = Q("compare", _lgb, _xgb, _plain, "--history", "valid/loss", "--format", "json").Json();
        var history = json.RootElement.GetProperty("histories").EnumerateArray().Single();
        Assert.Equal("valid/loss", history.GetProperty("key").GetString());
        Assert.Equal([0L, 1, 2], history.GetProperty("steps").EnumerateArray().Select(s => s.GetInt64()));
        var values = history.GetProperty("values");
        Assert.Equal([0.9, 0.5, 0.3], values[0].EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal(JsonValueKind.Null, values[1][2].ValueKind); // xgb stopped at step 1
        Assert.Equal("NaN", values[2][0].GetString());
        Assert.Equal(JsonValueKind.Null, values[2][1].ValueKind);

        var text = Q("compare", _lgb, _xgb, "--history", "valid/loss");
        Assert.Contains("history of valid/loss by step", text.Out);
        Assert.Matches(@"\n\s+2\s+0\.3\s+-\n", text.Out);
    }

    [Fact]
    public void Export_WritesTheRunsTable_ThatDuckDbReads()
    {
        var file = _temp.Combine("runs.parquet");
        var result = Q("export", "--out", file, "--filter", "params.lr = '0.05'", "--order-by", "metrics.IC DESC");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Wrote 2 run(s)", result.Out);

        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"select run_name, \"params.model\", \"metrics.valid/loss\", \"tags.note\", status from read_parquet('{file}')";
        using var reader = command.ExecuteReader();
        var rows = new List<(string, string, double, string, string)>();
        while (reader.Read()) rows.Add((reader.GetString(0), reader.GetString(1), reader.GetDouble(2), reader.GetString(3), reader.GetString(4)));
        Assert.Equal([("lgb", "LGBModel", 0.3, "<lgb>", "FINISHED"), ("xgb", "XGBModel", 0.6, "<xgb>", "FINISHED")], rows); // IC DESC: 0.3, 0.2

        var bad = Q("export", "--out", _temp.Combine("bad.parquet"), "--filter", "params.lr = 0.05");
        Assert.Equal(2, bad.ExitCode);
        Assert.False(File.Exists(_temp.Combine("bad.parquet")));
        Assert.Equal(2, Q("export").ExitCode); // --out is required
    }
}
