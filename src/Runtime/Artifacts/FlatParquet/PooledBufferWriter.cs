using System.Buffers;

namespace Qlib.Tracked.Artifacts.FlatParquet;

/// <summary>
/// An <see cref="IBufferWriter{T}"/> of bytes whose storage is rented from <see cref="ArrayPool{T}.Shared"/> and
/// returned on <see cref="Dispose"/>, so a writer that grows to megabytes (a million-row page of dictionary
/// indices) reuses the same memory save after save instead of taking fresh memory, page by page, each time.
/// </summary>
internal sealed class PooledBufferWriter : IBufferWriter<byte>, IDisposable
{
    private byte[] _buffer;
    private int _written;

    public PooledBufferWriter(int initialCapacity = 256) =>
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(initialCapacity, 16));

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _written);

    public int WrittenCount => _written;

    /// <summary>Forgets what was written, keeping the storage.</summary>
    public void ResetWrittenCount() => _written = 0;

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count > _buffer.Length - _written) throw new InvalidOperationException($"Advanced {count} bytes past the {_buffer.Length - _written} requested.");
        _written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_written);
    }

    private void Ensure(int sizeHint)
    {
        var needed = Math.Max(sizeHint, 1);
        if (_buffer.Length - _written >= needed) return;
        var grown = ArrayPool<byte>.Shared.Rent(checked(Math.Max(_buffer.Length * 2, _written + needed)));
        _buffer.AsSpan(0, _written).CopyTo(grown);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = grown;
    }

    public void Dispose()
    {
        if (_buffer.Length == 0) return;
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
        _written = 0;
    }
}
