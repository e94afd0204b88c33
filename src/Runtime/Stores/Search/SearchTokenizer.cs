using System.Globalization;

namespace Qlib.Tracked.Stores.Search;

/// <summary>
/// Reads the pieces of a filter or order_by clause: identifiers (with backtick or double-quote
/// quoted keys), comparators, quoted strings, numbers and keywords.
/// </summary>
internal ref struct SearchTokenizer(string text)
{
    private readonly string _text = text;
    private int _pos;

    public readonly bool AtEnd => SkipWhitespace(_pos) >= _text.Length;

    public readonly int Position => _pos;

    /// <summary>An identifier: <c>type.key</c> (split on the FIRST dot, key optionally quoted) or a bare attribute key.</summary>
    public SearchIdentifier ReadIdentifier()
    {
        _pos = SkipWhitespace(_pos);
        if (_pos < _text.Length && _text[_pos] is '`' or '"')
            return new SearchIdentifier(SearchEntity.Attribute, SearchIdentifier.ResolveAttribute(ReadQuoted(_text[_pos])));

        var start = _pos;
        while (_pos < _text.Length && (char.IsLetterOrDigit(_text[_pos]) || _text[_pos] == '_')) _pos++;
        var word = _text[start.._pos];
        if (word.Length == 0) throw Unsupported($"expected an identifier at position {start}");
        if (_pos >= _text.Length || _text[_pos] != '.')
            return new SearchIdentifier(SearchEntity.Attribute, SearchIdentifier.ResolveAttribute(word));

        _pos++; // the dot
        var entity = SearchIdentifier.ParseType(word)
            ?? throw TrackingException.InvalidParameter(
                $"Invalid entity type '{word}'. Valid values are ['metric', 'parameter', 'tag', 'attribute', 'run']");
        string key;
        if (_pos < _text.Length && _text[_pos] is '`' or '"')
        {
            key = ReadQuoted(_text[_pos]);
        }
        else
        {
            var keyStart = _pos;
            while (_pos < _text.Length && !char.IsWhiteSpace(_text[_pos]) && _text[_pos] is not ('=' or '!' or '<' or '>')) _pos++;
            key = _text[keyStart.._pos];
        }
        if (key.Length == 0) throw Unsupported($"'{word}.' has no key");
        return entity == SearchEntity.Attribute
            ? new SearchIdentifier(entity, SearchIdentifier.ResolveAttribute(key))
            : new SearchIdentifier(entity, key);
    }

    /// <summary>A comparator (<c>= != &lt; &lt;= &gt; &gt;=</c>) or keyword operator (LIKE, ILIKE, IN, NOT IN), upper-cased.</summary>
    public string ReadComparator()
    {
        _pos = SkipWhitespace(_pos);
        var start = _pos;
        while (_pos < _text.Length && _text[_pos] is '=' or '!' or '<' or '>') _pos++;
        if (_pos > start) return _text[start.._pos];
        var word = ReadWord();
        if (word.Equals("NOT", StringComparison.OrdinalIgnoreCase))
        {
            var next = ReadWord();
            return "NOT " + next.ToUpperInvariant();
        }
        return word.ToUpperInvariant();
    }

    /// <summary>A quoted string value, or null (position unchanged) when the value is not quoted.</summary>
    public string? TryReadString()
    {
        _pos = SkipWhitespace(_pos);
        if (_pos < _text.Length && _text[_pos] is '\'' or '"') return ReadQuoted(_text[_pos]);
        return null;
    }

    /// <summary>An unquoted token (number or word) up to the next whitespace.</summary>
    public string ReadBareToken()
    {
        _pos = SkipWhitespace(_pos);
        var start = _pos;
        while (_pos < _text.Length && !char.IsWhiteSpace(_text[_pos])) _pos++;
        return _text[start.._pos];
    }

    public string ReadWord()
    {
        _pos = SkipWhitespace(_pos);
        var start = _pos;
        while (_pos < _text.Length && char.IsLetter(_text[_pos])) _pos++;
        return _text[start.._pos];
    }

    public readonly string Rest => _text[SkipWhitespace(_pos)..];

    private string ReadQuoted(char quote)
    {
        var start = ++_pos;
        var close = _text.IndexOf(quote, start);
        if (close < 0) throw Unsupported($"unterminated {quote} quote at position {start - 1}");
        _pos = close + 1;
        return _text[start..close];
    }

    private readonly int SkipWhitespace(int pos)
    {
        while (pos < _text.Length && char.IsWhiteSpace(_text[pos])) pos++;
        return pos;
    }

    public static bool TryParseNumber(string token, out double value) =>
        double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    public readonly TrackingException Unsupported(string detail) =>
        TrackingException.InvalidParameter(
            $"Filter '{_text}' is not supported yet ({detail}). Supported: comparisons joined by AND on metrics.<key> " +
            "(= != < <= > >= number), params./tags.<key> and string attributes (= != LIKE ILIKE 'text'), start_time/end_time (number).");
}
