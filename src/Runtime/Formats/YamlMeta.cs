using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Qlib.Tracked.Formats;

/// <summary>
/// A parsed <c>meta.yaml</c> mapping. Accepts any valid YAML spelling (plain, quoted, folded;
/// integer ids written by MLflow 1.x) through YamlDotNet's representation model, which needs no
/// reflection; the one-line-per-key shape MLflow writers produce is read directly
/// (<see cref="FlatYamlMapping"/>), with the same result.
/// </summary>
internal sealed class YamlMeta
{
    private readonly YamlMappingNode? _node;
    private readonly Dictionary<string, FlatYamlMapping.Scalar>? _flat;

    private YamlMeta(YamlMappingNode node) => _node = node;

    private YamlMeta(Dictionary<string, FlatYamlMapping.Scalar> flat) => _flat = flat;

    /// <summary>Parses <paramref name="text"/>; null when it is empty, not YAML, or not a mapping.</summary>
    public static YamlMeta? TryParse(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        return FlatYamlMapping.TryRead(text) is { } flat ? new YamlMeta(flat) : TryParseWithYamlDotNet(text);
    }

    /// <summary>The general path (also what tests compare the flat reader against).</summary>
    internal static YamlMeta? TryParseWithYamlDotNet(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            return stream.Documents.Count > 0 && stream.Documents[0].RootNode is YamlMappingNode map ? new YamlMeta(map) : null;
        }
        catch (YamlException)
        {
            return null;
        }
        catch (ArgumentException)
        {
            // Found by FlatYamlMappingTests' random texts: YamlDotNet's document loader throws this on some
            // damaged input ("The current event is of an unsupported type").
            return null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this instead of a YamlException on some damaged input (a control
            // character inside an unclosed flow sequence); it is just as much "not a meta file".
            return null;
        }
    }

    public bool Contains(string key) => _flat?.ContainsKey(key) ?? _node!.Children.ContainsKey(new YamlScalarNode(key));

    /// <summary>
    /// True when <paramref name="key"/> holds something other than a YAML null: a scalar, or a list or mapping (which
    /// <see cref="GetString"/> does not return, so a reader can tell "absent" from "there, but not a scalar").
    /// </summary>
    public bool HasValue(string key)
    {
        if (_flat is not null)
            return _flat.TryGetValue(key, out var flat) && !(flat.IsPlain && flat.Value is { } text && IsNullText(text));
        return _node!.Children.TryGetValue(new YamlScalarNode(key), out var value) && !(value is YamlScalarNode scalar && IsNull(scalar));
    }

    /// <summary>The scalar at <paramref name="key"/> as text; null when missing or a YAML null.</summary>
    public string? GetString(string key)
    {
        if (_flat is not null)
            return _flat.TryGetValue(key, out var flat) && flat.Value is { } text && !(flat.IsPlain && IsNullText(text)) ? text : null;
        if (!_node!.Children.TryGetValue(new YamlScalarNode(key), out var value) || value is not YamlScalarNode scalar) return null;
        return IsNull(scalar) ? null : scalar.Value;
    }

    /// <summary>The scalar at <paramref name="key"/> as an integer; null when missing, null or not an integer.</summary>
    public long? GetLong(string key)
    {
        var text = GetString(key);
        if (text is null) return null;
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)) return value;
        // Some writers spell integral times as floats (1.7e12); accept them when exact.
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d == Math.Floor(d) && Math.Abs(d) < 9e18
            ? (long)d
            : null;
    }

    /// <summary>The nested mapping at <paramref name="key"/> as string pairs (non-scalar entries are skipped).</summary>
    public IReadOnlyDictionary<string, string> GetStringMap(string key)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (_node is null) return result; // the flat shape has no nested mappings
        if (!_node.Children.TryGetValue(new YamlScalarNode(key), out var value) || value is not YamlMappingNode map) return result;
        foreach (var (k, v) in map.Children)
        {
            if (k is YamlScalarNode { Value: { } name } && v is YamlScalarNode scalar)
                result[name] = IsNull(scalar) ? "" : scalar.Value ?? "";
        }
        return result;
    }

    private static bool IsNull(YamlScalarNode scalar) =>
        scalar.Style is ScalarStyle.Plain or ScalarStyle.Any && (scalar.Value is null || IsNullText(scalar.Value));

    private static bool IsNullText(string value) => value is "" or "~" or "null" or "Null" or "NULL";
}
