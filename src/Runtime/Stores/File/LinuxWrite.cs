using System.Runtime.InteropServices;

namespace Qlib.Tracked.Stores.FileBacked;

/// <summary>
/// Small whole-file writes and renames through the C library on Linux: <c>open</c> + <c>write</c> +
/// <c>close</c> (3 system calls) where <see cref="File.WriteAllBytes(string, byte[])"/> makes 8 (open,
/// fstatfs, flock, ftruncate, lseek, pwrite, flock, close), and <c>rename</c> alone where
/// <see cref="File.Move(string, string, bool)"/> also stats the source. Run creation writes six such files, so
/// this is a fifth of its system calls. Same flags and mode as .NET (<c>0666</c> before the umask).
/// </summary>
/// <remarks>Linux only, for the reasons given on <see cref="LinuxAppend"/>; other systems use the .NET APIs.</remarks>
internal static partial class LinuxWrite
{
    private const int OWrOnly = 0x1, OCreat = 0x40, OExcl = 0x80, OTrunc = 0x200, OCloExec = 0x80000;
    private const int EPerm = 1, ENoEnt = 2, EIntr = 4, EAcces = 13, EExist = 17, EIsDir = 21;
    private const int FileMode0666 = 0x1B6;

    public static bool IsSupported => LinuxAppend.IsSupported;

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
    public static void Replace(string source, string destination)
    {
        if (Rename(source, destination) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"Could not rename '{source}' to '{destination}' ({Marshal.GetPInvokeErrorMessage(errno)}).");
        }
    }

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

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static unsafe partial nint Write(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "rename", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Rename(string source, string destination);
}
