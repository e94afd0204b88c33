using Qlib.Tracked.Backtest;
using Qlib.Tracked.Frames;

namespace Qlib.Tracked.Tests.Backtest;

/// <summary>The per-date signal the strategy reads (Qlib's one-day <c>get_signal</c> window), sorted or not.</summary>
public class SignalTableTests
{
    private static readonly DateTime D1 = new(2021, 3, 4), D2 = new(2021, 3, 5);

    [Fact]
    public void SortedFrame_KeepsOrder_LooksUpScores_MissingIsNaN()
    {
        var table = new SignalTable(new PredictionFrame([D1, D1, D1, D2], ["A", "B", "C", "A"], [0.5, -1, double.NaN, 2]));
        Assert.Equal([D1, D2], table.Dates);
        Assert.True(table.TryGetDay(D1.AddHours(15), out var day)); // time of day ignored
        Assert.Equal(["A", "B", "C"], day.Instruments);
        Assert.Equal(-1, day.Score("B"));
        Assert.True(double.IsNaN(day.Score("C")));
        Assert.True(double.IsNaN(day.Score("Z")));
        Assert.False(table.TryGetDay(D2.AddDays(1), out _));
    }

    [Fact]
    public void UnsortedFrameWithRepeats_FirstAppearanceOrder_LastNonNaNScoreWins()
    {
        // Dates interleaved, instruments out of order, (D1, B) three times: 1, then NaN (ignored), then 3.
        var table = new SignalTable(new PredictionFrame(
            [D1, D2, D1, D1, D2, D1, D1],
            ["C", "X", "B", "B", "X", "A", "B"],
            [0.1, double.NaN, 1, double.NaN, 7, 0.2, 3]));
        Assert.True(table.TryGetDay(D1, out var d1));
        Assert.Equal(["C", "B", "A"], d1.Instruments);
        Assert.Equal([0.1, 3, 0.2], d1.Scores);
        Assert.Equal(3, d1.Score("B"));
        Assert.True(double.IsNaN(d1.Score("X")));
        Assert.True(table.TryGetDay(D2, out var d2));
        Assert.Equal(["X"], d2.Instruments);
        Assert.Equal(7, d2.Score("X")); // NaN first, then a score: the score wins
        Assert.True(table.TryGet(D1, out var codes, out var scores));
        Assert.Equal(d1.Instruments, codes);
        Assert.Equal(0.2, scores["A"]);
    }
}
