using System.Diagnostics;
using System.Globalization;

namespace Qlib.Tracked.Tests.Stores;

/// <summary>
/// How long each fuzz test runs and with which seed. CI keeps them short (3 s each by default); set
/// <c>QTRK_FUZZ_SECONDS</c> for longer runs by hand and <c>QTRK_FUZZ_SEED</c> to replay a failure (every failure
/// message carries its seed and iteration).
/// </summary>
internal sealed class FuzzBudget
{
    private const double DefaultSeconds = 3;

    /// <summary>Even on a slow machine a fuzz test does at least this many iterations.</summary>
    private const int MinimumIterations = 20;

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly TimeSpan _budget;

    public FuzzBudget()
    {
        _budget = TimeSpan.FromSeconds(
            double.TryParse(Environment.GetEnvironmentVariable("QTRK_FUZZ_SECONDS"), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
                ? seconds
                : DefaultSeconds);
        Seed = int.TryParse(Environment.GetEnvironmentVariable("QTRK_FUZZ_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed)
            ? seed
            : Random.Shared.Next();
        Random = new Random(Seed);
    }

    public int Seed { get; }

    public Random Random { get; }

    public int Iteration { get; private set; }

    /// <summary>Starts the next iteration while time (or the minimum count) remains.</summary>
    public bool Next()
    {
        if (Iteration >= MinimumIterations && _clock.Elapsed >= _budget) return false;
        Iteration++;
        return true;
    }

    /// <summary>What to put in an assertion message to replay this iteration.</summary>
    public string Where => $"QTRK_FUZZ_SEED={Seed}, iteration {Iteration}";
}
