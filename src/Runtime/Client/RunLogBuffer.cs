using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores;
using Qlib.Tracked.Validation;

namespace Qlib.Tracked.Client;

/// <summary>
/// Qlib's async logging for one live run, without Qlib's silent data loss.
/// Thread-safe: any number of threads may log to one buffer.
/// </summary>
/// <remarks>
/// <para>Each call validates its input and checks params against those already known for the run
/// <em>synchronously</em>, so a bad key or a changed param value throws at the call site. Accepted
/// entries are appended to a pending list under a short lock; one background worker at a time swaps
/// the lists out and writes them with <see cref="ITrackingStore.LogBatch"/> in pieces that respect
/// MLflow's limits (<see cref="BatchLimits"/>). No task or closure is allocated per call.</para>
/// <para>If a write fails, the failure is kept: nothing more is written, <see cref="Flush"/> (and so the end
/// of the run) throws it with a count of the entries that were not written, and every later log call
/// fails fast instead of queueing data that would be lost.</para>
/// <para>When writers outrun the store, callers wait once <c>capacity</c> entries are pending, so memory
/// stays bounded.</para>
/// </remarks>
public sealed class RunLogBuffer : IThreadPoolWorkItem
{
    private readonly ITrackingStore _store;
    private readonly bool _synchronous;
    private readonly int _capacity;
    private readonly object _gate = new();
    private readonly Dictionary<string, string> _knownParams;
    private readonly ValidatedKeyCache _keys = new();

    // Filled by callers under _gate; swapped with the drain lists by the worker.
    private Pending<Metric> _metrics = new();
    private Pending<Param> _params = new();
    private Pending<RunTag> _tags = new();
    private Pending<Metric> _drainMetrics = new();
    private Pending<Param> _drainParams = new();
    private Pending<RunTag> _drainTags = new();

    private bool _workerActive;
    private bool _closed;
    private TrackingException? _failure;

