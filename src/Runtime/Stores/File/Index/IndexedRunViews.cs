using System.Collections;
using System.Diagnostics.CodeAnalysis;
using Qlib.Tracked.Entities;

namespace Qlib.Tracked.Stores.FileBacked.Index;

/// <summary>
/// One run as one query sees it. Its metrics, params and tags are dictionaries that check a key's file
/// the first time the query asks for that key, so a query pays a stat only for the keys its filter and
/// order_by name (MLflow reads them all); enumerating a dictionary re-lists the whole folder. Each key
/// is checked at most once per query, so sorting (many lookups per run) costs no more stats.
/// </summary>
internal sealed class IndexedRun(ExperimentRunIndex owner, RunIndexEntry entry, string runFolder, RunIndexContext context, bool verify)
{
    public RunIndexEntry Entry => entry;
    public string Folder => runFolder;
    private int _reads;

    /// <summary>Counts re-read files towards the owner's "persisted copy is behind" tally.</summary>
    private int Reads
    {
        get => _reads;
        set
        {
            owner.CountReads(value - _reads);
            _reads = value;
        }
    }

    private KeyView<Metric>? _metrics;
    private KeyView<string>? _tags;

    // Params are checked by their folder's stamp (see RunIndexEntry.RefreshParams), once per query.
    private bool _paramsChecked;

    /// <summary>
    /// The run as a lazily checked <see cref="Run"/>. <paramref name="filtered"/>: what the query's filter already
    /// checked for this run (in this query, under the entry's lock), so those keys are not checked again.
    /// </summary>
    public Run ToLazyRun(RunInfo info, EntryFacts? filtered = null)
    {
        _metrics = new KeyView<Metric>(this, entry.Metrics, StoreLayout.MetricsFolder, LatestMetricReader.Instance, immutable: false);
        _tags = new KeyView<string>(this, entry.Tags, StoreLayout.TagsFolder, ExactTextReader.Instance, immutable: false);
        var parameters = new KeyView<string>(this, entry.Params, StoreLayout.ParamsFolder, ExactTextReader.Instance, immutable: true);
        var inputs = new LazyInputs(this);
        if (filtered is not null)
        {
            _metrics.Seed(filtered.CheckedMetrics);
            _tags.Seed(filtered.CheckedTags);
            _paramsChecked = filtered.ParamsChecked;
            inputs.Seed(filtered.InputsIfRead);
        }
        return new Run(info, new RunData(_metrics, parameters, _tags), inputs);
    }

    /// <summary>Makes the params current for this query (caller holds the entry's lock).</summary>
    private void EnsureParams()
    {
        if (_paramsChecked) return;
        Reads += entry.RefreshParams(runFolder, context);
        _paramsChecked = true;
    }

    /// <summary>A run from <see cref="ToLazyRun"/> with every file checked; any other run as it is.</summary>
    public static Run Materialize(Run run) => run.Inputs is LazyInputs lazy ? lazy.Owner.MaterializeRun(run.Info) : run;

    /// <summary>The run with every file checked, as plain dictionaries (what a search returns).</summary>
    public Run MaterializeRun(RunInfo info)
    {
        var stats = FileStamp.StatsOnThisThread;
        try { return MaterializeLocked(info); }
        finally { context.CountStats(FileStamp.StatsOnThisThread - stats); }
    }

    private Run MaterializeLocked(RunInfo info)
    {
        lock (entry.Sync)
        {
            if (!_verify) return new Run(info, new RunData(entry.Metrics.ToDictionary(), entry.Params.ToDictionary(), entry.Tags.ToDictionary()), ReadInputs());
            // What the filter and order_by already checked in this query is not stat'ed again.
            EnsureParams();
            Reads += entry.RefreshMutable(metrics: true, runFolder, context, key => _metrics?.WasChecked(key) == true);
            Reads += entry.RefreshMutable(metrics: false, runFolder, context, key => _tags?.WasChecked(key) == true);
            var data = new RunData(entry.Metrics.ToDictionary(), entry.Params.ToDictionary(), entry.Tags.ToDictionary());
            return new Run(info, data, ReadInputs());
        }
    }

