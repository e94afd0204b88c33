using System.Runtime.InteropServices;
using Qlib.Tracked.Interop;

namespace Qlib.Tracked.Stores.FileBacked.Index;

/// <summary>
/// Linux's <c>inotify</c> through the C library: one non-blocking instance (a file descriptor) that the kernel
/// queues an event on, during the writer's own system call, for every change to a watched folder or a file in it.
/// </summary>
internal static class Inotify
{
    public const uint InModify = 0x2, InAttrib = 0x4, InCloseWrite = 0x8, InMovedFrom = 0x40, InMovedTo = 0x80,
        InCreate = 0x100, InDelete = 0x200, InDeleteSelf = 0x400, InMoveSelf = 0x800;
    public const uint InQueueOverflow = 0x4000, InIgnored = 0x8000, InOnlyDir = 0x1000000;

    /// <summary>Everything that can change what a folder (or a file directly in it) holds, plus the folder's own removal.</summary>
    public const uint ChangeMask = InModify | InAttrib | InCloseWrite | InMovedFrom | InMovedTo | InCreate | InDelete | InDeleteSelf | InMoveSelf | InOnlyDir;

    private const int InNonBlock = 0x800, InCloExec = 0x80000;

    /// <summary>A new instance, or null when the kernel refuses one (EMFILE at 128 per user, ENOSYS, EPERM in a sandbox…).</summary>
    public static InotifyHandle? TryCreate()
    {
        if (!NativeCalls.Usable) return null; // the watcher verifies by stats instead
        int fd;
        try { fd = Libc.InotifyInit1(InNonBlock | InCloExec); }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { return null; }
        return fd < 0 ? null : new InotifyHandle(fd);
    }

    /// <summary>The watch descriptor, or -errno.</summary>
    public static int AddWatch(InotifyHandle handle, string path, uint mask)
    {
        var wd = Libc.InotifyAddWatch(handle, path, mask);
        return wd >= 0 ? wd : -Marshal.GetLastPInvokeError();
    }

    public static void RemoveWatch(InotifyHandle handle, int wd) => Libc.InotifyRmWatch(handle, wd);

    /// <summary>
    /// Bytes read into <paramref name="buffer"/>, or -errno (-EAGAIN: the queue is empty). The caller holds the watcher's
    /// lock, which closing the handle takes too: the descriptor cannot be closed (and reused) during the read.
    /// </summary>
    public static unsafe int Read(InotifyHandle handle, byte[] buffer)
    {
        fixed (byte* p = buffer)
        {
            var n = Libc.Read((int)handle.DangerousGetHandle(), p, (nuint)buffer.Length);
            return n >= 0 ? (int)n : -Marshal.GetLastPInvokeError();
        }
    }
}
