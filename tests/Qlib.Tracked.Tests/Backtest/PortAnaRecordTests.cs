using System.Text.Json;
using Qlib.Tracked.Backtest;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Frames;
using Qlib.Tracked.Records;
using Qlib.Tracked.Tests.Workflow;

namespace Qlib.Tracked.Tests.Backtest;

/// <summary>SignalRecord → PortAnaRecord on a real temp mlruns store, checked against the public fixture.</summary>
public sealed class PortAnaRecordTests : IDisposable
{
    private readonly TempStore _store = new();
    private readonly Recorder _rec;

    public PortAnaRecordTests()
    {
        _rec = _store.Manager().GetExp(experimentName: "port").CreateRecorder("r");
        _rec.StartRun();
    }

    public void Dispose()
    {
        _rec.EndRun(RunStatus.Finished);
        _store.Dispose();
    }

    [Fact]
    public void PortAnaRecord_RunsBacktestFromStoredPred_SavesQlibsArtifacts_LogsQlibsMetrics()
    {
        var (market, pred, config) = BacktestCase.Load("public");
        var port = new PortAnaRecord(_rec, market, config);
        Assert.Null(port.Generate()); // no pred/label yet: skipped, as Qlib does

        var label = new LabelFrame(pred.Datetime, pred.Instrument, new double[pred.RowCount]);
        new SignalRecord(_rec).Generate(pred, label);
        var result = port.Generate();
        Assert.NotNull(result);

        Assert.Equal(
            new[] { PortAnaRecord.IndicatorAnalysisFile, PortAnaRecord.IndicatorsFile, PortAnaRecord.OrdersFile, PortAnaRecord.PortAnalysisFile,
                    PortAnaRecord.PositionsFile, PortAnaRecord.ReportFile }.Select(f => "portfolio_analysis/" + f).Order(StringComparer.Ordinal),
            _rec.ListArtifacts("portfolio_analysis").Order(StringComparer.Ordinal));
        port.Check(includeSelf: true);

        var logged = _rec.ListMetrics();
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(BacktestCase.Root, "public", "metrics.json")));
        var names = doc.RootElement.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(names.Order(StringComparer.Ordinal), logged.Keys.Order(StringComparer.Ordinal));
        foreach (var p in doc.RootElement.EnumerateObject())
            Assert.True(BacktestCase.Close(logged[p.Name], p.Value.GetDouble(), true), $"{p.Name}: {logged[p.Name]:R} vs {p.Value.GetDouble():R}");

        var report = port.Load<BacktestReport>(PortAnaRecord.ReportFile);
        Assert.Equal(result.Backtest.Report.Datetime, report.Datetime);
        foreach (var c in BacktestReport.ColumnNames) Assert.Equal(result.Backtest.Report.Column(c), report.Column(c));
        var positions = port.Load<PositionsFrame>(PortAnaRecord.PositionsFile);
        Assert.Equal(result.Backtest.Positions.Amount, positions.Amount);
        Assert.Equal(result.Backtest.Positions.Instrument, positions.Instrument);
        Assert.Equal(result.Backtest.Positions.CountDay, positions.CountDay);
        var orders = port.Load<OrdersFrame>(PortAnaRecord.OrdersFile);
        Assert.Equal(result.Backtest.Orders.TradeValue, orders.TradeValue);
        Assert.Equal(147, orders.RowCount);
        Assert.Equal(result.Backtest.Indicators.Count, port.Load<IndicatorFrame>(PortAnaRecord.IndicatorsFile).Count);
        var pa = port.Load<RiskAnalysisTable>(PortAnaRecord.PortAnalysisFile);
        Assert.Equal(result.PortAnalysis.Risk, pa.Risk);
        Assert.Equal(["ffr", "pa", "pos"], port.Load<IndicatorAnalysisTable>(PortAnaRecord.IndicatorAnalysisFile).Indicator);

        // skip_existing: a second record with the artifacts present does nothing.
        Assert.Null(new PortAnaRecord(_rec, market, config, skipExisting: true).Generate());
    }
}
