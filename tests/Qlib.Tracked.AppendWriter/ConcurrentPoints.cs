/// <summary>
/// The point logged at each step, known to the writers and to the checks (the Python writers and the interop
/// script spell the same rule): NaN, +inf and -inf at steps ending in 7, 8, 9 of each thousand, so the
/// MLflow spellings <c>nan</c>, <c>inf</c>, <c>-inf</c> are in every file; else step / 1000.
/// </summary>
public static class ConcurrentPoints
{
    /// <summary>Largest batch a writer sends: about 30 KB of lines, several pages per write.</summary>
    public const int MaxBatch = 1000;

    public static double Value(long step) => (step % 1000) switch
    {
        7 => double.NaN,
        8 => double.PositiveInfinity,
        9 => double.NegativeInfinity,
        _ => step / 1000.0,
    };

    public static long Timestamp(long step) => 1_700_000_000_000 + step;
}
