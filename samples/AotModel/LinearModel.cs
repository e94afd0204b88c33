using System.Text.Json.Serialization;
using MemoryPack;
using Qlib.Tracked;
using Qlib.Tracked.Frames;

namespace AotModel;

public enum Optimizer { Sgd, Momentum }

/// <summary>Fitted weights, stored as a MemoryPack artifact.</summary>
[MemoryPackable]
public sealed partial class LinearWeights
{
    public double[] Coefficients { get; set; } = [];
    public double Bias { get; set; }
}

/// <summary>A run summary stored as JSON through a source-generated context.</summary>
public sealed class TrainingSummary
{
    public int Epochs { get; set; }
    public double FinalLoss { get; set; }
    public string[] Features { get; set; } = [];
}

[JsonSerializable(typeof(TrainingSummary))]
[JsonSourceGenerationOptions(WriteIndented = true)]
public sealed partial class SampleJsonContext : JsonSerializerContext;

/// <summary>Where the synthetic data comes from: a nested param group (logged as data.seed, data.rows, ...).</summary>
public sealed record DataConfig
{
    [Param] public int Seed { get; init; } = 7;
    [Param] public int Rows { get; init; } = 64;
    [Param] public double NoiseScale { get; init; } = 0.05;
}

/// <summary>A linear model trained by gradient descent; every logged value comes from generated code.</summary>
[Tracked(Name = "aot_linear", Experiment = "aot_model")]
public sealed partial class LinearModel
{
    [Param] public double LearningRate { get; init; } = 0.1;
    [Param] public int Epochs { get; init; } = 5;
    [Param] public Optimizer Optimizer { get; init; } = Optimizer.Momentum;
    [Param] public string[] Features { get; init; } = ["momentum", "value", "size"];
    [Param] public double? L2 { get; init; }
    [Param] public DataConfig Data { get; init; } = new();

    [Metric("loss")] public double Loss { get; private set; }
    [Metric("IC")] public double Ic { get; private set; }

    [Artifact("model")] public LinearWeights Weights { get; private set; } = new();
    [Artifact("pred.parquet")] public PredictionFrame? Pred { get; private set; }
    [Artifact("summary.json", JsonContext = typeof(SampleJsonContext))] public TrainingSummary? Summary { get; private set; }
    [Artifact("README.txt")] public string? Notes { get; private set; }

    /// <summary>Trains on a seeded synthetic panel, logging loss and IC once per epoch.</summary>
    public void Fit(IRunLogger run)
    {
        var (x, y, _) = Synthetic();
        var p = Features.Length;
        var w = new double[p];
        var velocity = new double[p];
        double bias = 0;
        for (var epoch = 0; epoch < Epochs; epoch++)
        {
            var grad = new double[p];
            double gradBias = 0, loss = 0;
            for (var r = 0; r < y.Length; r++)
            {
                var err = Dot(w, x[r]) + bias - y[r];
                loss += err * err;
                for (var f = 0; f < p; f++) grad[f] += 2 * err * x[r][f] / y.Length;
                gradBias += 2 * err / y.Length;
            }
            for (var f = 0; f < p; f++)
            {
                grad[f] += 2 * (L2 ?? 0) * w[f];
                velocity[f] = (Optimizer == Optimizer.Momentum ? 0.9 * velocity[f] : 0) + LearningRate * grad[f];
                w[f] -= velocity[f];
            }
            bias -= LearningRate * gradBias;
            Weights = new LinearWeights { Coefficients = w.ToArray(), Bias = bias };
            Loss = loss / y.Length;
            Ic = Correlation(y.Select((_, r) => Dot(w, x[r]) + bias).ToArray(), y);
            LogMetrics(run, epoch);
        }
        Pred = Predict(Data);
        Summary = new TrainingSummary { Epochs = Epochs, FinalLoss = Loss, Features = Features };
        Notes = $"Linear model on {Data.Rows} synthetic rows; see summary.json.\n";
    }

    /// <summary>The prediction entry point the record templates call.</summary>
    [Predict]
    public PredictionFrame Predict(DataConfig data)
    {
        var (x, _, days) = Synthetic(data);
        var score = x.Select(row => Math.Round(Dot(Weights.Coefficients, row) + Weights.Bias, 12)).ToArray();
        return new PredictionFrame(days, days.Select((_, i) => $"SH{600000 + i % 8}").ToArray(), score);
    }

    private (double[][] X, double[] Y, DateTime[] Days) Synthetic(DataConfig? data = null)
    {
        data ??= Data;
        var rng = new Random(data.Seed);
        var x = new double[data.Rows][];
        var y = new double[data.Rows];
        var days = new DateTime[data.Rows];
        for (var r = 0; r < data.Rows; r++)
        {
            x[r] = Features.Select(_ => rng.NextDouble() * 2 - 1).ToArray();
            y[r] = 0.5 * x[r][0] - 0.25 * x[r][^1] + data.NoiseScale * (rng.NextDouble() - 0.5);
            days[r] = new DateTime(2024, 1, 1).AddDays(r / 8);
        }
        return (x, y, days);
    }

    private static double Dot(double[] a, double[] b)
    {
        double s = 0;
        for (var i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }

    private static double Correlation(double[] a, double[] b)
    {
        double ma = a.Average(), mb = b.Average(), cov = 0, va = 0, vb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            cov += (a[i] - ma) * (b[i] - mb);
            va += (a[i] - ma) * (a[i] - ma);
            vb += (b[i] - mb) * (b[i] - mb);
        }
        return cov / Math.Sqrt(va * vb);
    }
}
