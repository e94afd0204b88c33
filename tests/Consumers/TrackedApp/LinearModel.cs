using System.Text.Json.Serialization;
using MemoryPack;
using Qlib.Tracked;
using Qlib.Tracked.Frames;
using Qlib.Tracked.Records;

namespace TrackedApp;

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
}

[JsonSerializable(typeof(TrainingSummary))]
public sealed partial class AppJsonContext : JsonSerializerContext;

/// <summary>A seeded synthetic panel: a nested param group (data.seed, data.days, ...) and the test labels SignalRecord stores.</summary>
public sealed record Panel : ILabelSource
{
    [Param] public int Seed { get; init; } = 7;
    [Param] public int Days { get; init; } = 12;
    [Param] public int Instruments { get; init; } = 6;

    public double[][] Features(int count) => Rows().Select(r => r.X.Take(count).ToArray()).ToArray();

    public LabelFrame GetTestLabel()
    {
        var rows = Rows();
        return new LabelFrame(rows.Select(r => r.Day).ToArray(), rows.Select(r => r.Instrument).ToArray(), rows.Select(r => r.Y).ToArray());
    }

    // Sorted by (datetime, instrument), as the record templates expect.
    private (DateTime Day, string Instrument, double[] X, double Y)[] Rows()
    {
        var rng = new Random(Seed);
        var rows = new List<(DateTime, string, double[], double)>();
        for (var d = 0; d < Days; d++)
            for (var i = 0; i < Instruments; i++)
            {
                var x = new[] { rng.NextDouble() * 2 - 1, rng.NextDouble() * 2 - 1, rng.NextDouble() * 2 - 1 };
                rows.Add((new DateTime(2024, 1, 2).AddDays(d), $"SH60000{i}", x, 0.5 * x[0] - 0.25 * x[2] + 0.1 * (rng.NextDouble() - 0.5)));
            }
        return rows.ToArray();
    }
}

/// <summary>A linear model trained by gradient descent; its params, metrics, artifacts and signal go through generated code.</summary>
[Tracked(Name = "consumer_linear", Experiment = "consumer_app")]
[Record(typeof(SignalRecord))]
[Record(typeof(SigAnaRecord))]
public sealed partial class LinearModel
{
    [Param] public double LearningRate { get; init; } = 0.1;
    [Param] public int Epochs { get; init; } = 5;
    [Param] public Optimizer Optimizer { get; init; } = Optimizer.Momentum;
    [Param] public string[] Features { get; init; } = ["momentum", "value", "size"];
    [Param] public Panel Data { get; init; } = new();

    [Metric("loss")] public double Loss { get; private set; }
    [Metric("train_ic")] public double TrainIc { get; private set; }

    [Artifact("model")] public LinearWeights Weights { get; private set; } = new();
    [Artifact("summary.json", JsonContext = typeof(AppJsonContext))] public TrainingSummary? Summary { get; private set; }
    [Artifact("notes.txt")] public string? Notes { get; private set; }

    /// <summary>Trains on the panel's labels, logging loss and IC once per epoch.</summary>
    public void Fit(IRunLogger run)
    {
        var x = Data.Features(Features.Length);
        var y = Data.GetTestLabel().Label;
        var w = new double[Features.Length];
        var velocity = new double[w.Length];
        double bias = 0;
        for (var epoch = 0; epoch < Epochs; epoch++)
        {
            var grad = new double[w.Length];
            double gradBias = 0, loss = 0;
            for (var r = 0; r < y.Length; r++)
            {
                var err = Dot(w, x[r]) + bias - y[r];
                loss += err * err;
                for (var f = 0; f < w.Length; f++) grad[f] += 2 * err * x[r][f] / y.Length;
                gradBias += 2 * err / y.Length;
            }
            for (var f = 0; f < w.Length; f++)
            {
                velocity[f] = (Optimizer == Optimizer.Momentum ? 0.9 * velocity[f] : 0) + LearningRate * grad[f];
                w[f] -= velocity[f];
            }
            bias -= LearningRate * gradBias;
            Weights = new LinearWeights { Coefficients = w.ToArray(), Bias = bias };
            Loss = loss / y.Length;
            TrainIc = Correlation(x.Select(row => Dot(w, row) + bias).ToArray(), y);
            LogMetrics(run, epoch);
        }
        Summary = new TrainingSummary { Epochs = Epochs, FinalLoss = Loss };
        Notes = $"Linear model on {y.Length} synthetic rows.\n";
    }

    /// <summary>The prediction step SignalRecord runs (the generator implements IPredictor&lt;Panel&gt; with it).</summary>
    [Predict]
    public PredictionFrame Predict(Panel panel)
    {
        var label = panel.GetTestLabel();
        var score = panel.Features(Features.Length).Select(row => Math.Round(Dot(Weights.Coefficients, row) + Weights.Bias, 12)).ToArray();
        return new PredictionFrame(label.Datetime, label.Instrument, score);
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
