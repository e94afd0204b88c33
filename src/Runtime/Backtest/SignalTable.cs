using Qlib.Tracked.Frames;

namespace Qlib.Tracked.Backtest;

/// <summary>
/// The prediction per signal date: for each date, the instruments in first-appearance order and the last
/// non-NaN score of each (NaN when it has none), as Qlib's <c>get_signal</c> resamples a one-day window.
/// </summary>
internal sealed class SignalTable
{
    private readonly Dictionary<DateTime, SignalDay> _byDate;

    public SignalTable(PredictionFrame pred)
    {
        ArgumentNullException.ThrowIfNull(pred);
        var builders = new Dictionary<DateTime, SignalDay.Builder>();
        SignalDay.Builder? current = null;
        var currentDate = DateTime.MinValue;
        for (var i = 0; i < pred.RowCount; i++)
        {
            var date = pred.Datetime[i].Date;
            // Rows of one date are normally consecutive: look the date up only when it changes.
            if (current is null || date != currentDate)
            {
                if (!builders.TryGetValue(date, out current))
                {
                    current = new SignalDay.Builder();
                    builders[date] = current;
                }
                currentDate = date;
            }
            current.Add(pred.Instrument[i], pred.Score[i]);
        }
        _byDate = new Dictionary<DateTime, SignalDay>(builders.Count);
        foreach (var (date, builder) in builders) _byDate[date] = builder.Build();
        Dates = [.. _byDate.Keys.Order()];
    }

    /// <summary>The signal dates, ascending.</summary>
    public DateTime[] Dates { get; }

    /// <summary>The signal of <paramref name="date"/> (its time of day ignored); false when there is none.</summary>
    public bool TryGetDay(DateTime date, out SignalDay day) => _byDate.TryGetValue(date.Date, out day!);

    public bool TryGet(DateTime date, out string[] instruments, out Dictionary<string, double> scores)
    {
        if (TryGetDay(date, out var day))
        {
            instruments = day.Instruments;
            scores = day.ToDictionary();
            return true;
        }
        instruments = [];
        scores = [];
        return false;
    }
}

/// <summary>One date of a <see cref="SignalTable"/>: instruments in first-appearance order and their scores, as parallel arrays.</summary>
internal sealed class SignalDay
{
    private readonly bool _sorted;
    private Dictionary<string, int>? _index;

    private SignalDay(string[] instruments, double[] scores, bool sorted, Dictionary<string, int>? index)
    {
        Instruments = instruments;
        Scores = scores;
        _sorted = sorted;
        _index = index;
    }

    public string[] Instruments { get; }
    public double[] Scores { get; }

    /// <summary>The score of <paramref name="instrument"/>; NaN when the date has no row for it.</summary>
    public double Score(string instrument)
    {
        int at;
        if (_sorted)
        {
            at = Array.BinarySearch(Instruments, instrument, StringComparer.Ordinal);
        }
        else
        {
            _index ??= Index(Instruments);
            if (!_index.TryGetValue(instrument, out at)) at = -1;
        }
        return at >= 0 ? Scores[at] : double.NaN;
    }

    public Dictionary<string, double> ToDictionary()
    {
        var d = new Dictionary<string, double>(Instruments.Length, StringComparer.Ordinal);
        for (var i = 0; i < Instruments.Length; i++) d[Instruments[i]] = Scores[i];
        return d;
    }

    private static Dictionary<string, int> Index(IReadOnlyList<string> codes)
    {
        var index = new Dictionary<string, int>(codes.Count, StringComparer.Ordinal);
        for (var i = 0; i < codes.Count; i++) index[codes[i]] = i;
        return index;
    }

    internal sealed class Builder
    {
        private readonly List<string> _codes = [];
        private readonly List<double> _scores = [];
        // Null while the codes arrive in strictly increasing ordinal order (a sorted frame: no repeats possible);
        // built at the first out-of-order code, after which repeats are merged through it.
        private Dictionary<string, int>? _index;

        public void Add(string code, double score)
        {
            if (_index is null)
            {
                if (_codes.Count == 0 || string.CompareOrdinal(code, _codes[^1]) > 0)
                {
                    _codes.Add(code);
                    _scores.Add(score);
                    return;
                }
                _index = Index(_codes);
            }
            if (_index.TryGetValue(code, out var at))
            {
                // The last non-NaN score wins; NaN only replaces NaN.
                if (!double.IsNaN(score) || double.IsNaN(_scores[at])) _scores[at] = score;
                return;
            }
            _index[code] = _codes.Count;
            _codes.Add(code);
            _scores.Add(score);
        }

        public SignalDay Build() => new([.. _codes], [.. _scores], sorted: _index is null, _index);
    }
}
