namespace Qlib.Tracked.Artifacts;

/// <summary>
/// One string per distinct character sequence, looked up by span so a value seen before costs no allocation.
/// Used while reading a column whose values repeat (instruments, one per date).
/// </summary>
internal sealed class StringInterner
{
    private readonly HashSet<string> _strings = new(StringComparer.Ordinal);
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _bySpan;

    public StringInterner() => _bySpan = _strings.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The string for UTF-8 <paramref name="utf8"/> (invalid sequences become U+FFFD, as in any UTF-8 decode).</summary>
    public string GetUtf8(ReadOnlySpan<byte> utf8)
    {
        var chars = utf8.Length <= 256 ? stackalloc char[utf8.Length] : new char[utf8.Length];
        var count = System.Text.Encoding.UTF8.GetChars(utf8, chars);
        return Get(chars[..count]);
    }

    public string Get(ReadOnlySpan<char> value)
    {
        if (_bySpan.TryGetValue(value, out var existing)) return existing;
        var created = value.ToString();
        _strings.Add(created);
        return created;
    }
}
