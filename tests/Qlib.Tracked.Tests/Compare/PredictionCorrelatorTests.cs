using Qlib.Tracked.Artifacts;
using Qlib.Tracked.Compare;
using Qlib.Tracked.Frames;
using Qlib.Tracked.Stores;

namespace Qlib.Tracked.Tests.Compare;

public sealed class PredictionCorrelatorTests : IDisposable
{
    private static readonly DateTime D1 = new(2020, 1, 2);
    private static readonly DateTime D2 = new(2020, 1, 3);
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static PredictionFrame Frame(params (DateTime Date, string Instrument, double Score)[] rows) =>
        new(rows.Select(r => r.Date).ToArray(), rows.Select(r => r.Instrument).ToArray(), rows.Select(r => r.Score).ToArray());

    /// <summary>Textbook Pearson, written independently of the library's.</summary>
    private static double Pearson(double[] x, double[] y)
    {
        double mx = x.Average(), my = y.Average();
        var sxy = x.Zip(y, (a, b) => (a - mx) * (b - my)).Sum();
        return sxy / Math.Sqrt(x.Sum(a => (a - mx) * (a - mx)) * y.Sum(b => (b - my) * (b - my)));
    }

    [Fact]
    public void Rows_AreInnerJoinedOnDatetimeAndInstrument_WhateverTheirOrder()
    {
        var a = Frame((D1, "SH600000", 1), (D1, "SH600001", 2), (D1, "SH600002", 3), (D2, "SH600000", 4));
        // Same rows in another order, one row a does not have, and not (D2, SH600000).
        var b = Frame((D1, "SH600002", 6.5), (D2, "SH600009", 100), (D1, "SH600000", 2), (D1, "SH600001", 4));

        var result = PredictionCorrelator.Correlate([("a", a), ("b", b)]);

        Assert.Equal(3, result.CommonRowCount);
        Assert.Equal(Pearson([1, 2, 3], [2, 4, 6.5]), result.Matrix[0][1], 12);
        Assert.Equal(result.Matrix[0][1], result.Matrix[1][0]);
        Assert.Equal(1.0, result.Matrix[0][0], 12);
        Assert.True(result.Matrix[0][1] < 1.0);
    }

    [Fact]
    public void Spearman_CorrelatesRanks_TiesShareTheirMeanRank()
    {
        var a = Frame((D1, "A", 1), (D1, "B", 2), (D1, "C", 3), (D1, "D", 4));
        var b = Frame((D1, "A", 10), (D1, "B", 20), (D1, "C", 300), (D1, "D", 4000)); // monotone, not linear
        var c = Frame((D1, "A", 5), (D1, "B", 5), (D1, "C", 1), (D1, "D", 0));         // ties at the top

        var spearman = PredictionCorrelator.Correlate([("a", a), ("b", b), ("c", c)], CorrelationMethod.Spearman);
        var pearson = PredictionCorrelator.Correlate([("a", a), ("b", b), ("c", c)]);

        Assert.Equal(CorrelationMethod.Spearman, spearman.Method);
        Assert.Equal(1.0, spearman.Matrix[0][1], 12);
        Assert.True(pearson.Matrix[0][1] < 0.99);
        // c's ranks: 3.5, 3.5, 2, 1 (average ranks of the tie).
        Assert.Equal(Pearson([1, 2, 3, 4], [3.5, 3.5, 2, 1]), spearman.Matrix[0][2], 12);
    }

    [Fact]
    public void NaNScores_DropOnlyFromThePairsTheyBelongTo()
    {
        var a = Frame((D1, "A", 1), (D1, "B", 2), (D1, "C", 3), (D1, "D", 4));
        var b = Frame((D1, "A", 1), (D1, "B", double.NaN), (D1, "C", 2), (D1, "D", 7));
        var c = Frame((D1, "A", 4), (D1, "B", 3), (D1, "C", 2.5), (D1, "D", 1));

        var result = PredictionCorrelator.Correlate([("a", a), ("b", b), ("c", c)]);

        Assert.Equal(4, result.CommonRowCount);
        Assert.Equal(Pearson([1, 3, 4], [1, 2, 7]), result.Matrix[0][1], 12);       // row B dropped
        Assert.Equal(Pearson([1, 2, 3, 4], [4, 3, 2.5, 1]), result.Matrix[0][2], 12); // row B kept
    }

    [Fact]
    public void TooFewCommonRows_OrAConstantSide_GiveNaN()
    {
        var a = Frame((D1, "A", 1), (D1, "B", 2));
        var b = Frame((D1, "A", 1), (D2, "B", 2));
        var constant = Frame((D1, "A", 7), (D1, "B", 7));

        Assert.True(double.IsNaN(PredictionCorrelator.Correlate([("a", a), ("b", b)]).Matrix[0][1]));
        Assert.True(double.IsNaN(PredictionCorrelator.Correlate([("a", a), ("k", constant)]).Matrix[0][1]));
    }

    [Fact]
    public void ARepeatedRowKey_IsRefusedNamingTheFrame()
    {
        var a = Frame((D1, "A", 1), (D1, "A", 2));
        var b = Frame((D1, "A", 1));
        var e = Assert.Throws<TrackingException>(() => PredictionCorrelator.Correlate([("model-a", a), ("b", b)]));
        Assert.Equal(ErrorCode.InvalidParameterValue, e.Code);
        Assert.Contains("model-a", e.Message);
        Assert.Contains("A)", e.Message);
    }

    [Fact]
    public void StoredPredictions_AreLoadedFromEachRun_AndARunWithoutThemIsNamed()
    {
        var store = new FileStore(_temp.Combine("mlruns"));
        var experiment = store.CreateExperiment("models");
        string RunWith(PredictionFrame? pred)
        {
            var id = store.CreateRun(experiment, "u", 1, null, null).Info.RunId;
            if (pred is not null)
                ArtifactObjects.Write(store.GetArtifactRepository(id), RecordArtifacts.Pred, pred, new ParquetTableSerializer<PredictionFrame>());
            return id;
        }
        var rng = new Random(7);
        var rows = Enumerable.Range(0, 50).Select(i => (Date: D1.AddDays(i / 10), Instrument: $"I{i % 10}")).ToArray();
        var first = rows.Select(_ => rng.NextDouble()).ToArray();
        var second = first.Select(v => v + 0.1 * rng.NextDouble()).ToArray();
        var a = RunWith(new PredictionFrame(rows.Select(r => r.Date).ToArray(), rows.Select(r => r.Instrument).ToArray(), first));
        var b = RunWith(new PredictionFrame(rows.Select(r => r.Date).Reverse().ToArray(), rows.Select(r => r.Instrument).Reverse().ToArray(), second.Reverse().ToArray()));
        var none = RunWith(null);

        var result = PredictionCorrelator.Correlate(store, [a, b]);

        Assert.Equal([a, b], result.Labels);
        Assert.Equal(50, result.CommonRowCount);
        Assert.Equal(Pearson(first, second), result.Matrix[0][1], 12);
        Assert.True(PredictionCorrelator.HasPredictions(store, a));
        Assert.False(PredictionCorrelator.HasPredictions(store, none));
        var e = Assert.Throws<TrackingException>(() => PredictionCorrelator.Correlate(store, [a, none]));
        Assert.Equal(ErrorCode.ResourceDoesNotExist, e.Code);
        Assert.Contains(none, e.Message);
        Assert.Contains("pred.parquet", e.Message);
    }
}
