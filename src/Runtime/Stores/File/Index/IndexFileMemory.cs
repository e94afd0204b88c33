using System.IO.MemoryMappedFiles;
using Microsoft.Win32.SafeHandles;

namespace Qlib.Tracked.Stores.FileBacked.Index;

/// <summary>
/// The bytes of a loaded index file, read-only. Memory-mapped on Linux and macOS: a 100,000-run index is ~140 MB,
/// and copying it into a fresh array costs a page fault per 4 KiB (0.7–1.9 s on the 2-core bench VM, against
/// ~0.1 s to map and hash it). Read into an array on Windows (a mapped file cannot be replaced by the next save's
/// rename), under <see cref="Interop.NativeCalls.ForcePortable"/>, and where the file system cannot map.
/// </summary>
/// <remarks>
/// The mapping is owned by its view's <see cref="System.Runtime.InteropServices.SafeHandle"/> and released by <see cref="Dispose"/>, which the
/// store's <see cref="RunIndex.Dispose"/> calls; there is no finalizer here (the SafeHandle's own finalizer is the
/// runtime's backstop for a store never disposed of). Reading after Dispose throws <see cref="ObjectDisposedException"/>;
/// disposing while a query reads is not allowed (as for any Dispose).
/// The store only replaces the index file by renaming a new one over it, which leaves the mapped inode untouched; a
/// tool that rewrites it in place is caught before each query by <see cref="ChangedSinceOpened"/>, but one that
/// truncates it during a query can fault that query's reads, which a mapping cannot guard against.
/// </remarks>
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

    /// <summary>Opens <paramref name="path"/>; throws what opening a file throws, and <see cref="InvalidDataException"/> past 2 GiB.</summary>
    /// <param name="path">The index file.</param>
    /// <param name="map">False reads the file into an array, as on Windows.</param>
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
        // No AcquirePointer (which would pin the handle until a ReleasePointer): while this object is reachable its view
        // is, and a store never disposed of lets the view's SafeHandle unmap the file when both are collected.
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
