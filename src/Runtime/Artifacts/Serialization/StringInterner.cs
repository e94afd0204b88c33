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

    public string Get(ReadOnlySpan<char> value)
    {
        if (_bySpan.TryGetValue(value, out var existing)) return existing;
        var created = value.ToString();
        _strings.Add(created);
        return created;
    }
}
