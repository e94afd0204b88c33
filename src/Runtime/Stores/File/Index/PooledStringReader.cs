using System.Text;

namespace Qlib.Tracked.Stores.FileBacked.Index;

/// <summary>
/// Reads <see cref="BinaryWriter.Write(string)"/> strings (7-bit length, UTF-8) from an in-memory payload, giving
/// one instance per distinct short string. Loading a persisted index means ~35 keys and values per run — 3.5 M
/// strings at 100,000 runs, nearly all repeats (key names, user names, small param values) — and allocating each
/// one costs more in the collector (every one survives, so every one is copied) than decoding it.
/// </summary>
internal sealed class PooledStringReader(BinaryReader reader, byte[] payload, RunIndexContext context)
{
    // Longer strings are rarely repeated (artifact URIs, notes): not worth a lookup.
    private const int MaxPooledBytes = 64;

    private readonly Dictionary<string, string> _keys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    /// <summary>A key name, shared with the store's key pool.</summary>
    public string ReadKey() => Read(_keys, isKey: true);

    /// <summary>A value or any other string.</summary>
    public string ReadValue() => Read(_values, isKey: false);

    private string Read(Dictionary<string, string> pool, bool isKey)
    {
        var length = reader.Read7BitEncodedInt();
        var start = reader.BaseStream.Position;
        if (length < 0 || length > payload.Length - start) throw new EndOfStreamException($"a string of {length} bytes runs past the end");
        var bytes = payload.AsSpan((int)start, length);
        reader.BaseStream.Position = start + length;
        if (length > MaxPooledBytes)
        {
            var text = Encoding.UTF8.GetString(bytes);
            return isKey ? context.Intern(text) : text;
        }
        Span<char> chars = stackalloc char[MaxPooledBytes]; // UTF-8 never decodes to more chars than bytes
        var decoded = chars[..Encoding.UTF8.GetChars(bytes, chars)];
        var lookup = pool.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(decoded, out var pooled)) return pooled;
        var created = new string(decoded);
        if (isKey) created = context.Intern(created);
        pool[created] = created;
        return created;
    }
}
