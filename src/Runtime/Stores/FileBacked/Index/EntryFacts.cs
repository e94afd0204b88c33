using System.Diagnostics.CodeAnalysis;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores.Search;

namespace Qlib.Tracked.Stores.FileBacked.Index;

/// <summary>
/// A search filter's view of one index entry, checked key by key as the filter asks (a stat per metric or tag
/// key, one for <c>params/</c>; nothing for a watched run without events). One instance per thread is pointed at entry after
/// entry, so filtering 100,000 runs allocates nothing per run; what it checked is handed to the
/// <see cref="IndexedRun"/> of a run that matches, so ordering and completing it never stat a key twice.
/// The caller holds the entry's lock from <see cref="Reset"/> until it is done with the facts.
/// </summary>
internal sealed class EntryFacts(RunIndexContext context) : IRunFacts
{
    private RunIndexEntry _entry = null!;
    private string _runFolder = "";
    private bool _verify;
    private IReadOnlyList<DatasetInput>? _inputs;

    public List<(string Key, bool Found, Metric Value)> CheckedMetrics { get; } = [];
    public List<(string Key, bool Found, string Value)> CheckedTags { get; } = [];
    public bool ParamsChecked { get; private set; }

    private int _reads;

    /// <summary>Files re-read while answering (the owner's "persisted copy is behind" tally).</summary>
    public int Reads => _reads;

    public RunInfo Info { get; private set; } = null!;

    public IReadOnlyList<DatasetInput> Inputs => _inputs ??= IndexedRun.ReadInputs(_runFolder, _entry, context);

    public void Reset(RunIndexEntry entry, string runFolder, RunInfo info, bool verify)
    {
        _entry = entry;
        _runFolder = runFolder;
        Info = info;
        _verify = verify;
        _inputs = null;
        CheckedMetrics.Clear();
        CheckedTags.Clear();
        ParamsChecked = false;
        _reads = 0;
    }

    /// <summary>The inputs if a filter already read them (a matching run keeps them).</summary>
    public IReadOnlyList<DatasetInput>? InputsIfRead => _inputs;

    public bool TryGetMetric(string key, [MaybeNullWhen(false)] out Metric metric) =>
        Check(CheckedMetrics, _entry.Metrics, StoreLayout.MetricsFolder, KeyedFileReaders.LatestMetric, key, out metric);

    public bool TryGetTag(string key, [MaybeNullWhen(false)] out string value) =>
        Check(CheckedTags, _entry.Tags, StoreLayout.TagsFolder, KeyedFileReaders.ExactText, key, out value);

    public bool TryGetParam(string key, [MaybeNullWhen(false)] out string value)
    {
        if (_verify && !ParamsChecked) _reads += _entry.RefreshParams(_runFolder, context);
        ParamsChecked = true;
        var i = _entry.Params.IndexOf(key);
        value = i >= 0 ? _entry.Params.ValueAt(i) : null;
        return i >= 0;
    }

    private bool Check<T>(List<(string Key, bool Found, T Value)> seen, KeyedFiles<T> files, string kindFolder, KeyedFileReader<T> reader,
        string key, out T value)
    {
        foreach (var c in seen)
        {
            if (string.Equals(c.Key, key, StringComparison.Ordinal))
            {
                value = c.Value;
                return c.Found;
            }
        }
        bool found;
        if (_verify) found = RunIndexEntry.TryGet(files, _runFolder, kindFolder, key, reader, context, ref _reads, out value);
        else
        {
            var i = files.IndexOf(key);
            found = i >= 0;
            value = found ? files.ValueAt(i) : default!;
        }
        seen.Add((key, found, value));
        return found;
    }
}
