using System.Runtime.InteropServices;
using Qlib.Tracked.Interop;
using System.Text;

namespace Qlib.Tracked.Stores.FileBacked.Index;

/// <summary>One <c>statx</c> through the C library, on Linux, to tell special files apart (<see cref="FileInfo"/> cannot).</summary>
internal static class LinuxStat
{
    private const int MaxPathBytes = 4096;

    /// <summary>
    /// True when <paramref name="path"/> is there and is neither a regular file nor a folder: a FIFO, socket or device,
    /// which no store writer makes and on which opening or reading can block forever (a FIFO without a writer). False
    /// when it is not, or cannot be told here (then the caller just opens it, as before).
    /// </summary>
    public static unsafe bool IsSpecialFile(string path)
    {
        if (!NativeCalls.Usable) return false;
        var maxBytes = Encoding.UTF8.GetMaxByteCount(path.Length) + 1;
        if (maxBytes > MaxPathBytes) return false;
        Span<byte> bytes = stackalloc byte[maxBytes];
        var written = Encoding.UTF8.GetBytes(path, bytes);
        bytes[written] = 0;
        var buffer = stackalloc byte[StatxBuffer.Size];
        int result;
        fixed (byte* p = bytes) result = Libc.Statx(Libc.AtFdCwd, p, 0, StatxBuffer.Type, buffer);
        if (result != 0) return false;
        var type = *(ushort*)(buffer + StatxBuffer.ModeOffset) & StatxBuffer.TypeMask;
        return type is not (StatxBuffer.RegularFile or StatxBuffer.Directory);
    }
}
