using DuckDB.NET.Data;
using Qlib.Tracked.Analysis;
using Qlib.Tracked.Backtest;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Frames;
using Qlib.Tracked.Records;
using Qlib.Tracked.Tests.Backtest;
using Qlib.Tracked.Tests.Workflow;

namespace Qlib.Tracked.Tests.Records;

/// <summary>
/// Every Parquet frame the record templates save, read back by DuckDB (an independent Parquet reader, as pandas
/// users' tools are) from a real run: SignalRecord → SigAnaRecord (long-short) → PortAnaRecord → MultiPassPortAnaRecord
/// on the public backtest fixture. Each file must have the column names and types a pandas user expects
/// (<c>datetime</c> TIMESTAMP, <c>instrument</c> VARCHAR, floats DOUBLE, counts INTEGER) and exactly the values the
/// template returned.
/// </summary>
public sealed class DuckDbFrameTests : IDisposable
{
    private readonly TempStore _store = new();
    private readonly Recorder _rec;
    private readonly DuckDBConnection _db = new("Data Source=:memory:");

    private readonly PredictionFrame _pred;
    private readonly LabelFrame _label;
    private readonly SignalAnalysisResult _sig;
    private readonly PortAnaResult _port;
    private readonly MultiPassPortAnaResult _multi;

    public DuckDbFrameTests()
    {
        _rec = _store.Manager().GetExp(experimentName: "duckdb").CreateRecorder("r");
        _rec.StartRun();
        _db.Open();

        var (market, pred, config) = BacktestCase.Load("public");
        _pred = pred;
        _label = SomeLabels(pred);
        new SignalRecord(_rec).Generate(_pred, _label);
        _sig = new SigAnaRecord(_rec, anaLongShort: true).Generate() ?? throw new InvalidOperationException("SigAnaRecord skipped");
        _port = new PortAnaRecord(_rec, market, config).Generate() ?? throw new InvalidOperationException("PortAnaRecord skipped");
        _multi = new MultiPassPortAnaRecord(_rec, market, passNum: 3, seed: 11, config: config).Generate()
                 ?? throw new InvalidOperationException("MultiPassPortAnaRecord skipped");
    }

    public void Dispose()
    {
        _db.Dispose();
        _rec.EndRun(RunStatus.Finished);
        _store.Dispose();
    }

    /// <summary>A label that depends on the score (so IC is not noise), with NaNs and a date-varying slope.</summary>
    private static LabelFrame SomeLabels(PredictionFrame pred)
    {
        var label = new double[pred.RowCount];
        for (var i = 0; i < label.Length; i++)
        {
            var wobble = Math.Sin(i * 0.7) * 0.01;
            label[i] = i % 13 == 5 ? double.NaN : 0.002 * pred.Score[i] * (1 + pred.Datetime[i].Day % 3) + wobble;
        }
        return new LabelFrame(pred.Datetime, pred.Instrument, label);
    }

    [Fact]
    public void Prediction_And_Label_HaveDatetimeInstrumentKeys()
    {
        Assert.Equal([("datetime", "TIMESTAMP"), ("instrument", "VARCHAR"), ("score", "DOUBLE")], Describe(RecordArtifacts.Pred));
        Assert.Equal([("datetime", "TIMESTAMP"), ("instrument", "VARCHAR"), ("label", "DOUBLE")], Describe(RecordArtifacts.Label));

        var pred = Query(RecordArtifacts.Pred, "select datetime, instrument, score from t");
        Assert.Equal(_pred.Datetime, pred.Select(r => (DateTime)r[0]));
        Assert.Equal(_pred.Instrument, pred.Select(r => (string)r[1]));
        Assert.Equal(_pred.Score, pred.Select(r => (double)r[2]));
        var label = Query(RecordArtifacts.Label, "select datetime, instrument, label from t");
        Assert.Equal(_label.Datetime, label.Select(r => (DateTime)r[0]));
        Assert.Equal(_label.Instrument, label.Select(r => (string)r[1]));
        Assert.Equal(_label.Label, label.Select(r => (double)r[2])); // NaN read back as NaN

        // Filters on datetime are answered from the column statistics, which must hold real timestamps.
        var last = _pred.Datetime[^1];
        var filtered = Query(RecordArtifacts.Pred, $"select count(*) from t where datetime = timestamp '{last:yyyy-MM-dd HH:mm:ss}'");
        Assert.Equal(_pred.Datetime.Count(d => d == last), Convert.ToInt32(filtered[0][0]));
    }

