namespace Qlib.Tracked.Client;

/// <summary>MLflow's clock: epoch milliseconds, UTC.</summary>
internal static class Clock
{
    public static long NowMs() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    public static DateTimeOffset? FromMs(long? ms) => ms is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v) : null;
}
