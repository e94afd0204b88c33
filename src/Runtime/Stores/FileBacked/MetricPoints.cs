using System.Collections;
using Qlib.Tracked.Entities;

namespace Qlib.Tracked.Stores.FileBacked;

/// <summary>
/// A metric's history as read from its file: points in file order, kept in chunks of 2,048 (64 KiB each). One
/// array for a 100,000-point history would be a 3.2 MB large-object allocation, which the collector serves from
/// freshly committed memory — and on the VMs this runs on, touching fresh memory costs more than parsing the file.
/// Chunks under the large-object threshold come from the young generation, whose memory is reused call after call.
/// </summary>
internal sealed class MetricPoints : IReadOnlyList<Metric>
{
    private const int ChunkShift = 11;
    private const int ChunkSize = 1 << ChunkShift;
    private const int ChunkMask = ChunkSize - 1;

    private Metric[][] _chunks = new Metric[4][];
    private int _count;

    public int Count => _count;

    public Metric this[int index]
    {
        get
        {
            if ((uint)index >= (uint)_count) throw new ArgumentOutOfRangeException(nameof(index), index, $"The history has {_count} points.");
            return _chunks[index >> ChunkShift][index & ChunkMask];
        }
    }

    public void Add(in Metric point)
    {
        var chunk = _count >> ChunkShift;
        if (chunk == _chunks.Length) Array.Resize(ref _chunks, _chunks.Length * 2);
        var slots = _chunks[chunk] ??= new Metric[ChunkSize];
        slots[_count & ChunkMask] = point;
        _count++;
    }

    public Enumerator GetEnumerator() => new(this);

    IEnumerator<Metric> IEnumerable<Metric>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public struct Enumerator(MetricPoints points) : IEnumerator<Metric>
    {
        private int _index = -1;

        public readonly Metric Current => points._chunks[_index >> ChunkShift][_index & ChunkMask];

        readonly object IEnumerator.Current => Current;

        public bool MoveNext() => ++_index < points._count;

        public void Reset() => _index = -1;

        public readonly void Dispose() { }
    }
}