    [Fact]
    public void SignalSeries_AreDatetimeValueSeries_AndIcMatchesDuckDbsOwnCorrelation()
    {
        (string File, DateSeries Expected)[] series =
        [
            (RecordArtifacts.SigAnalysisIc, _sig.Ic),
            (RecordArtifacts.SigAnalysisRankIc, _sig.RankIc),
            (RecordArtifacts.SigAnalysisLongShortReturn, _sig.LongShort!.LongShort),
            (RecordArtifacts.SigAnalysisLongAvgReturn, _sig.LongShort!.LongAverage),
        ];
        foreach (var (file, expected) in series)
        {
            Assert.Equal([("datetime", "TIMESTAMP"), ("value", "DOUBLE")], Describe(file));
            var rows = Query(file, "select datetime, value from t");
            Assert.Equal(expected.Datetime, rows.Select(r => (DateTime)r[0]));
            Assert.Equal(expected.Value, rows.Select(r => (double)r[1]));
        }

        // A pandas/DuckDB user joins pred and label on (datetime, instrument) and correlates per date: the same IC.
        using var command = _db.CreateCommand();
        command.CommandText =
            $"select datetime, corr(p.score, l.label) from read_parquet('{Path(RecordArtifacts.Pred)}') p " +
            $"join read_parquet('{Path(RecordArtifacts.Label)}') l using (datetime, instrument) " +
            "where not isnan(p.score) and not isnan(l.label) group by datetime order by datetime";
        var perDate = new List<(DateTime, double)>();
        using (var reader = command.ExecuteReader())
            while (reader.Read()) perDate.Add((reader.GetDateTime(0), reader.IsDBNull(1) ? double.NaN : reader.GetDouble(1)));
        Assert.Equal(_sig.Ic.RowCount, perDate.Count);
        for (var i = 0; i < perDate.Count; i++)
        {
            Assert.Equal(_sig.Ic.Datetime[i], perDate[i].Item1);
            var (e, a) = (_sig.Ic.Value[i], perDate[i].Item2);
            Assert.True(Math.Abs(a - e) <= 1e-10 + 1e-9 * Math.Abs(e), $"IC on {perDate[i].Item1:yyyy-MM-dd}: DuckDB {a:R}, template {e:R}");
        }
    }

    [Fact]
    public void Report_HasQlibsColumnsInOrder()
    {
        var file = Port(PortAnaRecord.ReportFile);
        Assert.Equal(
            [("datetime", "TIMESTAMP"), .. BacktestReport.ColumnNames.Select(c => (c, "DOUBLE"))],
            Describe(file));
        var expected = _port.Backtest.Report;
        var rows = Query(file, "select * from t");
        Assert.Equal(expected.Datetime, rows.Select(r => (DateTime)r[0]));
        for (var c = 0; c < BacktestReport.ColumnNames.Length; c++)
            Assert.Equal(expected.Column(BacktestReport.ColumnNames[c]), rows.Select(r => (double)r[c + 1]));
        Assert.True(expected.RowCount > 10);
    }

    [Fact]
    public void Positions_AreOneRowPerDatetimeInstrument()
    {
        var file = Port(PortAnaRecord.PositionsFile);
        Assert.Equal(
            [("datetime", "TIMESTAMP"), ("instrument", "VARCHAR"), ("amount", "DOUBLE"), ("price", "DOUBLE"), ("weight", "DOUBLE"), ("count_day", "INTEGER")],
            Describe(file));
        var expected = _port.Backtest.Positions;
        var rows = Query(file, "select * from t");
        Assert.Equal(expected.Datetime, rows.Select(r => (DateTime)r[0]));
        Assert.Equal(expected.Instrument, rows.Select(r => (string)r[1]));
        Assert.Equal(expected.Amount, rows.Select(r => (double)r[2]));
        Assert.Equal(expected.Price, rows.Select(r => (double)r[3]));
        Assert.Equal(expected.Weight, rows.Select(r => (double)r[4]));
        Assert.Equal(expected.CountDay, rows.Select(r => (int)r[5]));
        // (datetime, instrument) is a key, as in Qlib's {Timestamp: Position} dict.
        Assert.Equal(expected.RowCount, Convert.ToInt32(Query(file, "select count(distinct (datetime, instrument)) from t")[0][0]));
    }

