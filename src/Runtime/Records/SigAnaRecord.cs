using Qlib.Tracked.Analysis;
using Qlib.Tracked.Formats.Python;
using Qlib.Tracked.Frames;

namespace Qlib.Tracked.Records;

/// <summary>
/// Qlib's <c>SigAnaRecord(recorder, ana_long_short=False, ann_scaler=252, skip_existing=False)</c>
/// (qlib-semantics §3.3): reads <c>pred.parquet</c> and <c>label.parquet</c> (its own folder first, then
/// SignalRecord's), computes <see cref="SignalAnalysis.Analyze(PredictionFrame, LabelFrame, bool, double)"/>,
/// logs <c>IC</c>, <c>ICIR</c>, <c>Rank IC</c>, <c>Rank ICIR</c> (and the four long-short metrics), and
/// stores <c>sig_analysis/ic.parquet</c>, <c>ric.parquet</c> (and <c>long_short_r.parquet</c>,
/// <c>long_avg_r.parquet</c>). Qlib's <c>label_col</c> has no counterpart: a <see cref="LabelFrame"/> has one label.
/// Not thread-safe: use one template per thread.
/// </summary>
[DependsOnRecord(typeof(SignalRecord))]
public sealed class SigAnaRecord : AutoCheckRecordTemplate<SignalAnalysisResult>
{
    private LabelFrame? _label;

    /// <summary>Creates the record for <paramref name="recorder"/>'s run.</summary>
    /// <param name="recorder">The run holding SignalRecord's artifacts; null defers the error to first use.</param>
    /// <param name="anaLongShort">Also compute and store the long-short and long-average return series (Qlib's <c>ana_long_short</c>).</param>
    /// <param name="annScaler">Periods per year used to annualize the long-short metrics (252 trading days for daily data).</param>
    /// <param name="skipExisting">Skip when this record's artifacts already exist.</param>
    public SigAnaRecord(Recorder? recorder, bool anaLongShort = false, double annScaler = SignalAnalysis.DefaultAnnScaler, bool skipExisting = false)
        : base(recorder, skipExisting)
    {
        AnaLongShort = anaLongShort;
        AnnScaler = annScaler;
        Layout = new RecordLayout(RecordArtifacts.SigAnalysisPath,
            anaLongShort
                ? [RecordArtifacts.IcFile, RecordArtifacts.RankIcFile, RecordArtifacts.LongShortReturnFile, RecordArtifacts.LongAvgReturnFile]
                : [RecordArtifacts.IcFile, RecordArtifacts.RankIcFile],
            SignalRecord.SignalLayout);
    }

    /// <summary>Whether the long-short analysis is computed and stored (Qlib's <c>ana_long_short</c>).</summary>
    public bool AnaLongShort { get; }
    /// <summary>Periods per year used to annualize the long-short metrics (Qlib's <c>ann_scaler</c>).</summary>
    public double AnnScaler { get; }
    /// <inheritdoc/>
    public override RecordLayout Layout { get; }

    /// <summary>Qlib's <c>generate(label=...)</c>: analyses against <paramref name="label"/> instead of the stored <c>label.parquet</c>.</summary>
    public SignalAnalysisResult? Generate(LabelFrame label)
    {
        ArgumentNullException.ThrowIfNull(label);
        _label = label;
        try
        {
            return Generate();
        }
        finally
        {
            _label = null;
        }
    }

    /// <inheritdoc/>
    protected override SignalAnalysisResult? GenerateCore()
    {
        var pred = Load<PredictionFrame>(RecordArtifacts.Pred);
        var label = _label ?? Load<LabelFrame>(RecordArtifacts.Label);
        if (label.RowCount == 0)
        {
            Info("Empty label.");
            return null;
        }
        var result = SignalAnalysis.Analyze(pred, label, AnaLongShort, AnnScaler);
        var metrics = new (string Key, double Value)[result.Metrics.Count];
        for (var i = 0; i < metrics.Length; i++) metrics[i] = (result.Metrics[i].Key, result.Metrics[i].Value);
        Recorder.LogMetrics(metrics);
        Info("{" + string.Join(", ", metrics.Select(m => $"'{m.Key}': {PythonFloat.ToString(m.Value)}")) + "}");
        return result;
    }

    /// <inheritdoc/>
    protected override void SaveResult(SignalAnalysisResult result)
    {
        Save(RecordArtifacts.IcFile, result.Ic);
        Save(RecordArtifacts.RankIcFile, result.RankIc);
        if (result.LongShort is { } ls)
        {
            Save(RecordArtifacts.LongShortReturnFile, ls.LongShort);
            Save(RecordArtifacts.LongAvgReturnFile, ls.LongAverage);
        }
    }
}
