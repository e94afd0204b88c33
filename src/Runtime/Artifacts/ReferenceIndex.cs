using System.Runtime.CompilerServices;

namespace Qlib.Tracked.Artifacts;

/// <summary>
/// Object reference → small integer, an open-addressing table keyed by identity hash. Frame columns repeat a few
/// hundred objects (instrument strings, decoded value buffers) over a million rows; looking each row up here costs a
/// few nanoseconds, a third of a <see cref="Dictionary{TKey,TValue}"/> with a reference comparer.
/// </summary>
internal sealed class ReferenceIndex
{
    private object?[] _keys = new object?[64];
    private int[] _values = new int[64];

    public int Count { get; private set; }

    public bool TryGet(object key, out int value)
    {
        var mask = _keys.Length - 1;
        for (var slot = RuntimeHelpers.GetHashCode(key) & mask; ; slot = (slot + 1) & mask)
        {
            var found = _keys[slot];
            if (ReferenceEquals(found, key))
            {
                value = _values[slot];
                return true;
            }
            if (found is null)
            {
                value = 0;
                return false;
            }
        }
    }

    /// <summary>Adds a key not present yet.</summary>
    public void Add(object key, int value)
    {
        if (2 * (Count + 1) > _keys.Length) Grow();
        Insert(_keys, _values, key, value);
        Count++;
    }

    private void Grow()
    {
        var keys = new object?[_keys.Length * 2];
        var values = new int[keys.Length];
        for (var i = 0; i < _keys.Length; i++)
            if (_keys[i] is { } key) Insert(keys, values, key, _values[i]);
        _keys = keys;
        _values = values;
    }

    private static void Insert(object?[] keys, int[] values, object key, int value)
    {
        var mask = keys.Length - 1;
        var slot = RuntimeHelpers.GetHashCode(key) & mask;
        while (keys[slot] is not null) slot = (slot + 1) & mask;
        keys[slot] = key;
        values[slot] = value;
    }
}
