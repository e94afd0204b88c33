using Qlib.Tracked.Frames;
using Qlib.Tracked.Records;

namespace Qlib.Tracked.IntegrationTests;

/// <summary>A small panel: predictions are a fixed function of the day and instrument, labels follow them.</summary>
public sealed class PlanDataset : ILabelSource
{
    public static readonly string[] Instruments = ["SH600000", "SH600001", "SH600002", "SH600003"];
    public static readonly DateTime[] Days = [new(2020, 1, 2), new(2020, 1, 3), new(2020, 1, 6)];

    public LabelFrame? GetTestLabel()
    {
        var (days, codes) = Grid();
        // Rank-identical to the predictions on two days, reversed on the last: IC is (1 + 1 - 1) / 3.
        var label = days.Select((d, i) => d == Days[^1] ? -(i % Instruments.Length) : (double)(i % Instruments.Length)).ToArray();
        return new LabelFrame(days, codes, label);
    }

    public static (DateTime[] Days, string[] Codes) Grid() =>
        (Days.SelectMany(d => Instruments.Select(_ => d)).ToArray(), Days.SelectMany(_ => Instruments).ToArray());
}

/// <summary>Declares its record templates in an order that cannot run (analysis first); the generator's plan fixes it.</summary>
[Tracked(Name = "it_planned", Experiment = "it_planned")]
[Record(typeof(SigAnaRecord))]
[Record(typeof(SignalRecord))]
public partial class PlannedModel
{
    [Param] public double Scale { get; init; } = 2;

    [Predict]
    public PredictionFrame Predict(PlanDataset data)
    {
        var (days, codes) = PlanDataset.Grid();
        return new PredictionFrame(days, codes, days.Select((_, i) => Scale * (i % PlanDataset.Instruments.Length)).ToArray());
    }
}

[Collection("ambient R")]
public sealed class RecordPlanTests
{
    [Fact]
    public void Schema_RecordTemplates_ListsTheDeclaredTemplatesDependencyFirst()
    {
        Assert.Equal([typeof(SignalRecord), typeof(SigAnaRecord)], PlannedModel.Schema.RecordTemplates);
        Assert.Empty(FullModel.Schema.RecordTemplates);
    }

    [Fact]
    public void Schema_RecordTemplates_RunInPlanOrder_OnARealStore_ProduceTheAnalysis()
    {
        using var store = new TempStore();
        var model = new PlannedModel();
        var data = new PlanDataset();
        string? runId = null;
        Qlib.Tracked.Analysis.SignalAnalysisResult? analysis = null;
        R.Run(exp =>
        {
            var recorder = exp.ActiveRecorder!;
            // Declaration order would run the analysis first, and Qlib's auto-check skips it: no pred yet.
            Assert.Null(new SigAnaRecord(recorder).Generate());
            foreach (var template in PlannedModel.Schema.RecordTemplates)
            {
                if (template == typeof(SignalRecord)) new SignalRecord(recorder).Generate(model, data);
                else if (template == typeof(SigAnaRecord)) analysis = new SigAnaRecord(recorder).Generate();
                else Assert.Fail("unexpected template " + template);
            }
            runId = recorder.Id;
        }, experimentName: PlannedModel.Schema.Experiment, uri: store.Uri);

        Assert.NotNull(analysis);
        using var _ = R.UriContext(store.Uri);
        var metrics = R.GetRecorder(recorderId: runId, experimentName: PlannedModel.Schema.Experiment).ListMetrics();
        Assert.Equal(1.0 / 3.0, metrics[RecordMetrics.IC], 12);
    }
}