    [Fact]
    public void Indicators_And_Orders_KeepTheirColumns()
    {
        var indicators = Port(PortAnaRecord.IndicatorsFile);
        Assert.Equal(
            [("datetime", "TIMESTAMP"), ("ffr", "DOUBLE"), ("pa", "DOUBLE"), ("pos", "DOUBLE"), ("deal_amount", "DOUBLE"), ("value", "DOUBLE"), ("count", "INTEGER")],
            Describe(indicators));
        var ind = _port.Backtest.Indicators;
        var rows = Query(indicators, "select * from t");
        Assert.Equal(ind.Datetime, rows.Select(r => (DateTime)r[0]));
        Assert.Equal(ind.Ffr, rows.Select(r => (double)r[1])); // the first day has no orders: NaN
        Assert.Equal(ind.Pa, rows.Select(r => (double)r[2]));
        Assert.Equal(ind.Pos, rows.Select(r => (double)r[3]));
        Assert.Equal(ind.DealAmount, rows.Select(r => (double)r[4]));
        Assert.Equal(ind.Value, rows.Select(r => (double)r[5]));
        Assert.Equal(ind.Count, rows.Select(r => (int)r[6]));

        var orders = Port(PortAnaRecord.OrdersFile);
        Assert.Equal(
            [("datetime", "TIMESTAMP"), ("seq", "INTEGER"), ("instrument", "VARCHAR"), ("amount", "DOUBLE"), ("deal_amount", "DOUBLE"),
             ("trade_price", "DOUBLE"), ("trade_value", "DOUBLE"), ("trade_cost", "DOUBLE"), ("trade_dir", "INTEGER"), ("ffr", "DOUBLE"), ("pa", "DOUBLE")],
            Describe(orders));
        var o = _port.Backtest.Orders;
        var orderRows = Query(orders, "select datetime, instrument, trade_value, trade_cost, trade_dir from t");
        Assert.Equal(o.Datetime, orderRows.Select(r => (DateTime)r[0]));
        Assert.Equal(o.Instrument, orderRows.Select(r => (string)r[1]));
        Assert.Equal(o.TradeValue, orderRows.Select(r => (double)r[2]));
        Assert.Equal(o.TradeCost, orderRows.Select(r => (double)r[3]));
        Assert.Equal(o.TradeDir, orderRows.Select(r => (int)r[4]));
        // The day's order count in the indicator file is the number of order rows of that day.
        var perDay = Query(orders, "select datetime, count(*) from t group by datetime order by datetime");
        foreach (var r in perDay)
            Assert.Equal(ind.Count[Array.IndexOf(ind.Datetime, (DateTime)r[0])], Convert.ToInt32(r[1]));
    }

    [Fact]
    public void AnalysisTables_AreLongFormWithNamedRows()
    {
        var port = Port(PortAnaRecord.PortAnalysisFile);
        Assert.Equal([("series", "VARCHAR"), ("metric", "VARCHAR"), ("risk", "DOUBLE")], Describe(port));
        var risk = Query(port, "select * from t");
        Assert.Equal(_port.PortAnalysis.Series, risk.Select(r => (string)r[0]));
        Assert.Equal(_port.PortAnalysis.Metric, risk.Select(r => (string)r[1]));
        Assert.Equal(_port.PortAnalysis.Risk, risk.Select(r => (double)r[2]));
        // What a pandas user filters for (analysis_df.loc[("excess_return_with_cost", "annualized_return")]):
        var logged = _port.Metrics.Single(m => m.Key == "1day.excess_return_with_cost.annualized_return").Value;
        Assert.Equal(logged, (double)Query(port, "select risk from t where series = 'excess_return_with_cost' and metric = 'annualized_return'")[0][0]);

        var indicator = Port(PortAnaRecord.IndicatorAnalysisFile);
        Assert.Equal([("indicator", "VARCHAR"), ("value", "DOUBLE")], Describe(indicator));
        var ia = Query(indicator, "select * from t");
        Assert.Equal(["ffr", "pa", "pos"], ia.Select(r => (string)r[0]));
        Assert.Equal(_port.IndicatorAnalysis.Value, ia.Select(r => (double)r[1]));

        var multi = Port(MultiPassPortAnaRecord.MultiPassPortAnalysisFile);
        Assert.Equal([("series", "VARCHAR"), ("metric", "VARCHAR"), ("mean", "DOUBLE"), ("std", "DOUBLE"), ("mean_std", "DOUBLE")], Describe(multi));
        var m = Query(multi, "select * from t");
        Assert.Equal(_multi.Analysis.Series, m.Select(r => (string)r[0]));
        Assert.Equal(_multi.Analysis.Metric, m.Select(r => (string)r[1]));
        Assert.Equal(_multi.Analysis.Mean, m.Select(r => (double)r[2]));
        Assert.Equal(_multi.Analysis.Std, m.Select(r => (double)r[3]));
        Assert.Equal(_multi.Analysis.MeanStd, m.Select(r => (double)r[4]));
    }

    private static string Port(string file) => RecordArtifacts.PortfolioAnalysisPath + "/" + file;

    private string Path(string artifact) => _rec.DownloadArtifact(artifact).Replace("'", "''");

    private List<(string Name, string Type)> Describe(string artifact)
    {
        using var command = _db.CreateCommand();
        command.CommandText = $"select column_name, column_type from (describe select * from read_parquet('{Path(artifact)}'))";
        var columns = new List<(string, string)>();
        using var reader = command.ExecuteReader();
        while (reader.Read()) columns.Add((reader.GetString(0), reader.GetString(1)));
        return columns;
    }

    /// <summary>Runs <paramref name="sql"/> with <c>t</c> bound to the artifact, in file order.</summary>
    private List<object[]> Query(string artifact, string sql)
    {
        using var command = _db.CreateCommand();
        command.CommandText = $"with t as (select * from read_parquet('{Path(artifact)}')) {sql}";
        var rows = new List<object[]>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var row = new object[reader.FieldCount];
            reader.GetValues(row);
            rows.Add(row);
        }
        return rows;
    }
}
