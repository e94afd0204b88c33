using System.Runtime.InteropServices;

namespace Qlib.Tracked.Artifacts;

/// <summary>
/// Turns the character slices of one column read into shared strings. Parquet.Net hands out a dictionary-encoded
/// column's rows as slices of one buffer per distinct value, so a slice whose whole buffer was seen before maps
/// to its string by reference, without hashing the characters; any other slice goes to the
/// <see cref="StringInterner"/>. Only valid while the slices of that one read are alive (buffers may be reused
/// by a later read).
/// </summary>
internal sealed class SliceInterner(StringInterner interner)
{
    private readonly ReferenceIndex _byBuffer = new();
    private readonly List<string> _strings = [];

    public string Get(ReadOnlyMemory<char> value)
    {
        if (!MemoryMarshal.TryGetArray(value, out var segment) || segment.Offset != 0 || segment.Count != segment.Array!.Length)
            return interner.Get(value.Span);
        if (_byBuffer.TryGet(segment.Array, out var known)) return _strings[known];
        var created = interner.Get(value.Span);
        _byBuffer.Add(segment.Array, _strings.Count);
        _strings.Add(created);
        return created;
    }
}
