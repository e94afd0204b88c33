using DuckDB.NET.Data;

namespace Qlib.Tracked.Cli.Tests;

/// <summary><c>runs --format csv</c> and <c>export --out FILE.csv</c>, read back by DuckDB's CSV reader.</summary>
public sealed class CsvOutputTests : IDisposable
{
    private readonly TempStore _store = new(copyFixture: true);

    public void Dispose() => _store.Dispose();

    private static List<Dictionary<string, string?>> ReadCsv(string file)
    {
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"select * from read_csv('{file}', header = true, all_varchar = true, quote = '\"', escape = '\"')";
        using var reader = command.ExecuteReader();
        var rows = new List<Dictionary<string, string?>>();
        while (reader.Read())
            rows.Add(Enumerable.Range(0, reader.FieldCount).ToDictionary(reader.GetName, i => reader.IsDBNull(i) ? null : reader.GetString(i)));
        return rows;
    }

    [Fact]
    public void RunsCsv_HasTheExportColumns_AndQuotesMultiLineAndUnicodeValues()
    {
        var result = CliRunner.Run("runs", "--store", _store.Store, "--format", "csv", "--order-by", "attributes.start_time ASC");
        Assert.Equal(0, result.ExitCode);
        var file = _store.Combine("runs.csv");
        File.WriteAllText(file, result.Out);

        var rows = ReadCsv(file);
        Assert.Equal(["default-run", "alpha-lgb", "alpha-xgb", "alpha-failed", "alpha-running", "alpha-child", "beta-edge", "beta-plain"],
            rows.Select(r => r["run_name"]));
        var header = result.Out[..result.Out.IndexOf('\n')].Split(',');
        Assert.Equal(["run_id", "run_name", "experiment_id", "status", "start_time", "end_time", "lifecycle_stage", "user_id", "artifact_uri"], header.Take(9));
        Assert.Equal(header.Skip(9).Where(h => h.StartsWith("params.", StringComparison.Ordinal)).Order(StringComparer.Ordinal),
            header.Skip(9).Where(h => h.StartsWith("params.", StringComparison.Ordinal)));

        var edge = rows.Single(r => r["run_name"] == "beta-edge");
        Assert.Equal("line1\nline2", edge["tags.multi"]);
        Assert.Equal("späce and ünïcode", edge["params.desc"]);
        Assert.Equal("NaN", edge["metrics.nan_metric"]);
        Assert.Equal("inf", edge["metrics.inf_metric"]);
        Assert.Equal("-inf", edge["metrics.neginf_metric"]);
        Assert.Equal("1700000000500", edge["start_time"]);
        var running = rows.Single(r => r["run_name"] == "alpha-running");
        Assert.Null(running["end_time"]);
        Assert.Null(running["metrics.loss"]);
    }

    [Fact]
    public void ExportCsv_ByExtension_WritesTheSameTable()
    {
        var file = _store.Combine("export.csv");
        var result = CliRunner.Run("export", "--store", _store.Store, "--out", file, "--filter", "metrics.loss < 0.5", "--order-by", "metrics.loss ASC");
        Assert.Equal(0, result.ExitCode);
        var rows = ReadCsv(file);
        Assert.Equal(["alpha-lgb", "alpha-child", "alpha-xgb", "beta-plain"], rows.Select(r => r["run_name"]));
        Assert.Equal(["0.05", "0.3", "0.4", "0.45"], rows.Select(r => r["metrics.loss"]));
        Assert.StartsWith("PAR1", File.ReadAllText(ExportParquet()));

        string ExportParquet()
        {
            var parquet = _store.Combine("export.data");
            Assert.Equal(0, CliRunner.Run("export", "--store", _store.Store, "--out", parquet).ExitCode);
            return parquet;
        }
    }
}
