using DuckDB.NET.Data;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Export;
using Qlib.Tracked.Stores;

namespace Qlib.Tracked.Tests.Export;

public sealed class RunsTableExportTests : IDisposable
{
    private static readonly string FixtureRuns = Path.Combine(AppContext.BaseDirectory, "Fixtures", "mlflow-filestore-reference", "mlruns");
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private FileStore Fixture()
    {
        TempDirectory.CopyTree(FixtureRuns, _temp.Combine("mlruns"));
        return new FileStore(_temp.Combine("mlruns"));
    }

    private static string[] ActiveExperiments(ITrackingStore store) => store.SearchExperiments().Select(e => e.ExperimentId).ToArray();

    private static List<object?[]> Query(string sql, out List<(string Name, string Type)> columns)
    {
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        columns = Enumerable.Range(0, reader.FieldCount).Select(i => (reader.GetName(i), reader.GetDataTypeName(i))).ToList();
        var rows = new List<object?[]>();
        while (reader.Read())
            rows.Add(Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? null : reader.GetValue(i)).ToArray());
        return rows;
    }

    [Fact]
    public void FixtureSearch_ExportsSortedColumns_ThatDuckDbReadsWithTypesNullsAndNaN()
    {
        var store = Fixture();
        var file = _temp.Combine("runs.parquet");
        var table = RunsSearch.ExportParquet(store, ActiveExperiments(store), file, orderBy: ["attributes.start_time ASC"]);

        var runs = store.SearchRuns(ActiveExperiments(store), null, ViewType.ActiveOnly, 1000, ["attributes.start_time ASC"], null).Items;
        var rows = Query($"select * from read_parquet('{file}')", out var columns);

        // Column order: info, then sorted params., metrics., tags. keys.
        string[] info = ["run_id", "run_name", "experiment_id", "status", "start_time", "end_time", "lifecycle_stage", "user_id", "artifact_uri"];
        var paramKeys = runs.SelectMany(r => r.Data.Params.Keys).Distinct().Order(StringComparer.Ordinal);
        var metricKeys = runs.SelectMany(r => r.Data.Metrics.Keys).Distinct().Order(StringComparer.Ordinal);
        var tagKeys = runs.SelectMany(r => r.Data.Tags.Keys).Distinct().Order(StringComparer.Ordinal);
        string[] expectedNames = [.. info, .. paramKeys.Select(k => "params." + k), .. metricKeys.Select(k => "metrics." + k), .. tagKeys.Select(k => "tags." + k)];
        Assert.Equal(expectedNames, columns.Select(c => c.Name));
        Assert.Equal(expectedNames, table.ColumnNames);
        Assert.All(columns.Where(c => c.Name.StartsWith("metrics.", StringComparison.Ordinal)), c => Assert.Equal("Double", c.Type));
        Assert.All(columns.Where(c => c.Name.StartsWith("params.", StringComparison.Ordinal) || c.Name.StartsWith("tags.", StringComparison.Ordinal)),
            c => Assert.Equal("Varchar", c.Type));

        // Rows in search order, every cell as the store has it.
        Assert.Equal(runs.Select(r => r.Info.RunName), rows.Select(r => (string)r[1]!));
        int Col(string name) => Array.IndexOf(expectedNames, name);
        for (var i = 0; i < runs.Count; i++)
        {
            var run = runs[i];
            Assert.Equal(run.Info.RunId, rows[i][Col("run_id")]);
            Assert.Equal(run.Info.Status.ToMlflowString(), rows[i][Col("status")]);
            Assert.Equal(run.Info.ArtifactUri, rows[i][Col("artifact_uri")]);
            foreach (var key in paramKeys)
                Assert.Equal(run.Data.Params.GetValueOrDefault(key), rows[i][Col("params." + key)]);
            foreach (var key in tagKeys)
                Assert.Equal(run.Data.Tags.GetValueOrDefault(key), rows[i][Col("tags." + key)]);
            foreach (var key in metricKeys)
            {
                var cell = rows[i][Col("metrics." + key)];
                if (run.Data.Metrics.TryGetValue(key, out var metric)) Assert.Equal(metric.Value, (double)cell!);
                else Assert.Null(cell);
            }
        }

        // Times in milliseconds since the epoch, end_time null for the RUNNING run.
        var times = Query($"select run_name, epoch_ms(start_time), epoch_ms(end_time) from read_parquet('{file}')", out _);
        foreach (var (run, row) in runs.Zip(times))
        {
            Assert.Equal(run.Info.StartTime, Convert.ToInt64(row[1]));
            Assert.Equal(run.Info.EndTime, row[2] is null ? null : Convert.ToInt64(row[2]));
        }
        Assert.Contains(times, row => (string)row[0]! == "alpha-running" && row[2] is null);

        // NaN and infinities survive as doubles; DuckDB can filter on them.
        var edge = Query($"select isnan(\"metrics.nan_metric\"), \"metrics.inf_metric\", \"metrics.neginf_metric\", \"params.empty\", \"tags.multi\" " +
                         $"from read_parquet('{file}') where run_name = 'beta-edge'", out _).Single();
        Assert.Equal(true, edge[0]);
        Assert.Equal(double.PositiveInfinity, edge[1]);
        Assert.Equal(double.NegativeInfinity, edge[2]);
        Assert.Equal("", edge[3]);
        Assert.Equal("line1\nline2", edge[4]);
    }

    [Fact]
    public void OwnReader_ReadsBackExactlyWhatWasWritten()
    {
        var store = Fixture();
        var written = RunsSearch.Table(store, ActiveExperiments(store), viewType: ViewType.All, orderBy: ["metrics.loss DESC"]);
        using var buffer = new MemoryStream();
        RunsTableParquet.Write(written, buffer);
        buffer.Position = 0;

        var read = RunsTableParquet.Read(buffer);

        // deleted_time is not one of the exported columns; everything else of RunInfo is.
        Assert.Equal(written.Runs.Select(r => r with { DeletedTime = null }), read.Runs);
        Assert.Equal(written.ParamKeys, read.ParamKeys);
        Assert.Equal(written.MetricKeys, read.MetricKeys);
        Assert.Equal(written.TagKeys, read.TagKeys);
        for (var k = 0; k < written.ParamKeys.Count; k++) Assert.Equal(written.ParamColumns[k], read.ParamColumns[k]);
        for (var k = 0; k < written.TagKeys.Count; k++) Assert.Equal(written.TagColumns[k], read.TagColumns[k]);
        for (var k = 0; k < written.MetricKeys.Count; k++) Assert.Equal(written.MetricColumns[k], read.MetricColumns[k]); // NaN equals NaN, null stays null
        Assert.Contains(read.Runs, r => r.LifecycleStage == LifecycleStage.Deleted); // the deleted run came through --view all
    }

    [Fact]
    public void ColumnOrder_DependsOnKeysOnly_NotOnRunOrder()
    {
        var store = new FileStore(_temp.Combine("store"));
        var experiment = store.CreateExperiment("order");
        var a = store.CreateRun(experiment, "u", 1, null, "a").Info.RunId;
        var b = store.CreateRun(experiment, "u", 2, null, "b").Info.RunId;
        store.LogBatch(a, [new Metric("zeta", 1, 1, 0)], [new Param("y", "1")], [new RunTag("t2", "x")]);
        store.LogBatch(b, [new Metric("alpha", 2, 1, 0)], [new Param("b", "2")], [new RunTag("t1", "y")]);

        var desc = RunsSearch.Table(store, [experiment], orderBy: ["attributes.start_time DESC"]);
        var asc = RunsSearch.Table(store, [experiment], orderBy: ["attributes.start_time ASC"]);

        Assert.Equal(desc.ColumnNames, asc.ColumnNames);
        Assert.Equal(["params.b", "params.y", "metrics.alpha", "metrics.zeta"], desc.ColumnNames.Skip(9).Take(4));
        Assert.Equal(["b", "a"], desc.Runs.Select(r => r.RunName));
    }

    [Fact]
    public void EmptySearch_WritesAFileWithTheInfoColumnsOnly()
    {
        var store = Fixture();
        var file = _temp.Combine("empty.parquet");
        var table = RunsSearch.ExportParquet(store, ActiveExperiments(store), file, filter: "params.lr = 'no such value'");
        Assert.Equal(0, table.RowCount);
        var rows = Query($"select * from read_parquet('{file}')", out var columns);
        Assert.Empty(rows);
        Assert.Equal(RunsTable.InfoColumnNames, columns.Select(c => c.Name));
    }

    [Fact]
    public void ExportIntoAMissingFolder_IsATypedError_AndAnExistingFileSurvivesAFailedExport()
    {
        var store = Fixture();
        var missing = Assert.Throws<TrackingException>(() => RunsSearch.ExportParquet(store, ActiveExperiments(store), _temp.Combine("nope", "runs.parquet")));
        Assert.Equal(ErrorCode.ResourceDoesNotExist, missing.Code);

        var file = _temp.Combine("keep.parquet");
        File.WriteAllText(file, "old");
        Assert.Throws<TrackingException>(() => RunsSearch.ExportParquet(store, ActiveExperiments(store), file, filter: "metrics.loss < '0.5'"));
        Assert.Equal("old", File.ReadAllText(file));
    }

    [Fact]
    public void Limit_StopsTheSearchAndSaysMoreRunsMatched()
    {
        var store = Fixture();
        var page = RunsSearch.All(store, ActiveExperiments(store), limit: 3);
        Assert.Equal(3, page.Items.Count);
        Assert.NotNull(page.NextPageToken);
        var all = RunsSearch.All(store, ActiveExperiments(store));
        Assert.Equal(all.Items.Take(3).Select(r => r.Info.RunId), page.Items.Select(r => r.Info.RunId));
        Assert.Null(all.NextPageToken);
    }

    [Fact]
    public void Csv_QuotesCommasQuotesAndLineBreaks_AndLeavesMissingEmpty()
    {
        var store = new FileStore(_temp.Combine("csv"));
        var experiment = store.CreateExperiment("csv");
        var a = store.CreateRun(experiment, "u", 2, null, "a,b").Info.RunId;
        var b = store.CreateRun(experiment, "u", 1, null, "plain").Info.RunId;
        store.LogBatch(a, [new Metric("m", double.NegativeInfinity, 1, 0)], [new Param("p", "say \"hi\"")], [new RunTag("t", "x\ny")]);
        store.LogBatch(b, [new Metric("m", 0.1, 1, 0)], [], []);

        var output = new StringWriter();
        RunsTableCsv.Write(RunsSearch.Table(store, [experiment]), output);
        var lines = output.ToString().Split('\n');

        Assert.EndsWith(",params.p,metrics.m,tags.mlflow.runName,tags.t", lines[0]);
        Assert.StartsWith(a + ",\"a,b\"," + experiment + ",RUNNING,2,,active,u,", lines[1]);
        Assert.EndsWith(",\"say \"\"hi\"\"\",-inf,\"a,b\",\"x", lines[1]);
        Assert.Equal("y\"", lines[2]);
        Assert.EndsWith(",,0.1,plain,", lines[3]); // no p, m = 0.1, no t
        Assert.Equal("", lines[4]);
    }
}
