using System.Runtime.InteropServices;
using Qlib.Tracked.Interop;
using static Qlib.Tracked.Interop.Errno;
using static Qlib.Tracked.Interop.Libc;

namespace Qlib.Tracked.Stores.FileBacked;

/// <summary>
/// Appends through the C library with <c>O_APPEND</c>, on Linux. .NET's file APIs never open with
/// <c>O_APPEND</c> (<c>FileMode.Append</c> only seeks), so "find the end, write there" can interleave
/// between processes; with <c>O_APPEND</c> the kernel places each write at the end atomically, across
/// threads and processes alike, as Python's <c>open(path, "a")</c> does for MLflow. It also costs five system
/// calls per append (open, fcntl for the writers' lock, pread, write, close) instead of .NET's eight (open, fstatfs, flock, fstat, …).
/// </summary>
/// <remarks>
/// Linux only: <c>open</c> and <c>fcntl</c> are variadic, and only the System V / Linux AArch64 calling conventions
/// pass their last argument where a plain P/Invoke puts it (Apple's arm64 does not), and the flag values differ by
/// OS. 64-bit only: <c>off_t</c> and <c>struct flock</c> are declared with 64-bit offsets. Other systems use
/// <see cref="MetricFile"/>'s portable path.
/// </remarks>
internal static class LinuxAppend
{
    public static bool IsSupported => NativeCalls.Usable;

    /// <summary>
    /// Appends <c>lines[1..]</c> with one write. Byte 0 is reserved: it becomes '\n' when the file ends with a
    /// line torn by a crash, so the new lines start on a line of their own. The check and the write happen under
    /// the writers' lock (<see cref="MetricFile.WriterLockOffset"/>), so no other writer of ours is mid-write while
    /// this one looks; a last byte that is not '\n' is then confirmed by <see cref="TornLineCheck"/>, since a writer
    /// that takes no lock (MLflow) may be. Returns false when the folder does not exist (the caller creates it and retries).
    /// </summary>
    /// <param name="path">The metric file.</param>
    /// <param name="lines">Byte 0 free, then whole lines.</param>
    /// <param name="expectedLength">
    /// The file length this process last saw after appending here (0 when unknown). When right, ONE
    /// <c>pread</c> of two bytes at <c>expectedLength - 1</c> proves both that the file ends there (one byte
    /// comes back, not two) and that it ends with '\n', replacing <c>lseek</c> + <c>pread</c>; when wrong (another
    /// process appended, the file was replaced) the end is found with <c>lseek</c> as before. The decision is
    /// always made from bytes read from the disk, never from the remembered length alone.
    /// </param>
    /// <param name="newLength">The file length right after this write if no other process wrote meanwhile (a guess for next time).</param>
    public static unsafe bool TryAppend(string path, Span<byte> lines, long expectedLength, out long newLength)
    {
        newLength = 0;
        var fd = Open(path, ORdWr | OCreat | OAppend | OCloExec, FileMode0644);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno == ENoEnt) return false;
            throw Failure("open", path, errno);
        }
        try
        {
            LockAgainstOtherWriters(fd); // released by the close below
            fixed (byte* bytes = lines)
            {
                long end;
                var probe = stackalloc byte[2];
                if (expectedLength > 0 && PRead(fd, probe, 2, expectedLength - 1) == 1)
                {
                    // Exactly one byte at expectedLength - 1: the file is expectedLength long.
                    end = expectedLength;
                }
                else
                {
                    end = LSeek(fd, 0, SeekEnd);
                    if (end <= 0 || PRead(fd, probe, 1, end - 1) != 1) probe[0] = (byte)'\n'; // empty (or truncated meanwhile): nothing to end
                }
                var start = probe[0] != (byte)'\n' && TornLineCheck.StaysTorn(ref end, probe[0], fd, static fd => LookAtEnd(fd)) ? 0 : 1;
                if (start == 0) bytes[0] = (byte)'\n';
                var offset = start;
                var remaining = lines.Length - start;
                newLength = end + remaining;
                while (remaining > 0)
                {
                    var written = Write(fd, bytes + offset, (nuint)remaining);
                    if (written < 0)
                    {
                        var errno = Marshal.GetLastPInvokeError();
                        if (errno == EIntr) continue;
                        throw Failure("write", path, errno);
                    }
                    // A regular file takes the whole buffer unless the disk is full; loop for that case.
                    offset += (int)written;
                    remaining -= (int)written;
                }
            }
            return true;
        }
        finally
        {
            Close(fd);
        }
    }

    /// <summary>
    /// Takes the writers' lock: an open-file-description lock (<c>F_OFD_SETLKW</c>) on one byte far past any data,
    /// so it blocks no reader or writer of the data and only excludes the other appenders of this store (other
    /// processes and threads alike; the portable path locks the same byte). It waits while another appender holds
    /// it, which lasts one check and one write. Where the kernel refuses (before Linux 3.15: EINVAL; NFS without
    /// its lock daemon: ENOLCK) the append goes on unlocked, still guarded by <see cref="TornLineCheck"/>.
    /// </summary>
    private static unsafe void LockAgainstOtherWriters(int fd)
    {
        var request = new FLock { Type = FWrLck, Whence = SeekSet, Start = MetricFile.WriterLockOffset, Length = 1 };
        while (FcntlLock(fd, FOfdSetLkW, &request) < 0 && Marshal.GetLastPInvokeError() == EIntr)
        {
        }
    }

    /// <summary>
    /// The file's length and last byte, after waiting for writes in progress: an empty <c>write</c> takes the
    /// inode's write lock before it finds it has nothing to write, on ext4 and tmpfs at least, so it returns only
    /// once another process's write has completed (measured on both: a 256 MB write seen half-copied, the empty
    /// write returned when it was whole). Where it returns at once, <see cref="TornLineCheck"/>'s spacing does the waiting.
    /// </summary>
    private static unsafe (long End, byte Last) LookAtEnd(int fd)
    {
        byte last = 0;
        Write(fd, &last, 0);
        var end = LSeek(fd, 0, SeekEnd);
        if (end > 0 && PRead(fd, &last, 1, end - 1) != 1) end = 0;
        return (Math.Max(end, 0), last);
    }

    private static IOException Failure(string call, string path, int errno) =>
        new($"Could not append to the metric file '{path}' ({call}: {Marshal.GetPInvokeErrorMessage(errno)}).");
}