    /// <param name="store">Where batches are written.</param>
    /// <param name="runId">The live run.</param>
    /// <param name="knownParams">Params the run already has (loaded at start or resume), for the synchronous conflict check.</param>
    /// <param name="synchronous">Write on the calling thread before returning (no background worker).</param>
    /// <param name="capacity">Pending entries above which callers wait for the writer.</param>
    public RunLogBuffer(ITrackingStore store, string runId, IReadOnlyDictionary<string, string>? knownParams = null,
        bool synchronous = false, int capacity = 1_000_000)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, BatchLimits.MaxEntries);
        ClientValidation.RunId(runId);
        _store = store;
        RunId = runId;
        _synchronous = synchronous;
        _capacity = capacity;
        _knownParams = knownParams is null ? new(StringComparer.Ordinal) : new(knownParams, StringComparer.Ordinal);
    }

    /// <summary>The run this buffer writes to.</summary>
    public string RunId { get; }

    /// <summary>The failure that stopped writing, if any.</summary>
    public TrackingException? Failure { get { lock (_gate) return _failure; } }

    /// <summary>Queues one metric point (timestamp: now, ms).</summary>
    public void LogMetric(string key, double value, long step = 0, long? timestamp = null)
    {
        var metric = new Metric(key, value, timestamp ?? Clock.NowMs(), step);
        ClientValidation.Metric(metric, _keys);
        bool schedule;
        lock (_gate)
        {
            WaitForRoom();
            _metrics.Add(metric);
            schedule = StartWorkerIfIdle();
        }
        if (schedule) RunWorker();
    }

    /// <summary>Queues several metrics sharing one step and timestamp (Qlib's <c>log_metrics(step=…, **kw)</c>).</summary>
    public void LogMetrics(ReadOnlySpan<(string Key, double Value)> metrics, long step = 0, long? timestamp = null)
    {
        var ts = timestamp ?? Clock.NowMs();
        foreach (var (key, value) in metrics) ClientValidation.Metric(new Metric(key, value, ts, step), _keys);
        bool schedule;
        lock (_gate)
        {
            WaitForRoom();
            foreach (var (key, value) in metrics) _metrics.Add(new Metric(key, value, ts, step));
            schedule = StartWorkerIfIdle();
        }
        if (schedule) RunWorker();
    }

    /// <summary>
    /// Queues a param (value already spelled as text). Re-logging the same value is a no-op; a different
    /// value throws INVALID_PARAMETER_VALUE here, with MLflow's message.
    /// </summary>
    public void LogParam(string key, string value)
    {
        ClientValidation.Param(key, value, _keys);
        bool schedule;
        lock (_gate)
        {
            ThrowIfFailedOrClosed();
            if (_knownParams.TryGetValue(key, out var existing))
            {
                if (existing == value) return;
                throw TrackingException.InvalidParameter(
                    $"Changing param values is not allowed. Param with key='{key}' was already logged with value='{existing}' " +
                    $"for run ID='{RunId}'. Attempted logging new value '{value}'.");
            }
            WaitForRoom();
            _knownParams[key] = value;
            _params.Add(new Param(key, value));
            schedule = StartWorkerIfIdle();
        }
        if (schedule) RunWorker();
    }

    /// <summary>The value a param has (logged or queued), or null.</summary>
    public string? GetKnownParam(string key)
    {
        lock (_gate) return _knownParams.GetValueOrDefault(key);
    }

    /// <summary>Queues a tag (tags may be overwritten; the last value queued wins).</summary>
    public void SetTag(string key, string value)
    {
        ClientValidation.Tag(key, value, _keys);
        bool schedule;
        lock (_gate)
        {
            WaitForRoom();
            _tags.Add(new RunTag(key, value));
            schedule = StartWorkerIfIdle();
        }
        if (schedule) RunWorker();
    }

    /// <summary>Waits until everything queued is written; throws the kept failure if a write failed.</summary>
    public void Flush()
    {
        lock (_gate)
        {
            while (_workerActive) Monitor.Wait(_gate);
            if (_failure is not null) throw _failure;
        }
    }

    /// <summary>Flushes, then refuses further entries (the run is ending). Throws the kept failure, if any.</summary>
    public void Close()
    {
        lock (_gate)
        {
            while (_workerActive) Monitor.Wait(_gate);
            _closed = true;
            if (_failure is not null) throw _failure;
        }
    }

    // ----- under _gate -----

    private void WaitForRoom()
    {
        ThrowIfFailedOrClosed();
        while (_workerActive && PendingCount >= _capacity)
        {
            Monitor.Wait(_gate);
            ThrowIfFailedOrClosed();
        }
    }

    private int PendingCount => _metrics.Count + _params.Count + _tags.Count;

    private void ThrowIfFailedOrClosed()
    {
        if (_failure is not null)
            throw new TrackingException(_failure.Code,
                $"Logging to run '{RunId}' already failed, so nothing more is queued: {_failure.Message}", _failure);
        if (_closed)
            throw TrackingException.InvalidState($"Run '{RunId}' has ended; start or resume it before logging to it.");
    }

    private bool StartWorkerIfIdle()
    {
        if (_workerActive) return false;
        _workerActive = true;
        return true;
    }

    // ----- the writer -----

    private void RunWorker()
    {
        if (_synchronous)
        {
            Execute();
            Flush();
        }
        else
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    /// <summary>Drains pending entries until none are left or a write fails. Only one runs at a time.</summary>
    void IThreadPoolWorkItem.Execute() => Execute();

    private void Execute()
    {
        while (true)
        {
            lock (_gate)
            {
                if (_failure is not null || PendingCount == 0)
                {
                    _workerActive = false;
                    Monitor.PulseAll(_gate);
                    return;
                }
                (_metrics, _drainMetrics) = (_drainMetrics, _metrics);
                (_params, _drainParams) = (_drainParams, _params);
                (_tags, _drainTags) = (_drainTags, _tags);
                Monitor.PulseAll(_gate); // callers waiting for room may go on
            }

            var written = 0;
            try
            {
                foreach (var (m, p, t) in BatchLimits.Split(
                    _drainMetrics.Items, _drainMetrics.Count, _drainParams.Items, _drainParams.Count, _drainTags.Items, _drainTags.Count))
                {
                    _store.LogBatch(RunId, m, p, t);
                    written += m.Count + p.Count + t.Count;
                }
            }
            catch (Exception ex)
            {
                lock (_gate)
                {
                    var lost = _drainMetrics.Count + _drainParams.Count + _drainTags.Count - written + PendingCount;
                    var code = ex is TrackingException te ? te.Code : ErrorCode.InternalError;
                    _failure = new TrackingException(code,
                        $"Writing to run '{RunId}' failed; {lost} queued metric/param/tag entries were not written. {ex.Message}", ex);
                }
            }
            finally
            {
                _drainMetrics.Clear();
                _drainParams.Clear();
                _drainTags.Clear();
            }
        }
    }

    /// <summary>A growable array whose storage can be handed out as segments without copying.</summary>
    private sealed class Pending<T>
    {
        public T[] Items = new T[16];
        public int Count;

        public void Add(in T item)
        {
            if (Count == Items.Length) Array.Resize(ref Items, Items.Length * 2);
            Items[Count++] = item;
        }

        public void Clear()
        {
            // Keep big arrays for reuse but not forever: a burst should not pin memory for the run's life.
            if (Items.Length > 65_536) Items = new T[16];
            else Array.Clear(Items, 0, Count);
            Count = 0;
        }
    }
}
