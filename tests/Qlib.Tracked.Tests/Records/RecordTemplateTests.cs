using Qlib.Tracked.Analysis;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Frames;
using Qlib.Tracked.Records;
using Qlib.Tracked.Tests.Workflow;
using static Qlib.Tracked.Tests.Records.QlibVectors;

namespace Qlib.Tracked.Tests.Records;

/// <summary>SignalRecord → SigAnaRecord on a real temp mlruns store.</summary>
public sealed class RecordTemplateTests : IDisposable
{
    private readonly TempStore _store = new();
    private readonly Recorder _rec;

    public RecordTemplateTests()
    {
        _rec = _store.Manager().GetExp(experimentName: "records").CreateRecorder("r");
        _rec.StartRun();
    }

    public void Dispose()
    {
        _rec.EndRun(RunStatus.Finished);
        _store.Dispose();
    }

    private sealed class PanelDataset(PredictionFrame pred, LabelFrame? label) : ILabelSource
    {
        public PredictionFrame Pred { get; } = pred;
        public LabelFrame? GetTestLabel() => label;
    }

    private sealed class EchoModel : IPredictor<PanelDataset>
    {
        public PredictionFrame Predict(PanelDataset input) => input.Pred;
    }

    [Fact]
    public void SignalThenSigAna_LoadsFromParent_WritesItsFolder_LogsQlibsMetrics()
    {
        var (pred, label) = Panel();
        var signal = new SignalRecord(_rec).Generate(new EchoModel(), new PanelDataset(pred, label));
        Assert.Same(label, signal.Label);
        Assert.Contains(RecordArtifacts.Pred, _rec.ListArtifacts());
        Assert.Contains(RecordArtifacts.Label, _rec.ListArtifacts());

        var messages = new List<string>();
        var sigAna = new SigAnaRecord(_rec, anaLongShort: true) { Log = messages.Add };
        Assert.Equal("sig_analysis/ic.parquet", sigAna.GetPath(RecordArtifacts.IcFile));
        // pred/label are not in sig_analysis/: Load falls back to SignalRecord's root artifacts.
        Assert.Equal(pred.Score, sigAna.Load<PredictionFrame>(RecordArtifacts.Pred).Score);
        Assert.Throws<TrackingException>(() => sigAna.Load<PredictionFrame>(RecordArtifacts.Pred, parents: false));

        var result = sigAna.Generate();
        Assert.NotNull(result);
        Assert.Equal(
            [RecordArtifacts.SigAnalysisIc, RecordArtifacts.SigAnalysisLongAvgReturn, RecordArtifacts.SigAnalysisLongShortReturn, RecordArtifacts.SigAnalysisRankIc],
            _rec.ListArtifacts(RecordArtifacts.SigAnalysisPath).Order(StringComparer.Ordinal));
        sigAna.Check(includeSelf: true);

        var logged = _rec.ListMetrics();
        foreach (var (key, value) in ReadMetrics("expected_sig_ana_metrics.json")) Close(value, logged[key], key);
        Assert.Equal(8, logged.Count);

        var ic = _rec.LoadObject<DateSeries>(RecordArtifacts.SigAnalysisIc);
        Assert.Equal(result.Ic.Datetime, ic.Datetime);
        Assert.Equal(result.Ic.Value, ic.Value);
        Assert.Equal(result.LongShort!.LongShort.Value, _rec.LoadObject<DateSeries>(RecordArtifacts.SigAnalysisLongShortReturn).Value);
        Assert.Equal(result.LongShort.LongAverage.Value, _rec.LoadObject<DateSeries>(RecordArtifacts.SigAnalysisLongAvgReturn).Value);
        Assert.Equal(result.RankIc.Value, _rec.LoadObject<DateSeries>(RecordArtifacts.SigAnalysisRankIc).Value);
        Assert.Contains(messages, m => m.Contains("'Rank ICIR'", StringComparison.Ordinal));
    }

    [Fact]
    public void SigAna_SkipExisting_SkipsWhenItsArtifactsExist()
    {
        var (pred, label) = Panel();
        new SignalRecord(_rec).Generate(pred, label);
        Assert.NotNull(new SigAnaRecord(_rec).Generate());
        var before = File.GetLastWriteTimeUtc(Path.Combine(_rec.GetLocalDir(), "artifacts", "sig_analysis", "ic.parquet"));

        var messages = new List<string>();
        Assert.Null(new SigAnaRecord(_rec, skipExisting: true) { Log = messages.Add }.Generate());
        Assert.Contains("The results has previously generated, Generation skipped.", messages);
        Assert.Equal(before, File.GetLastWriteTimeUtc(Path.Combine(_rec.GetLocalDir(), "artifacts", "sig_analysis", "ic.parquet")));

        // With long-short the template lists two more files, which are missing: not skipped.
        Assert.NotNull(new SigAnaRecord(_rec, anaLongShort: true, skipExisting: true).Generate());
        Assert.Contains(RecordArtifacts.SigAnalysisLongShortReturn, _rec.ListArtifacts(RecordArtifacts.SigAnalysisPath));
    }

