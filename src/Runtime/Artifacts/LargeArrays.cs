using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Qlib.Tracked.Interop;

namespace Qlib.Tracked.Artifacts;

/// <summary>
/// New arrays for whole columns (a 1.25 M-row frame has 10 MB columns), whose memory Linux is asked to back with
/// 2 MB transparent huge pages before it is first written.
/// </summary>
/// <remarks>
/// A column array lives in memory the garbage collector has just taken from the system, so filling it takes one
/// page fault per 4 KiB page. On the virtual machines this project measures on, such a fault costs about 20 µs —
/// 150 ms for a three-column 1.25 M-row frame — while touching the same 32 MB through huge pages takes 2–3 ms
/// (bench/README.md). With transparent huge pages in their default <c>madvise</c> mode the kernel uses them only
/// where a program asks, so the array's whole 2 MB blocks are advised (<c>madvise(MADV_HUGEPAGE)</c>) right
/// after allocation. The advice changes no content and is only a hint: where it is refused (other systems, THP
/// off, memory already touched) nothing changes.
/// </remarks>
internal static class LargeArrays
{
    private const long HugePageBytes = 2 << 20;

    /// <summary>Arrays smaller than this are left alone: at least one whole huge page must fit inside.</summary>
    public const long MinimumAdvisedBytes = 4 << 20;

    private static volatile bool s_adviceUsable = OperatingSystem.IsLinux();

    /// <summary>A zeroed array of <paramref name="length"/> elements (as <c>new T[length]</c>), huge-page backed where possible.</summary>
    public static T[] Allocate<T>(int length)
    {
        var array = new T[length];
        AdviseHugePages(array);
        return array;
    }

    /// <summary>
    /// An array of <paramref name="length"/> elements with unspecified content, for a caller that writes every
    /// element: the collector then leaves the memory untouched, so the advice comes before the first write
    /// (a zeroed allocation of reused memory is written by the collector first, in small pages).
    /// </summary>
    public static T[] AllocateForOverwrite<T>(int length) where T : unmanaged
    {
        var array = GC.AllocateUninitializedArray<T>(length);
        AdviseHugePages(array);
        return array;
    }

    /// <summary>Asks for huge pages under the whole 2 MB blocks of <paramref name="array"/>'s elements; true if the kernel accepted.</summary>
    public static unsafe bool AdviseHugePages<T>(T[] array)
    {
        var bytes = (long)array.Length * Unsafe.SizeOf<T>();
        if (!s_adviceUsable || !NativeCalls.Usable || bytes < MinimumAdvisedBytes) return false;
        // Pins the array for the call; large arrays are not moved by the collector anyway, and the advice
        // concerns the address range, not the object.
        fixed (byte* data = &Unsafe.As<T, byte>(ref MemoryMarshal.GetArrayDataReference(array)))
        {
            var start = ((long)data + HugePageBytes - 1) & ~(HugePageBytes - 1);
            var end = ((long)data + bytes) & ~(HugePageBytes - 1);
            if (end <= start) return false;
            try
            {
                return Libc.Madvise((nint)start, (nuint)(end - start), Libc.MadviseHugePage) == 0;
            }
            catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
            {
                s_adviceUsable = false;
                return false;
            }
        }
    }
}