    private IReadOnlyList<DatasetInput> ReadInputs() => ReadInputs(runFolder, entry, context);

    internal static IReadOnlyList<DatasetInput> ReadInputs(string runFolder, RunIndexEntry entry, RunIndexContext context) =>
        DatasetInputs.Read(runFolder, Path.GetDirectoryName(runFolder)!, (path, message) => context.Warn(path, message, entry.Info?.RunId));

    private sealed class KeyView<T>(IndexedRun run, KeyedFiles<T> files, string kindFolder, IKeyedFileReader<T> reader, bool immutable)
        : IReadOnlyDictionary<string, T>
    {
        private List<(string Key, bool Found, T Value)>? _checked;
        private Dictionary<string, T>? _all;

        /// <summary>Takes over keys checked earlier in this query (a copy: the source list is reused for the next run).</summary>
        public void Seed(List<(string Key, bool Found, T Value)> alreadyChecked)
        {
            if (alreadyChecked.Count > 0) _checked = [.. alreadyChecked];
        }

        /// <summary>True when this query already checked <paramref name="key"/> against its file.</summary>
        public bool WasChecked(string key)
        {
            if (_all is not null) return true;
            if (_checked is null) return false;
            foreach (var c in _checked)
            {
                if (string.Equals(c.Key, key, StringComparison.Ordinal)) return true;
            }
            return false;
        }

        public bool TryGetValue(string key, [MaybeNullWhen(false)] out T value)
        {
            if (_all is not null) return _all.TryGetValue(key, out value);
            if (_checked is not null)
            {
                foreach (var c in _checked)
                {
                    if (string.Equals(c.Key, key, StringComparison.Ordinal))
                    {
                        value = c.Value;
                        return c.Found;
                    }
                }
            }
            bool found;
            var reads = 0;
            var stats = FileStamp.StatsOnThisThread;
            lock (run.Entry.Sync)
            {
                if (run._verify && immutable) run.EnsureParams();
                if (!run._verify || immutable)
                {
                    var i = files.IndexOf(key);
                    found = i >= 0;
                    value = found ? files.ValueAt(i) : default!;
                }
                else
                    found = RunIndexEntry.TryGet(files, run.Folder, kindFolder, key, reader, run.Context, ref reads, out value!);
                run.Reads += reads;
            }
            run.Context.CountStats(FileStamp.StatsOnThisThread - stats);
            (_checked ??= new List<(string, bool, T)>(2)).Add((key, found, value));
            return found;
        }

        private Dictionary<string, T> All()
        {
            if (_all is not null) return _all;
            lock (run.Entry.Sync)
            {
                if (run._verify) run.Reads += RunIndexEntry.RefreshAll(files, run.Folder, kindFolder, reader, run.Context);
                _all = files.ToDictionary();
            }
            return _all;
        }

        public T this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"The run has no key '{key}'.");
        public bool ContainsKey(string key) => TryGetValue(key, out _);
        public IEnumerable<string> Keys => All().Keys;
        public IEnumerable<T> Values => All().Values;
        public int Count => All().Count;
        public IEnumerator<KeyValuePair<string, T>> GetEnumerator() => All().GetEnumerator();
        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }

    private RunIndexContext Context => context;
    private readonly bool _verify = verify;

    /// <summary>Dataset inputs are not indexed (few runs have them): read when a filter asks, as a full scan would.</summary>
    private sealed class LazyInputs(IndexedRun run) : IReadOnlyList<DatasetInput>
    {
        public IndexedRun Owner => run;
        private IReadOnlyList<DatasetInput>? _inputs;

        public void Seed(IReadOnlyList<DatasetInput>? inputs) => _inputs ??= inputs;
        private IReadOnlyList<DatasetInput> Inputs => _inputs ??= run.ReadInputs();
        public DatasetInput this[int index] => Inputs[index];
        public int Count => Inputs.Count;
        public IEnumerator<DatasetInput> GetEnumerator() => Inputs.GetEnumerator();
        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
