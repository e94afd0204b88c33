using System.Text.Json.Serialization;
using MemoryPack;
using Qlib.Tracked.Frames;

namespace Qlib.Tracked.IntegrationTests;

public enum Booster { Gbdt, Dart, Goss }

[MemoryPackable]
public partial class TreeWeights
{
    public double[] Values { get; set; } = [];
    public string Kind { get; set; } = "";
}

public sealed class RunConfig
{
    public string Name { get; set; } = "";
    public int[] Folds { get; set; } = [];
}

[JsonSerializable(typeof(RunConfig))]
public partial class ItJsonContext : JsonSerializerContext;

public sealed class Segments
{
    [Param] public string Train { get; set; } = "('2008-01-01', '2014-12-31')";
    [Param] public string Test { get; set; } = "('2017-01-01', '2020-08-01')";
}

public sealed record DatasetConfig
{
    [Param("class")] public string Class { get; init; } = "DatasetH";
    [Param] public Segments Segments { get; init; } = new();
    [Param] public int? Horizon { get; init; }
}

public struct Window
{
    [Param] public int Size { get; set; }
    [Param] public double Decay { get; set; }
}

/// <summary>Every param, metric and artifact kind the generator supports, for end-to-end round trips.</summary>
[Tracked(Name = "it_full", Experiment = "it_tracked")]
public partial class FullModel
{
    [Param] public double LearningRate { get; init; } = 0.2;
    [Param("num_leaves")] public int Leaves { get; init; } = 210;
    [Param] public long Seed { get; set; } = 42;
    [Param] public bool EarlyStop { get; init; } = true;
    [Param] public float Subsample { get; init; } = 0.8f;
    [Param] public string Objective { get; init; } = "mse";
    [Param] public string? Comment { get; init; } = "default comment";
    [Param] public decimal Fee { get; init; } = 0.0015m;
    [Param] public DateTime Start { get; init; } = new(2020, 1, 2);
    [Param] public Booster Booster { get; init; } = Booster.Gbdt;
    [Param] public double? Clip { get; init; }
    [Param] public double[] Alphas { get; init; } = [0.1, 1.0];
    [Param] public List<string> Features { get; init; } = ["f0"];
    [Param] public IReadOnlyList<Booster> Boosters { get; init; } = [];
    [Param] public DatasetConfig Dataset { get; init; } = new();
    [Param] public Window Window { get; init; }

    [Metric("IC")] public double Ic { get; set; }
    [Metric] public float TrainLoss { get; set; }
    [Metric] public int? BestIteration { get; set; }

    [Artifact("model")] public TreeWeights Weights { get; set; } = new();
    [Artifact("pred.parquet")] public PredictionFrame? Pred { get; set; }
    [Artifact("notes.txt")] public string? Notes { get; set; }
    [Artifact("blob.bin")] public byte[]? Blob { get; set; }
    [Artifact("config.json", JsonContext = typeof(ItJsonContext))] public RunConfig? Config { get; set; }

    [Predict]
    public PredictionFrame Predict(DateTime[] days)
    {
        var score = days.Select((_, i) => LearningRate * i).ToArray();
        return new PredictionFrame(days, days.Select(_ => "SH600000").ToArray(), score);
    }
}

/// <summary>A struct model, registered under its full name.</summary>
[Tracked]
public partial struct SmallStruct
{
    public SmallStruct() { }

    [Param] public int Depth { get; set; } = 3;
    [Metric] public double Score { get; set; }
}