    [Fact]
    public void SigAna_MissingDependency_SkipsWithWarning_SavesNothing()
    {
        var (pred, _) = Panel();
        new SignalRecord(_rec).Generate(pred, label: null); // no label.parquet
        var sigAna = new SigAnaRecord(_rec) { Log = _ => { } };
        var e = Assert.Throws<FileNotFoundException>(() => sigAna.Check());
        Assert.Contains("label.parquet", e.Message);
        Assert.Null(sigAna.Generate());
        Assert.Empty(_rec.ListArtifacts(RecordArtifacts.SigAnalysisPath));
        Assert.Empty(_rec.ListMetrics());
    }

    [Fact]
    public void SigAna_EmptyLabel_WarnsAndSavesNothing_LabelOverrideIsUsed()
    {
        var (pred, label) = Panel();
        // A dataset whose raw label is unavailable stores an empty label (Qlib stores None).
        new SignalRecord(_rec) { Log = _ => { } }.Generate(new EchoModel(), new PanelDataset(pred, null));
        var messages = new List<string>();
        var sigAna = new SigAnaRecord(_rec) { Log = messages.Add };
        Assert.Null(sigAna.Generate());
        Assert.Contains("Empty label.", messages);
        Assert.Empty(_rec.ListMetrics());

        var result = sigAna.Generate(label);
        Assert.NotNull(result);
        Close(ReadMetrics("expected_sig_ana_metrics.json")[0].Value, _rec.ListMetrics()[RecordMetrics.IC], "IC");
    }

    [Fact]
    public void Templates_WithoutRecorder_FailClearly()
    {
        var e = Assert.Throws<TrackingException>(() => new SigAnaRecord(null).Generate());
        Assert.Equal(ErrorCode.InvalidState, e.Code);
        Assert.Contains("SigAnaRecord has no recorder", e.Message);
    }

    [Fact]
    public void Layouts_MatchQlibsPaths()
    {
        Assert.Equal([RecordArtifacts.Pred, RecordArtifacts.Label], new SignalRecord(null).List());
        Assert.Equal("pred.parquet", new SignalRecord(null).GetPath(RecordArtifacts.Pred));
        Assert.Equal(["ic.parquet", "ric.parquet"], new SigAnaRecord(null).List());
        Assert.Equal(["ic.parquet", "ric.parquet", "long_short_r.parquet", "long_avg_r.parquet"], new SigAnaRecord(null, anaLongShort: true).List());
        Assert.Equal("sig_analysis", new SigAnaRecord(null).GetPath());
        Assert.Same(SignalRecord.SignalLayout, new SigAnaRecord(null).Layout.DependsOn);
    }

    [Fact]
    public void Frames_RoundTripAsParquet_ThroughTheRecorder()
    {
        var label = new LabelFrame([new DateTime(2021, 1, 4), new DateTime(2021, 1, 4)], ["SH600000", "SH600001"], [0.01, double.NaN]);
        _rec.SaveObject("label.parquet", label);
        var back = _rec.LoadObject<LabelFrame>("label.parquet");
        Assert.Equal(label.Instrument, back.Instrument);
        Assert.Equal(label.Label, back.Label);
        Assert.Equal(label.Datetime, back.Datetime);

        var report = QlibVectorTests.Report();
        var table = PortfolioAnalysis.ExcessReturnAnalysis(report.Return, report.Bench, report.Cost);
        _rec.SaveObject("port_analysis_1day.parquet", table, RecordArtifacts.PortfolioAnalysisPath);
        var risk = _rec.LoadObject<RiskAnalysisTable>("portfolio_analysis/port_analysis_1day.parquet");
        Assert.Equal(table.Series, risk.Series);
        Assert.Equal(table.Metric, risk.Metric);
        Assert.Equal(table.Risk, risk.Risk);
        // A label frame is not a prediction frame.
        Assert.ThrowsAny<TrackingException>(() => _rec.LoadObject<PredictionFrame>("label.parquet"));
    }
}
