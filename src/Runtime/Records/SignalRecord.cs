using Qlib.Tracked.Frames;

namespace Qlib.Tracked.Records;

/// <summary>
/// A dataset that can give the raw test label, as Qlib's <c>DatasetH.prepare("test", col_set="label",
/// data_key=DK_R)</c> does. SignalRecord stores <c>label.parquet</c> only for such datasets.
/// Implementations decide their own thread safety; SignalRecord calls it once per generation.
/// </summary>
public interface ILabelSource
{
    /// <summary>The raw test labels, sorted by (datetime, instrument); null when they are not available (Qlib's <c>drop_raw</c>).</summary>
    LabelFrame? GetTestLabel();
}

/// <summary>What SignalRecord stored. Immutable record; the frames it holds are shared, not copied.</summary>
/// <param name="Pred">The predictions stored as <c>pred.parquet</c>.</param>
/// <param name="Label">The label frame stored, or null when the dataset gives no labels (no <c>label.parquet</c>).</param>
public sealed record SignalRecordResult(PredictionFrame Pred, LabelFrame? Label);

/// <summary>
/// Qlib's <c>SignalRecord</c> (qlib-semantics §3.2): the model's predictions as <c>pred.parquet</c> and the
/// dataset's raw test label as <c>label.parquet</c>, at the artifact root.
/// Not thread-safe: use one template per thread.
/// </summary>
public sealed class SignalRecord : RecordTemplate
{
    /// <summary>Creates the record for <paramref name="recorder"/>'s run (null defers the error to first use).</summary>
    public SignalRecord(Recorder? recorder) : base(recorder)
    {
    }

    /// <summary>Root folder; <c>pred.parquet</c> and <c>label.parquet</c>; no dependency.</summary>
    public static RecordLayout SignalLayout { get; } = new(null, [RecordArtifacts.Pred, RecordArtifacts.Label]);

    /// <inheritdoc/>
    public override RecordLayout Layout => SignalLayout;

    /// <summary>
    /// <c>model.predict(dataset)</c> through the model's <see cref="IPredictor{TInput}"/> (which the generator
    /// implements for a <c>[Tracked]</c> type with a <c>[Predict]</c> method), then stores it; when
    /// <paramref name="dataset"/> is an <see cref="ILabelSource"/>, stores its test label too.
    /// </summary>
    public SignalRecordResult Generate<TInput>(IPredictor<TInput> model, TInput dataset)
    {
        ArgumentNullException.ThrowIfNull(model);
        var pred = model.Predict(dataset) ?? throw TrackingException.InvalidState("The model's Predict returned null.");
        if (dataset is not ILabelSource source) return Generate(pred, label: null, storeLabel: false);
        var label = source.GetTestLabel();
        if (label is null) Info("The dataset gives no raw test label; an empty label.parquet is stored (Qlib stores None).");
        return Generate(pred, label ?? LabelFrame.Empty, storeLabel: true);
    }

    /// <summary>Stores predictions made elsewhere, and <paramref name="label"/> when given.</summary>
    public SignalRecordResult Generate(PredictionFrame pred, LabelFrame? label) => Generate(pred, label, storeLabel: label is not null);

    private SignalRecordResult Generate(PredictionFrame pred, LabelFrame? label, bool storeLabel)
    {
        ArgumentNullException.ThrowIfNull(pred);
        Save(RecordArtifacts.Pred, pred);
        Info($"Signal record '{RecordArtifacts.Pred}' has been saved as the artifact of the Experiment {Recorder.ExperimentId}");
        Info(Head(pred));
        if (storeLabel)
        {
            label ??= LabelFrame.Empty;
            Save(RecordArtifacts.Label, label);
        }
        return new SignalRecordResult(pred, storeLabel ? label : null);
    }

    /// <summary>The first five rows, as Qlib prints them.</summary>
    private static string Head(PredictionFrame pred)
    {
        var lines = new System.Text.StringBuilder("The following are prediction results of the model.\n");
        lines.Append("datetime   instrument  score\n");
        for (var i = 0; i < Math.Min(5, pred.RowCount); i++)
            lines.Append(System.Globalization.CultureInfo.InvariantCulture, $"{pred.Datetime[i]:yyyy-MM-dd} {pred.Instrument[i]}  {pred.Score[i]:R}\n");
        return lines.ToString().TrimEnd('\n');
    }
}
