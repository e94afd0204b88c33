using System.IO.MemoryMappedFiles;
using Microsoft.Win32.SafeHandles;

namespace Qlib.Tracked.Stores.FileBacked.Index;

/// <summary>
/// The bytes of a loaded index file, read-only. Memory-mapped on Linux and macOS: a 100,000-run index is ~140 MB,
/// and copying it into a fresh array costs a page fault per 4 KiB (0.7–1.9 s on the 2-core bench VM, against
/// ~0.1 s to map and hash it). Read into an array on Windows (a mapped file cannot be replaced by the next save's
/// rename), under <see cref="Interop.NativeCalls.ForcePortable"/>, and where the file system cannot map.
/// </summary>
/// <remarks>Lifetime and what a mapping cannot guard against: README.md in this folder.</remarks>
internal sealed unsafe class IndexFileMemory : IDisposable
{
    private readonly SafeFileHandle? _file;
    private readonly MemoryMappedViewAccessor? _view;
    private readonly byte* _pointer;
    private readonly byte[]? _array;
    private readonly FileStamp _opened;
    private int _released;

    private IndexFileMemory(SafeFileHandle? file, MemoryMappedViewAccessor? view, byte* pointer, byte[]? array, int length, FileStamp opened)
    {
        _file = file;
        _view = view;
        _pointer = pointer;
        _array = array;
        Length = length;
        _opened = opened;
    }

    public int Length { get; }

    /// <summary>The whole file; valid until <see cref="Dispose"/>.</summary>
    public ReadOnlySpan<byte> Bytes
    {
        get
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _released) != 0, this);
            return _array ?? new ReadOnlySpan<byte>(_pointer, Length);
        }
    }

    /// <summary>Throws what opening a file throws, and <see cref="InvalidDataException"/> past 2 GiB; <paramref name="map"/> false reads it into an array.</summary>
    public static IndexFileMemory Open(string path, bool map = true)
    {
        var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        try
        {
            var length = RandomAccess.GetLength(file);
            if (length > int.MaxValue) throw new InvalidDataException($"{length} bytes is larger than an index can be");
            var opened = Stamp(file);
            if (map && !OperatingSystem.IsWindows() && !Interop.NativeCalls.ForcePortable && length > 0 && TryMap(file, (int)length, opened) is { } mapped)
                return mapped;
            var array = new byte[length];
            for (var read = 0; read < array.Length;)
            {
                var n = RandomAccess.Read(file, array.AsSpan(read), read);
                if (n == 0) throw new InvalidDataException("the file shrank while it was read");
                read += n;
            }
            file.Dispose();
            return new IndexFileMemory(null, null, null, array, array.Length, opened);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Maps the file, or null where the file system cannot map it (then it is read instead).</summary>
    private static IndexFileMemory? TryMap(SafeFileHandle file, int length, FileStamp opened)
    {
        MemoryMappedViewAccessor view;
        try
        {
            using var map = MemoryMappedFile.CreateFromFile(file, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: true);
            view = map.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return null;
        }
        // No AcquirePointer: the view (reachable while this is) keeps the mapping; its SafeHandle unmaps when collected.
        var pointer = (byte*)view.SafeMemoryMappedViewHandle.DangerousGetHandle() + view.PointerOffset;
        return new IndexFileMemory(file, view, pointer, null, length, opened);
    }

    private static FileStamp Stamp(SafeFileHandle file) => new(File.GetLastWriteTimeUtc(file).Ticks, RandomAccess.GetLength(file));

    /// <summary>True when the mapped file was written in place since it was opened (one fstat; a rename over its path is not a change).</summary>
    public bool ChangedSinceOpened()
    {
        if (_file is null || Volatile.Read(ref _released) != 0) return false;
        try { return Stamp(_file) != _opened; }
        catch (IOException) { return true; }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) != 0) return;
        _view?.Dispose();
        _file?.Dispose();
    }
}
