using System.Buffers.Binary;
using System.IO.MemoryMappedFiles;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Qlib.Tracked.Stores.FileBacked.Index;

/// <summary>
/// The bytes of a loaded index file, read-only, with every read bounds-checked. On Linux and macOS the file is
/// memory-mapped: a 100,000-run index is ~140 MB, and copying it into a fresh array costs a page fault per 4 KiB
/// of new memory (measured 0.7–1.9 s for read + first touch on the 2-core bench VM, against ~0.1 s to map and
/// hash it), while a mapping shares the pages the OS already caches. On Windows a mapped file cannot be replaced
/// by the next save's rename, so the file is read into a pinned array instead, as it is on a file system that
/// cannot map files.
/// </summary>
/// <remarks>
/// The store only ever replaces the index file by renaming a new one over it, which leaves the mapped file (its
/// old inode) untouched. A tool that rewrites it in place is detected before each query by
/// <see cref="ChangedSinceOpened"/> (the index is then rebuilt); one that truncates it while a query is reading
/// it can make that read fault, which is the one thing a mapping cannot guard against.
/// </remarks>
internal sealed unsafe class IndexFileMemory : IDisposable
{
    private readonly byte* _pointer;
    private readonly SafeFileHandle? _file;
    private readonly MemoryMappedViewAccessor? _view;
    private readonly byte[]? _pinned;
    private readonly FileStamp _opened;
    private int _released;

    private IndexFileMemory(byte* pointer, int length, SafeFileHandle? file, MemoryMappedViewAccessor? view, byte[]? pinned, FileStamp opened)
    {
        _pointer = pointer;
        Length = length;
        _file = file;
        _view = view;
        _pinned = pinned;
        _opened = opened;
    }

    public int Length { get; }

    /// <summary>Opens <paramref name="path"/>; throws what opening a file throws, and <see cref="InvalidDataException"/> past 2 GiB.</summary>
    /// <param name="path">The index file.</param>
    /// <param name="map">False reads the file into a pinned array, as on Windows (for tests of that path).</param>
    public static IndexFileMemory Open(string path, bool map = true)
    {
        var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        try
        {
            var length = RandomAccess.GetLength(file);
            if (length > int.MaxValue) throw new InvalidDataException($"{length} bytes is larger than an index can be");
            var opened = Stamp(file);
            if (map && !OperatingSystem.IsWindows() && !Interop.NativeCalls.ForcePortable && length > 0 && TryMap(file, (int)length, opened) is { } mapped) return mapped;
            var pinned = GC.AllocateUninitializedArray<byte>((int)length, pinned: true);
            for (var read = 0; read < pinned.Length;)
            {
                var n = RandomAccess.Read(file, pinned.AsSpan(read), read);
                if (n == 0) throw new InvalidDataException("the file shrank while it was read");
                read += n;
            }
            file.Dispose();
            // Pinned (allocated on the pinned heap), so the pointer stays valid while this object holds the array.
            var data = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(pinned));
            return new IndexFileMemory(data, pinned.Length, null, null, pinned, opened);
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
        byte* pointer = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        return new IndexFileMemory(pointer + view.PointerOffset, length, file, view, null, opened);
    }

    private static FileStamp Stamp(SafeFileHandle file) => new(File.GetLastWriteTimeUtc(file).Ticks, RandomAccess.GetLength(file));

    /// <summary>True when the mapped file was written in place since it was opened (one fstat; a rename over its path is not a change).</summary>
    public bool ChangedSinceOpened()
    {
        if (_file is null || Volatile.Read(ref _released) != 0) return false;
        try { return Stamp(_file) != _opened; }
        catch (IOException) { return true; }
    }

    public byte ReadByte(int offset)
    {
        Check(offset, 1);
        var value = _pointer[offset];
        GC.KeepAlive(this);
        return value;
    }

    public int ReadInt32(int offset)
    {
        Check(offset, 4);
        var value = BinaryPrimitives.ReadInt32LittleEndian(new ReadOnlySpan<byte>(_pointer + offset, 4));
        GC.KeepAlive(this);
        return value;
    }

    public long ReadInt64(int offset)
    {
        Check(offset, 8);
        var value = BinaryPrimitives.ReadInt64LittleEndian(new ReadOnlySpan<byte>(_pointer + offset, 8));
        GC.KeepAlive(this);
        return value;
    }

    public string ReadUtf8(int offset, int length)
    {
        Check(offset, length);
        var value = Encoding.UTF8.GetString(_pointer + offset, length);
        GC.KeepAlive(this);
        return value;
    }

    public bool BytesEqual(int offset, ReadOnlySpan<byte> expected)
    {
        Check(offset, expected.Length);
        var equal = new ReadOnlySpan<byte>(_pointer + offset, expected.Length).SequenceEqual(expected);
        GC.KeepAlive(this);
        return equal;
    }

    public ulong Hash(int offset, int length)
    {
        Check(offset, length);
        var hash = RunIndexFile.Hash(new ReadOnlySpan<byte>(_pointer + offset, length));
        GC.KeepAlive(this);
        return hash;
    }

    /// <summary>
    /// Copies the int32 at <paramref name="field"/> of each of <paramref name="destination"/>.Length records of
    /// <paramref name="stride"/> bytes starting at <paramref name="offset"/> (one bounds check for the block).
    /// </summary>
    public void ReadInt32Field(int offset, int stride, int field, Span<int> destination)
    {
        Check(offset, destination.Length * stride);
        if (destination.Length > 0 && (field < 0 || field > stride - 4)) throw new ArgumentOutOfRangeException(nameof(field));
        var p = _pointer + offset + field;
        for (var i = 0; i < destination.Length; i++, p += stride) destination[i] = BinaryPrimitives.ReadInt32LittleEndian(new ReadOnlySpan<byte>(p, 4));
        GC.KeepAlive(this);
    }

    /// <summary>The first of <paramref name="count"/> records of <paramref name="stride"/> bytes at <paramref name="offset"/> whose leading int32 is <paramref name="value"/>, or -1.</summary>
    public int IndexOfInt32(int offset, int count, int stride, int value)
    {
        Check(offset, count * stride);
        var found = -1;
        var p = _pointer + offset;
        for (var i = 0; i < count; i++, p += stride)
        {
            if (BinaryPrimitives.ReadInt32LittleEndian(new ReadOnlySpan<byte>(p, 4)) == value)
            {
                found = i;
                break;
            }
        }
        GC.KeepAlive(this);
        return found;
    }

    public byte[] ToArray()
    {
        if (_pinned is not null) return (byte[])_pinned.Clone();
        var copy = new ReadOnlySpan<byte>(_pointer, Length).ToArray();
        GC.KeepAlive(this);
        return copy;
    }

    private void Check(int offset, int length)
    {
        if (offset < 0 || length < 0 || offset > Length - length)
            throw new InvalidDataException($"{length} bytes at {offset} run past the end of the {Length}-byte index");
        if (Volatile.Read(ref _released) != 0) throw new ObjectDisposedException(nameof(IndexFileMemory));
    }

    /// <summary>Unmaps now; only for memory no index entry refers to (a file that failed to load, or was copied out).</summary>
    public void Dispose()
    {
        Release();
        GC.SuppressFinalize(this);
    }

    // Entries that still read from the file keep this object reachable; once none does, the mapping can go.
    ~IndexFileMemory() => Release();

    private void Release()
    {
        if (Interlocked.Exchange(ref _released, 1) != 0) return;
        if (_view is not null)
        {
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
            _view.Dispose();
        }
        _file?.Dispose();
    }
}
