namespace Qlib.Tracked.Interop;

/// <summary>
/// Whether the runtime may make the Linux system calls in <see cref="Libc"/>. Every feature that makes them keeps a
/// portable path next to it — .NET's file APIs for writes and appends, <see cref="FileInfo"/> for stats, polling by
/// stats where inotify would watch — which macOS and Windows always take. <see cref="ForcePortable"/> sends Linux
/// down those paths too, so the tests here cover the code other systems run (environment variable
/// <c>QTRK_FORCE_PORTABLE=1</c> for a whole process, or the property from a test).
/// </summary>
internal static class NativeCalls
{
    /// <summary>Set to <c>1</c> to force the portable paths in a process (read at start-up).</summary>
    public const string ForcePortableVariable = "QTRK_FORCE_PORTABLE";

    private static readonly bool s_platform = OperatingSystem.IsLinux() && Environment.Is64BitProcess;
    private static volatile bool s_forcePortable = Environment.GetEnvironmentVariable(ForcePortableVariable) == "1";

    /// <summary>True on 64-bit Linux unless <see cref="ForcePortable"/> is set.</summary>
    public static bool Usable => s_platform && !s_forcePortable;

    /// <summary>Makes every feature take its portable path (tests; both paths give the same results, so switching is safe).</summary>
    public static bool ForcePortable
    {
        get => s_forcePortable;
        set => s_forcePortable = value;
    }
}
