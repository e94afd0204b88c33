namespace Qlib.Tracked.Formats.Python;

/// <summary>
/// A YAML mapping to write with <see cref="PyYamlWriter"/>. Values are limited to what MLflow's
/// <c>meta.yaml</c> files hold: strings, integers, null, the empty list and nested mappings.
/// Keys are written sorted, as PyYAML's <c>safe_dump</c> does, so insertion order does not matter.
/// </summary>
internal sealed class YamlMapping
{
    private readonly List<KeyValuePair<string, object?>> _entries = [];

    /// <summary>The marker for an empty sequence (<c>[]</c>).</summary>
    public static object EmptyList { get; } = new();

    public int Count => _entries.Count;

    public IReadOnlyList<KeyValuePair<string, object?>> Entries => _entries;

    public YamlMapping Add(string key, string? value) => AddValue(key, value);

    public YamlMapping Add(string key, long? value) => AddValue(key, value);

    public YamlMapping Add(string key, YamlMapping value) => AddValue(key, value);

    public YamlMapping AddEmptyList(string key) => AddValue(key, EmptyList);

    private YamlMapping AddValue(string key, object? value)
    {
        _entries.Add(new(key, value));
        return this;
    }
}
