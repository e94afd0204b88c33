using System.Runtime.InteropServices;

namespace Qlib.Tracked.Interop;

/// <summary>
/// Every C library call the runtime makes, one declaration each (Linux, 64-bit: the flag values, <c>off_t</c> and the
/// struct layouts below are Linux's, and <c>open</c>/<c>fcntl</c> are variadic, which a plain P/Invoke calls
/// correctly only under the System V and Linux AArch64 conventions). Callers check <see cref="NativeCalls.Usable"/>
/// first and keep a portable path beside each use; errors come back as -1 with the code in
/// <see cref="Marshal.GetLastPInvokeError"/> (<see cref="Errno"/>).
/// </summary>
internal static partial class Libc
{
    // open(2) flags and modes.
    public const int ORdWr = 0x2, OWrOnly = 0x1, OCreat = 0x40, OExcl = 0x80, OTrunc = 0x200, OAppend = 0x400, OCloExec = 0x80000;
    public const int FileMode0644 = 0x1A4, FileMode0666 = 0x1B6;

    // lseek(2) and struct flock's l_whence.
    public const short SeekSet = 0;
    public const int SeekEnd = 2;

    // fcntl(2): open-file-description locks (Linux 3.15+).
    public const int FOfdSetLkW = 38;
    public const short FWrLck = 1;

    // *at(2) calls: paths relative to the working folder; renameat2(2)'s swap flag.
    public const int AtFdCwd = -100;
    public const uint RenameExchange = 2;

    // madvise(2).
    public const int MadviseHugePage = 14;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "close")]
    public static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    public static unsafe partial nint Read(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    public static unsafe partial nint Write(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "pread", SetLastError = true)]
    public static unsafe partial nint PRead(int fd, byte* buffer, nuint count, long offset);

    [LibraryImport("libc", EntryPoint = "lseek", SetLastError = true)]
    public static partial long LSeek(int fd, long offset, int whence);

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    public static unsafe partial int FcntlLock(int fd, int command, FLock* request);

    [LibraryImport("libc", EntryPoint = "rename", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Rename(string source, string destination);

    [LibraryImport("libc", EntryPoint = "renameat2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int RenameAt2(int sourceFolder, string source, int destinationFolder, string destination, uint flags);

    [LibraryImport("libc", EntryPoint = "unlink", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Unlink(string path);

    /// <summary><c>statx(2)</c> into a <see cref="StatxBuffer"/>-sized buffer (one layout on every architecture, unlike <c>stat</c>).</summary>
    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true)]
    public static unsafe partial int Statx(int dirfd, byte* path, int flags, uint mask, byte* buffer);

    /// <summary><c>statfs(2)</c> into a buffer of at least 120 bytes; <c>f_type</c> (a C long) comes first on every architecture.</summary>
    [LibraryImport("libc", EntryPoint = "statfs", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static unsafe partial int StatFs(string path, byte* buffer);

    [LibraryImport("libc", EntryPoint = "inotify_init1", SetLastError = true)]
    public static partial int InotifyInit1(int flags);

    [LibraryImport("libc", EntryPoint = "inotify_add_watch", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int InotifyAddWatch(InotifyHandle fd, string path, uint mask);

    [LibraryImport("libc", EntryPoint = "inotify_rm_watch")]
    public static partial int InotifyRmWatch(InotifyHandle fd, int wd);

    [LibraryImport("libc", EntryPoint = "madvise")]
    public static partial int Madvise(nint address, nuint length, int advice);
}
