using System.Runtime.InteropServices;
using Qlib.Tracked.Interop;
using static Qlib.Tracked.Interop.Errno;
using static Qlib.Tracked.Interop.Libc;

namespace Qlib.Tracked.Stores.FileBacked;

/// <summary>
/// Small whole-file writes and renames through the C library on Linux: <c>open</c> + <c>write</c> +
/// <c>close</c> (3 system calls) where <see cref="File.WriteAllBytes(string, byte[])"/> makes 8 (open,
/// fstatfs, flock, ftruncate, lseek, pwrite, flock, close), and <c>rename</c> alone where
/// <see cref="File.Move(string, string, bool)"/> also stats the source. Run creation writes six such files, so
/// this is a fifth of its system calls. Same flags and mode as .NET (<c>0666</c> before the umask).
/// </summary>
/// <remarks>Linux only, for the reasons given on <see cref="LinuxAppend"/>; other systems use the .NET APIs.</remarks>
internal static class LinuxWrite
{
    public static bool IsSupported => NativeCalls.Usable;

    /// <summary>
    /// Creates or truncates <paramref name="path"/> (or, with <paramref name="createNew"/>, creates it and fails
    /// if it exists) and writes <paramref name="bytes"/>. Returns false when the folder does not exist.
    /// </summary>
    public static unsafe bool TryWriteAll(string path, ReadOnlySpan<byte> bytes, bool createNew)
    {
        var fd = Open(path, OWrOnly | OCreat | OCloExec | (createNew ? OExcl : OTrunc), FileMode0666);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno == ENoEnt) return false;
            throw Failure("open", path, errno);
        }
        try
        {
            fixed (byte* start = bytes)
            {
                var offset = 0;
                while (offset < bytes.Length)
                {
                    var written = Write(fd, start + offset, (nuint)(bytes.Length - offset));
                    if (written < 0)
                    {
                        var errno = Marshal.GetLastPInvokeError();
                        if (errno == EIntr) continue;
                        throw Failure("write", path, errno);
                    }
                    offset += (int)written;
                }
            }
            return true;
        }
        finally
        {
            Close(fd);
        }
    }

    /// <summary>Atomically replaces <paramref name="destination"/> with <paramref name="source"/> (same folder).</summary>
    /// <remarks>
    /// Where the file system can, the two names are swapped (<c>renameat2</c> with <c>RENAME_EXCHANGE</c>) and
    /// the old file, now under the temp name, is unlinked: readers see the old or the new file, as with a
    /// plain rename. A plain rename over an existing file makes ext4 (delayed allocation with its default
    /// <c>auto_da_alloc</c>) allocate and start writing the new file's blocks inside the call — about half of
    /// ending a run in this project's profiles (7 % of creating and ending one) — while after a swap the kernel's flusher writes them
    /// later, off the caller's thread. Nothing is synced either way (MLflow does not sync either).
    /// </remarks>
    public static void Replace(string source, string destination)
    {
        if (s_exchangeSupported)
        {
            if (RenameAt2(AtFdCwd, source, AtFdCwd, destination, RenameExchange) == 0)
            {
                // The old content is under the temp name now; a failed unlink only leaves a hidden temp file.
                if (Unlink(source) == 0 || Marshal.GetLastPInvokeError() != EIsDir) return;
                // The destination was a folder, which the exchange moved aside: put it back and refuse, as rename(2)
                // does — replacing a file must never move a folder out of the way.
                RenameAt2(AtFdCwd, source, AtFdCwd, destination, RenameExchange);
                throw ReplaceFailure(source, destination, EIsDir);
            }
            var errno = Marshal.GetLastPInvokeError();
            // EPERM too: some sandboxes refuse unknown system calls that way; a real permission problem is then
            // reported by the plain rename below.
            if (errno is EInval or ENoSys or EPerm) s_exchangeSupported = false;
            else if (errno != ENoEnt) throw ReplaceFailure(source, destination, errno);
            // ENOENT: no destination yet (or no source, which the rename below reports).
        }
        if (Rename(source, destination) != 0) throw ReplaceFailure(source, destination, Marshal.GetLastPInvokeError());
    }

    /// <summary>
    /// <c>rename(2)</c> of <paramref name="source"/> onto <paramref name="destination"/> (same folder), for a destination
    /// that does not exist yet, where <see cref="Replace"/>'s exchange would only fail first (and when it does exist,
    /// rename still replaces it atomically).
    /// </summary>
    public static void RenameOntoNew(string source, string destination)
    {
        if (Rename(source, destination) != 0) throw ReplaceFailure(source, destination, Marshal.GetLastPInvokeError());
    }

    private static volatile bool s_exchangeSupported = true;

    private static IOException ReplaceFailure(string source, string destination, int errno) =>
        new($"Could not rename '{source}' to '{destination}' ({Marshal.GetPInvokeErrorMessage(errno)}).");

    // The exception types .NET's own file APIs throw for these errors.
    private static Exception Failure(string call, string path, int errno)
    {
        var message = $"Could not write '{path}' ({call}: {Marshal.GetPInvokeErrorMessage(errno)}).";
        return errno switch
        {
            ENoEnt => new DirectoryNotFoundException(message),
            EPerm or EAcces or EIsDir => new UnauthorizedAccessException(message),
            EExist => new IOException(message, unchecked((int)0x80070050)),
            _ => new IOException(message),
        };
    }
}
