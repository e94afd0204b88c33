using Qlib.Tracked;
using Qlib.Tracked.Frames;

namespace QuickStart;

/// <summary>The dataset half of the task, logged as Qlib's flattened <c>dataset.*</c> keys.</summary>
public sealed record DatasetParams
{
    [Param] public int Seed { get; init; }
    [Param] public int Instruments { get; init; }
    [Param] public int Days { get; init; }
    [Param] public int Features { get; init; }
    [Param] public SegmentParams Segments { get; init; } = new();
}

/// <summary>Train/valid/test windows, spelled as Qlib's task YAML spells them (<c>('2020-01-02', '2020-08-20')</c>).</summary>
public sealed record SegmentParams
{
    [Param] public string Train { get; init; } = "";
    [Param] public string Valid { get; init; } = "";
    [Param] public string Test { get; init; } = "";
}

/// <summary>The model half of the task: <c>model.class</c> and <c>model.kwargs.*</c>.</summary>
public sealed record ModelParams
{
    [Param("class")] public string Class { get; init; } = nameof(RidgeModel);
    [Param] public RidgeKwargs Kwargs { get; init; } = new();
}

public sealed record RidgeKwargs
{
    /// <summary>The candidate penalties, one validation step each.</summary>
    [Param] public double[] Alphas { get; init; } = [];
}

/// <summary>
/// One QuickStart run as a [Tracked] type: the generator writes its param logging (Qlib's flattened task
/// keys), its final metrics, its typed artifacts (<c>params</c> → MemoryPack, <c>pred.parquet</c> → Parquet)
/// and <c>QuickStartTask.Load(recorder)</c> to read a run back.
/// </summary>
[Tracked(Name = "quickstart", Experiment = "quickstart")]
public sealed partial class QuickStartTask
{
    [Param] public ModelParams Model { get; init; } = new();
    [Param] public DatasetParams Dataset { get; init; } = new();

    [Metric("best_alpha")] public double BestAlpha { get; set; }
    [Metric("IC")] public double Ic { get; set; }
    [Metric("Rank IC")] public double RankIc { get; set; }
    [Metric("test.mse")] public double TestMse { get; set; }

    /// <summary>The fitted model (Qlib: <c>params.pkl</c>).</summary>
    [Artifact("params")] public RidgeModel? Fitted { get; set; }

    /// <summary>Test-window predictions (Qlib: <c>pred.pkl</c>).</summary>
    [Artifact("pred.parquet")] public PredictionFrame? Pred { get; set; }
}

/// <summary>What one validation step (one candidate penalty) logs.</summary>
[Tracked(Name = "quickstart.validation_step")]
public partial struct ValidationStep
{
    public ValidationStep() { }

    [Metric("alpha")] public double Alpha { get; set; }
    [Metric("train.mse")] public double TrainMse { get; set; }
    [Metric("valid.mse")] public double ValidMse { get; set; }
    [Metric("valid.ic")] public double ValidIc { get; set; }
}
