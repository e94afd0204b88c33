using System.Runtime.InteropServices;
using System.Text;

namespace Qlib.Tracked.Interop;

/// <summary>
/// One <c>statx</c> through the C library, on Linux: the run index's verification is a stat per run (and per
/// key it checks), and <see cref="FileInfo"/> spends as long again around each one (the object, full-path
/// normalization, a second managed copy of the path). Here the path is encoded straight from its parts into a
/// stack buffer and only type, write time and length are asked for. <c>statx</c> rather than <c>stat</c>: its
/// buffer has one layout on every architecture.
/// </summary>
internal static class LinuxStat
{
    private const int MaxPathBytes = 4096;

    // Usable until a call says the kernel or a sandbox refuses statx (then FileInfo answers, as elsewhere).
    private static volatile bool s_usable = OperatingSystem.IsLinux();

    /// <summary>
    /// Stats <c>folder/sub/name</c> (empty parts are left out; '/' inside a part is a separator, as in MLflow keys);
    /// false when the call could not be made here (fall back to <see cref="FileInfo"/>). A path that does not
    /// exist is a true result with <paramref name="exists"/> false.
    /// </summary>
    public static bool TryStat(string folder, string sub, string name, out bool exists, out bool isDirectory, out long writeTicks, out long length)
    {
        var called = TryStatx(folder, sub, name, out exists, out var type, out writeTicks, out length);
        isDirectory = type == StatxBuffer.Directory;
        return called;
    }

    /// <summary>
    /// True when <paramref name="path"/> is there and is neither a regular file nor a folder: a FIFO, socket or device,
    /// which no store writer makes and on which opening or reading can block forever (a FIFO without a writer). False
    /// when it is not, or cannot be told here (then the caller just opens it, as before).
    /// </summary>
    public static bool IsSpecialFile(string path) =>
        TryStatx(path, "", "", out var exists, out var type, out _, out _) && exists && type is not (StatxBuffer.RegularFile or StatxBuffer.Directory);

    private static unsafe bool TryStatx(string folder, string sub, string name, out bool exists, out int type, out long writeTicks, out long length)
    {
        exists = false;
        type = 0;
        writeTicks = length = 0;
        if (!s_usable || !NativeCalls.Usable) return false;
        var maxBytes = Encoding.UTF8.GetMaxByteCount(folder.Length + 2 + sub.Length + name.Length) + 1;
        if (maxBytes > MaxPathBytes) return false;
        Span<byte> path = stackalloc byte[maxBytes];
        var written = Encoding.UTF8.GetBytes(folder, path);
        Append(path, ref written, sub);
        Append(path, ref written, name);
        path[written] = 0;
        var buffer = stackalloc byte[StatxBuffer.Size];
        int result;
        fixed (byte* p = path) result = Libc.Statx(Libc.AtFdCwd, p, 0, StatxBuffer.Type | StatxBuffer.Mtime | StatxBuffer.FileSize, buffer);
        if (result != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno is Errno.ENoSys or Errno.EPerm)
            {
                s_usable = false;
                return false;
            }
            return true; // ENOENT, ENOTDIR, EACCES, ELOOP…: as FileInfo, "does not exist"
        }
        // The kernel fills it in the machine's own byte order.
        exists = true;
        type = *(ushort*)(buffer + StatxBuffer.ModeOffset) & StatxBuffer.TypeMask;
        length = (long)*(ulong*)(buffer + StatxBuffer.SizeOffset);
        var seconds = *(long*)(buffer + StatxBuffer.MtimeOffset);
        var nanoseconds = *(uint*)(buffer + StatxBuffer.MtimeOffset + 8);
        // What FileInfo.LastWriteTimeUtc.Ticks gives for the same stat, so stamps from either compare equal.
        writeTicks = DateTime.UnixEpoch.Ticks + seconds * TimeSpan.TicksPerSecond + nanoseconds / 100;
        return true;
    }

    private static void Append(Span<byte> path, ref int written, string part)
    {
        if (part.Length == 0) return;
        if (written == 0 || path[written - 1] != (byte)'/') path[written++] = (byte)'/';
        written += Encoding.UTF8.GetBytes(part, path[written..]);
    }
}
